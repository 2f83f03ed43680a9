import { jsonProtocol } from '../protocols/json.js';
import type { CloudRequest, ServiceFactory } from '../types.js';
import { DynamoDbDomain } from './domain.js';
import { validatedOps } from '../protocols/validation.js';
import { dynamoDbValidations } from './validations.js';
import { tableResource } from './resources.js';
import { dynamoDbOps } from './wire.js';
import { attachStreams } from './streams/index.js';
import { streamsOps } from './streams/wire.js';
import { withWire, wireOf } from '../protocols/wire.js';
import { GlobalTables } from './global-tables/domain.js';
import { withGlobalTables } from './global-tables/wire.js';
import { globalTableResource } from './global-tables/resources.js';

export { DynamoDbDomain } from './domain.js';
export type { ItemChange, ItemChangeHook } from './domain.js';
export type { AttributeValue, Item } from './attribute-value.js';

export const createDynamoDbService: ServiceFactory<'dynamodb'> = (ctx) => {
  const domain = new DynamoDbDomain(ctx);
  const streams = attachStreams(ctx, domain);
  const global = new GlobalTables(ctx, domain);
  const previous = domain.onItemChange;
  domain.onItemChange = (region, table, change) => {
    previous?.(region, table, change);
    global.onItemChange(region, table, change);
  };
  domain.globalTables = global;
  domain.beforeItemWrite = (region, table, keys) => global.beforeItemWrite(region, table, keys);
  domain.beforeStrongRead = (region, table) => global.beforeStrongRead(region, table);
  domain.beforeAccess = (region, table) => global.beforeAccess(region, table);
  const tablesApi = jsonProtocol({ service: 'dynamodb', targetPrefix: 'DynamoDB_20120810', version: '1.0', ops: validatedOps(withGlobalTables(dynamoDbOps(domain), domain, global), dynamoDbValidations) });
  // DynamoDB Streams signs as `dynamodb` too (endpoint streams.dynamodb.<region>.amazonaws.com);
  // its X-Amz-Target prefix tells the two APIs apart.
  const streamsApi = jsonProtocol({ service: 'dynamodb', targetPrefix: 'DynamoDBStreams_20120810', version: '1.0', ops: streamsOps(streams) });
  const pick = (req: CloudRequest) => ((req.headers['x-amz-target'] ?? '').startsWith('DynamoDBStreams_20120810.') ? streamsApi : tablesApi);
  return {
    names: ['dynamodb'],
    handle: withWire((req) => pick(req)(req), (req) => wireOf(pick(req), req)!),
    resources: [tableResource(domain), globalTableResource(domain, global)],
    domain,
    start: () => global.start(),
    stop: async () => global.stop(),
  };
};
