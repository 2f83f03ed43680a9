import type { ServiceFactory } from '../types.js';
import { restJsonProtocol } from '../protocols/rest.js';
import { ApiGatewayDomain } from './domain.js';
import { apiGatewayResources } from './resources.js';
import { apiGatewayRoutes } from './wire.js';
import { domainNameResources } from './domain-name-resources.js';
import { domainNameRoutes } from './domain-name-routes.js';

export { ApiGatewayDomain } from './domain.js';

export const createApiGatewayService: ServiceFactory<'apigateway'> = (ctx) => {
  const domain = new ApiGatewayDomain(ctx);
  return {
    names: ['apigateway'],
    handle: restJsonProtocol({ service: 'apigateway', routes: [...apiGatewayRoutes(domain), ...domainNameRoutes(domain.domainNames)] }),
    resources: [...apiGatewayResources(domain), ...domainNameResources(domain.domainNames)],
    domain,
  };
};
