import { jsonProtocol } from '../protocols/json.js';
import { queryProtocol } from '../protocols/query.js';
import { withWire, type Wire } from '../protocols/wire.js';
import type { CloudRequest, ServiceFactory } from '../types.js';
import { publishBuiltInMetrics } from './built-in-metrics.js';
import { CloudWatch } from './domain.js';
import { cloudWatchResources } from './resources.js';
import { cloudWatchOps, epochSeconds, isoDate } from './wire.js';

export { CloudWatch } from './domain.js';
export type { AlarmStateListener, MetricDatum } from './domain.js';
export type { AlarmStateValue } from './model.js';

/**
 * CloudWatch metrics and alarms (signing name monitoring). SDK v3 speaks awsJson1_0 with
 * query-compatible errors; CLI v1 and boto3 still send form-encoded awsQuery: both are served,
 * chosen by content type.
 */
const isForm = (req: CloudRequest): boolean =>
  (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') || (!req.headers['x-amz-target'] && req.query.has('Action'));

export const createCloudWatchService: ServiceFactory<'monitoring'> = (ctx) => {
  const domain = new CloudWatch(ctx);
  const json = jsonProtocol({
    service: 'monitoring',
    targetPrefix: 'GraniteServiceVersion20100801',
    version: '1.0',
    queryCompatible: true,
    ops: cloudWatchOps(domain, epochSeconds),
  });
  const query = queryProtocol({ service: 'monitoring', xmlns: 'http://monitoring.amazonaws.com/doc/2010-08-01/', ops: cloudWatchOps(domain, isoDate) });
  return {
    names: ['monitoring'],
    handle: withWire((req) => (isForm(req) ? query(req) : json(req)), (req) => (isForm(req) ? query.wire : json.wire) as Wire),
    resources: cloudWatchResources(domain),
    domain,
    start() {
      publishBuiltInMetrics(ctx, domain);
      domain.start();
    },
    stop: async () => domain.stop(),
  };
};
