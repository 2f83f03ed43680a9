import type { ServiceFactory } from '../types.js';
import { restJsonProtocol } from '../protocols/rest.js';
import { LambdaDomain } from './domain.js';
import { lambdaResources } from './resources.js';
import { lambdaRoutes } from './routes.js';

export { LambdaDomain } from './domain.js';
export type { InvokeOptions, InvokeResult } from './domain.js';

export const createLambdaService: ServiceFactory = (ctx) => {
  const domain = new LambdaDomain(ctx);
  return {
    names: ['lambda'],
    handle: restJsonProtocol({ service: 'lambda', routes: lambdaRoutes(domain) }),
    resources: lambdaResources(domain),
    domain,
    stop: () => domain.stop(),
  };
};
