import { describe, expect, it } from 'vitest';
import { DynamoDbDomain } from '../../../src/local-cloud/dynamodb/domain.js';
import { tableResource } from '../../../src/local-cloud/dynamodb/resources.js';
import type { ResourceContext } from '../../../src/local-cloud/types.js';
import { fakeContext } from './fake-context.js';

describe('AWS::DynamoDB::Table', () => {
  const cloud = fakeContext();
  const domain = new DynamoDbDomain(cloud);
  const provider = tableResource(domain);
  const ctx: ResourceContext = { cloud, region: 'us-west-2', accountId: '000000000000', stackName: 'svc-dev-table', stackId: 'id', logicalId: 'Things' };
  const props = {
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };

  it('creates a generated-name table with Arn and StreamArn, updates in place, deletes', async () => {
    const created = await provider.create(ctx, props);
    expect(created.physicalId).toMatch(/^svc-dev-table-Things-[A-Z0-9]+$/);
    expect(created.attributes.Arn).toBe(`arn:aws:dynamodb:us-west-2:000000000000:table/${created.physicalId}`);
    expect(created.attributes.StreamArn).toMatch(/\/stream\//);
    expect(provider.replaceOn).toContain('KeySchema');

    const updated = await provider.update!(ctx, created.physicalId, { ...props, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: '5', WriteCapacityUnits: '5' }, StreamSpecification: undefined }, props);
    expect(updated.attributes.StreamArn).toBeUndefined();
    expect(domain.describeTable('us-west-2', { TableName: created.physicalId }).Table).toMatchObject({ BillingModeSummary: { BillingMode: 'PROVISIONED' } });

    await provider.delete(ctx, created.physicalId, props);
    expect(domain.listTables('us-west-2').TableNames).toEqual([]);
  });

  it('fails creation with the API validation message', async () => {
    await expect(provider.create(ctx, { ...props, AttributeDefinitions: [] })).rejects.toThrow('Some index key attributes are not defined in AttributeDefinitions');
  });
});
