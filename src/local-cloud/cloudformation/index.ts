import type { ServiceFactory } from '../types.js';
import { queryProtocol } from '../protocols/query.js';
import { CloudFormation } from './domain.js';
import { cloudFormationOps } from './wire.js';

export { CloudFormation } from './domain.js';

/** CloudFormation (awsQuery, regional): stacks, change sets, events; resources come from the other services' providers. */
export const createCloudFormationService: ServiceFactory<'cloudformation'> = (ctx) => {
  const domain = new CloudFormation(ctx);
  return {
    names: ['cloudformation'],
    handle: queryProtocol({ service: 'cloudformation', xmlns: 'http://cloudformation.amazonaws.com/doc/2010-05-15/', ops: cloudFormationOps(domain) }),
    domain,
    start: () => domain.recoverInterrupted(),
    // Let running stack operations finish before state is flushed, but never hang a shutdown on one.
    stop: () => Promise.race([domain.idle(), new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]),
  };
};
