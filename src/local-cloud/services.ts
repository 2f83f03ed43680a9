import type { ServiceFactory } from './types.js';

// Every service the local cloud runs. Each lives in its own folder and exports a factory.
export const serviceFactories: ServiceFactory[] = [];
