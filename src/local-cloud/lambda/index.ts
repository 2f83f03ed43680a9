import type { ServiceFactory } from '../types.js';
import { restJsonProtocol } from '../protocols/rest.js';
import { LambdaDomain } from './domain.js';
import { lambdaResources } from './resources.js';
import { lambdaRoutes } from './wire.js';
import { EventSourceMappings } from './event-source-mappings/domain.js';
import { eventSourceMappingRoutes } from './event-source-mappings/wire.js';
import { eventSourceMappingResource } from './event-source-mappings/resources.js';

export { LambdaDomain } from './domain.js';
export type { InvokeOptions, InvokeResult } from './domain.js';

export const createLambdaService: ServiceFactory<'lambda'> = (ctx) => {
  const domain = new LambdaDomain(ctx);
  const mappings = new EventSourceMappings(ctx, domain);
  domain.eventSourceMappings = mappings;
  return {
    names: ['lambda'],
    handle: restJsonProtocol({ service: 'lambda', routes: [...lambdaRoutes(domain), ...eventSourceMappingRoutes(mappings)] }),
    resources: [...lambdaResources(domain), eventSourceMappingResource(mappings)],
    domain,
    start: () => mappings.start(),
    stop: async () => {
      await mappings.stop();
      await domain.stop();
    },
  };
};
