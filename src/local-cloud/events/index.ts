import { jsonProtocol } from '../protocols/json.js';
import type { ServiceFactory } from '../types.js';
import { Events } from './domain.js';
import { eventsResources } from './resources.js';
import { eventsOps } from './wire.js';

export { Events } from './domain.js';

/** EventBridge (awsJson1_1, signing name events): rules on the default bus, schedules on the virtual clock. */
export const createEventsService: ServiceFactory<'events'> = (ctx) => {
  const domain = new Events(ctx);
  return {
    names: ['events'],
    handle: jsonProtocol({ service: 'events', targetPrefix: 'AWSEvents', version: '1.1', ops: eventsOps(domain, ctx.accountId) }),
    resources: eventsResources(domain),
    domain,
    start: () => domain.start(),
    stop: async () => domain.stop(),
  };
};
