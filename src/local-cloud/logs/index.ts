import type { ServiceFactory } from '../types.js';
import { jsonProtocol } from '../protocols/json.js';
import { Logs } from './domain.js';
import { logsResources } from './resources.js';
import { logsOps } from './wire.js';

export { Logs } from './domain.js';

/** CloudWatch Logs (awsJson1_1, regional): log groups, retention, and the lines Lambda writes. */
export const createLogsService: ServiceFactory<'logs'> = (ctx) => {
  const domain = new Logs(ctx);
  return {
    names: ['logs'],
    handle: jsonProtocol({ service: 'logs', targetPrefix: 'Logs_20140328', version: '1.1', ops: logsOps(domain) }),
    resources: logsResources(domain),
    domain,
  };
};
