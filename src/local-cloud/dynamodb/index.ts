import { jsonProtocol } from '../protocols/json.js';
import type { ServiceFactory } from '../types.js';
import { DynamoDbDomain } from './domain.js';
import { tableResource } from './table-resource.js';
import { dynamoDbOps } from './wire.js';

export { DynamoDbDomain } from './domain.js';
export type { ItemChange, ItemChangeHook } from './domain.js';
export type { AttributeValue, Item } from './attribute-value.js';

export const createDynamoDbService: ServiceFactory = (ctx) => {
  const domain = new DynamoDbDomain(ctx);
  return {
    names: ['dynamodb'],
    handle: jsonProtocol({ service: 'dynamodb', targetPrefix: 'DynamoDB_20120810', version: '1.0', ops: dynamoDbOps(domain) }),
    resources: [tableResource(domain)],
    domain,
  };
};
