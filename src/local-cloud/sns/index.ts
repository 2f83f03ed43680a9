import { queryProtocol } from '../protocols/query.js';
import type { ServiceFactory } from '../types.js';
import { SnsDomain } from './domain.js';
import { snsResources } from './resources.js';
import { snsOps } from './wire.js';

export { SnsDomain } from './domain.js';

/** SNS (awsQuery, signing name sns): standard topics delivering to Lambda subscriptions. */
export const createSnsService: ServiceFactory<'sns'> = (ctx) => {
  const sns = new SnsDomain(ctx);
  return {
    names: ['sns'],
    handle: queryProtocol({ service: 'sns', xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/', ops: snsOps(sns) }),
    resources: snsResources(sns),
    domain: sns,
  };
};
