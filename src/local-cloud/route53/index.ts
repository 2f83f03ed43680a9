import { restXmlProtocol } from '../protocols/rest.js';
import type { ServiceFactory } from '../types.js';
import { Route53Domain } from './domain.js';
import { route53Resources } from './resources.js';
import { route53Routes } from './wire.js';

export { Route53Domain } from './domain.js';
export type { DnsAnswer } from './resolve.js';

export const createRoute53Service: ServiceFactory<'route53'> = (ctx) => {
  const domain = new Route53Domain(ctx);
  return {
    names: ['route53'],
    handle: restXmlProtocol({ service: 'route53', routes: route53Routes(domain), errors: 'route53' }),
    resources: route53Resources(domain),
    domain,
    start: () => domain.start(),
    stop: async () => domain.stop(),
  };
};
