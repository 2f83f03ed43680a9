import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbDomain, type ItemChange } from '../../../src/local-cloud/dynamodb/domain.js';
import { fakeContext } from './fake-context.js';

const R = 'us-east-1';

function setup() {
  const domain = new DynamoDbDomain(fakeContext());
  domain.createTable(R, {
    TableName: 'things',
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  });
  return domain;
}

describe('DynamoDB tables', () => {
  it('describes a created table as ACTIVE with ARN, billing and stream', () => {
    const { Table } = setup().describeTable(R, { TableName: 'things' });
    expect(Table).toMatchObject({
      TableName: 'things',
      TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/things',
      TableStatus: 'ACTIVE',
      ItemCount: 0,
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      Replicas: [],
    });
    expect(Table.LatestStreamArn).toMatch(/^arn:aws:dynamodb:us-east-1:000000000000:table\/things\/stream\/2026-01-01T00:00:00\.000$/);
  });

  it('refuses a duplicate table and keeps regions apart', () => {
    const domain = setup();
    expect(() => domain.createTable(R, { TableName: 'things', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' })).toThrow(
      'Table already exists: things',
    );
    expect(domain.listTables('eu-west-1').TableNames).toEqual([]);
    expect(() => domain.describeTable('eu-west-1', { TableName: 'things' })).toThrow('Requested resource not found: Table: things not found');
  });

  it('validates key schema against attribute definitions and billing', () => {
    const domain = new DynamoDbDomain(fakeContext());
    const key = [{ AttributeName: 'id', KeyType: 'HASH' as const }];
    expect(() => domain.createTable(R, { TableName: 'bad', KeySchema: key, AttributeDefinitions: [], BillingMode: 'PAY_PER_REQUEST' })).toThrow(
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: []',
    );
    expect(() =>
      domain.createTable(R, {
        TableName: 'bad',
        KeySchema: key,
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'x', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    ).toThrow('Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
    expect(() => domain.createTable(R, { TableName: 'bad', KeySchema: key, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] })).toThrow(
      'ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    );
    expect(() => domain.createTable(R, { TableName: 'x', KeySchema: key, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] })).toThrow(
      "Value 'x' at 'tableName' failed to satisfy constraint",
    );
  });

  it('pages ListTables', () => {
    const domain = new DynamoDbDomain(fakeContext());
    for (const name of ['ccc', 'aaa', 'bbb'])
      domain.createTable(R, { TableName: name, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    expect(domain.listTables(R, { Limit: 2 })).toEqual({ TableNames: ['aaa', 'bbb'], LastEvaluatedTableName: 'bbb' });
    expect(domain.listTables(R, { ExclusiveStartTableName: 'bbb' })).toEqual({ TableNames: ['ccc'] });
  });

  it('updates billing mode and streams in place', () => {
    const domain = setup();
    domain.updateTable(R, { TableName: 'things', StreamSpecification: { StreamEnabled: false } });
    expect(domain.describeTable(R, { TableName: 'things' }).Table.LatestStreamArn).toBeUndefined();
    expect(() => domain.updateTable(R, { TableName: 'things', BillingMode: 'PROVISIONED' })).toThrow('ProvisionedThroughput must be specified');
    domain.updateTable(R, { TableName: 'things', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } });
    expect(domain.describeTable(R, { TableName: 'things' }).Table).toMatchObject({
      BillingModeSummary: { BillingMode: 'PROVISIONED' },
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    });
  });
});

describe('DynamoDB items', () => {
  let domain: DynamoDbDomain;
  let changes: ItemChange[];
  beforeEach(() => {
    domain = setup();
    changes = [];
    domain.onItemChange = (_region, _table, change) => changes.push(change);
  });

  it('puts, gets (with projection), counts and deletes', () => {
    domain.putItem(R, { TableName: 'things', Item: { pk: { S: 'a' }, sk: { N: '1.0' }, v: { S: 'one' }, w: { N: '2' } } });
    expect(domain.getItem(R, { TableName: 'things', Key: { pk: { S: 'a' }, sk: { N: '1' } } }).Item).toEqual({ pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'one' }, w: { N: '2' } });
    expect(domain.getItem(R, { TableName: 'things', Key: { pk: { S: 'a' }, sk: { N: '1' } }, ProjectionExpression: 'v' }).Item).toEqual({ v: { S: 'one' } });
    expect(domain.describeTable(R, { TableName: 'things' }).Table.ItemCount).toBe(1);
    expect(domain.deleteItem(R, { TableName: 'things', Key: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnValues: 'ALL_OLD' }).Attributes?.v).toEqual({ S: 'one' });
    expect(domain.getItem(R, { TableName: 'things', Key: { pk: { S: 'a' }, sk: { N: '1' } } })).toEqual({});
    expect(changes.map((c) => c.eventName)).toEqual(['INSERT', 'REMOVE']);
  });

  it('validates keys verbatim', () => {
    expect(() => domain.putItem(R, { TableName: 'things', Item: { pk: { S: 'a' } } })).toThrow('One or more parameter values were invalid: Missing the key sk in the item');
    expect(() => domain.putItem(R, { TableName: 'things', Item: { pk: { S: 'a' }, sk: { S: '1' } } })).toThrow(
      'One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S',
    );
    expect(() => domain.getItem(R, { TableName: 'things', Key: { pk: { S: 'a' } } })).toThrow('The provided key element does not match the schema');
    expect(() => domain.putItem(R, { TableName: 'things', Item: { pk: { S: 'a' }, sk: { N: 'abc' } } })).toThrow('The parameter cannot be converted to a numeric value: abc');
    expect(() => domain.putItem(R, { TableName: 'nope', Item: { pk: { S: 'a' } } })).toThrow('Requested resource not found');
  });

  it('fails conditional writes with ConditionalCheckFailedException and leaves the item', () => {
    const put = () =>
      domain.putItem(R, { TableName: 'things', Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { N: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' });
    put();
    expect(put).toThrow(expect.objectContaining({ code: 'ConditionalCheckFailedException', message: 'The conditional request failed' }));
    expect(() =>
      domain.updateItem(R, {
        TableName: 'things',
        Key: { pk: { S: 'a' }, sk: { N: '1' } },
        UpdateExpression: 'SET v = :two',
        ConditionExpression: 'v = :zero',
        ExpressionAttributeValues: { ':two': { N: '2' }, ':zero': { N: '0' } },
      }),
    ).toThrow('The conditional request failed');
    expect(domain.getItem(R, { TableName: 'things', Key: { pk: { S: 'a' }, sk: { N: '1' } } }).Item?.v).toEqual({ N: '1' });
    expect(changes).toHaveLength(1);
  });

  it('upserts with UpdateItem and honours every ReturnValues mode', () => {
    const key = { pk: { S: 'u' }, sk: { N: '1' } };
    const upd = (ReturnValues: string) =>
      domain.updateItem(R, { TableName: 'things', Key: key, UpdateExpression: 'SET n = if_not_exists(n, :z) + :one', ExpressionAttributeValues: { ':z': { N: '0' }, ':one': { N: '1' } }, ReturnValues });
    expect(upd('ALL_NEW').Attributes).toEqual({ ...key, n: { N: '1' } });
    expect(upd('UPDATED_OLD').Attributes).toEqual({ n: { N: '1' } });
    expect(upd('UPDATED_NEW').Attributes).toEqual({ n: { N: '3' } });
    expect(upd('ALL_OLD').Attributes).toEqual({ ...key, n: { N: '3' } });
    expect(upd('NONE').Attributes).toBeUndefined();
    expect(() => upd('SOME')).toThrow('Return values set to invalid value');
    expect(changes.map((c) => c.eventName)).toEqual(['INSERT', 'MODIFY', 'MODIFY', 'MODIFY', 'MODIFY']);
    expect(changes[1]).toMatchObject({ keys: key, oldImage: { n: { N: '1' } }, newImage: { n: { N: '2' } } });
  });

  it('refuses to update a key attribute', () => {
    expect(() =>
      domain.updateItem(R, { TableName: 'things', Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'b' } } }),
    ).toThrow('One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key');
  });

  it('rejects unused expression attribute values', () => {
    expect(() =>
      domain.putItem(R, { TableName: 'things', Item: { pk: { S: 'a' }, sk: { N: '1' } }, ExpressionAttributeValues: { ':x': { S: 'x' } } }),
    ).toThrow('Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}');
  });

  it('does not fire the change hook for a put that changes nothing', () => {
    const item = { pk: { S: 'a' }, sk: { N: '1' } };
    domain.putItem(R, { TableName: 'things', Item: item });
    domain.putItem(R, { TableName: 'things', Item: item });
    expect(changes).toHaveLength(1);
  });
});

describe('DynamoDB query and scan', () => {
  let domain: DynamoDbDomain;
  beforeEach(() => {
    domain = setup();
    // Inserted out of order, with numbers that sort differently as strings.
    for (const [pk, sk] of [['b', 1], ['a', 10], ['a', 9], ['a', 100], ['a', 2], ['c', 5]] as const)
      domain.putItem(R, { TableName: 'things', Item: { pk: { S: pk }, sk: { N: String(sk) }, odd: { BOOL: sk % 2 === 1 } } });
  });
  const sks = (items: Array<Record<string, any>> | undefined) => items?.map((i) => Number(i.sk.N));

  it('returns one partition ordered numerically by range key, both directions', () => {
    const q = { TableName: 'things', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } };
    expect(sks(domain.query(R, q).Items)).toEqual([2, 9, 10, 100]);
    expect(sks(domain.query(R, { ...q, ScanIndexForward: false }).Items)).toEqual([100, 10, 9, 2]);
  });

  it('applies range conditions', () => {
    const q = (cond: string, values: Record<string, any>) =>
      sks(domain.query(R, { TableName: 'things', KeyConditionExpression: `pk = :p AND ${cond}`, ExpressionAttributeValues: { ':p': { S: 'a' }, ...values } }).Items);
    expect(q('sk > :x', { ':x': { N: '9' } })).toEqual([10, 100]);
    expect(q('sk BETWEEN :lo AND :hi', { ':lo': { N: '3' }, ':hi': { N: '10' } })).toEqual([9, 10]);
  });

  it('pages with Limit and ExclusiveStartKey; Limit counts items before the filter', () => {
    const q = { TableName: 'things', KeyConditionExpression: 'pk = :p', FilterExpression: 'odd = :t', ExpressionAttributeValues: { ':p': { S: 'a' }, ':t': { BOOL: true } }, Limit: 2 };
    const first = domain.query(R, q);
    expect(first).toMatchObject({ Count: 1, ScannedCount: 2, LastEvaluatedKey: { pk: { S: 'a' }, sk: { N: '9' } } });
    expect(sks(first.Items)).toEqual([9]);
    const second = domain.query(R, { ...q, ExclusiveStartKey: first.LastEvaluatedKey });
    expect(second).toMatchObject({ Count: 0, ScannedCount: 2 });
    expect(second.LastEvaluatedKey).toBeUndefined();
  });

  it('counts with Select COUNT', () => {
    const result = domain.query(R, { TableName: 'things', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } }, Select: 'COUNT' });
    expect(result).toEqual({ Count: 4, ScannedCount: 4 });
  });

  it('scans in hash-then-range order and pages across partitions', () => {
    const all = domain.scan(R, { TableName: 'things' });
    expect(all.Items?.map((i) => `${i.pk!.S}${i.sk!.N}`)).toEqual(['a2', 'a9', 'a10', 'a100', 'b1', 'c5']);
    const seen: string[] = [];
    let start: Record<string, any> | undefined;
    do {
      const page = domain.scan(R, { TableName: 'things', Limit: 4, ExclusiveStartKey: start });
      seen.push(...page.Items!.map((i) => `${i.pk!.S}${i.sk!.N}`));
      start = page.LastEvaluatedKey;
    } while (start);
    expect(seen).toEqual(['a2', 'a9', 'a10', 'a100', 'b1', 'c5']);
  });

  it('batch-writes and batch-gets', () => {
    domain.batchWriteItem(R, {
      RequestItems: {
        things: [{ PutRequest: { Item: { pk: { S: 'z' }, sk: { N: '1' } } } }, { DeleteRequest: { Key: { pk: { S: 'b' }, sk: { N: '1' } } } }],
      },
    });
    const got = domain.batchGetItem(R, { RequestItems: { things: { Keys: [{ pk: { S: 'z' }, sk: { N: '1' } }, { pk: { S: 'b' }, sk: { N: '1' } }] } } });
    expect(got.Responses.things).toEqual([{ pk: { S: 'z' }, sk: { N: '1' } }]);
  });
});

describe('DynamoDB secondary indexes', () => {
  it('queries a GSI in index-key order and skips items without the index key', () => {
    const domain = new DynamoDbDomain(fakeContext());
    domain.createTable(R, {
      TableName: 'orders',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'customer', AttributeType: 'S' },
        { AttributeName: 'total', AttributeType: 'N' },
      ],
      GlobalSecondaryIndexes: [{ IndexName: 'byCustomer', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'total', KeyType: 'RANGE' }] }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (const [id, customer, total] of [['o1', 'c1', '30'], ['o2', 'c1', '4'], ['o3', 'c2', '1']] as const)
      domain.putItem(R, { TableName: 'orders', Item: { id: { S: id }, customer: { S: customer }, total: { N: total } } });
    domain.putItem(R, { TableName: 'orders', Item: { id: { S: 'o4' } } });
    const result = domain.query(R, {
      TableName: 'orders',
      IndexName: 'byCustomer',
      KeyConditionExpression: 'customer = :c',
      ProjectionExpression: 'id',
      ExpressionAttributeValues: { ':c': { S: 'c1' } },
      Limit: 1,
    });
    expect(result.Items).toEqual([{ id: { S: 'o2' } }]);
    expect(result.LastEvaluatedKey).toEqual({ id: { S: 'o2' }, customer: { S: 'c1' }, total: { N: '4' } });
    expect(domain.describeTable(R, { TableName: 'orders' }).Table.GlobalSecondaryIndexes).toMatchObject([{ IndexName: 'byCustomer', IndexStatus: 'ACTIVE', ItemCount: 3 }]);
    expect(() => domain.query(R, { TableName: 'orders', IndexName: 'nope', KeyConditionExpression: 'id = :c', ExpressionAttributeValues: { ':c': { S: 'x' } } })).toThrow(
      'The table does not have the specified index: nope',
    );
  });
});

describe('DynamoDB parallel scan', () => {
  it('splits the table into disjoint segments that cover every item', () => {
    const domain = setup();
    for (let i = 0; i < 40; i++) domain.putItem(R, { TableName: 'things', Item: { pk: { S: `p${i}` }, sk: { N: '1' } } });
    const segments = [0, 1, 2].map((Segment) => domain.scan(R, { TableName: 'things', Segment, TotalSegments: 3 }).Items!.map((i) => i.pk!.S));
    const all = segments.flat();
    expect(new Set(all).size).toBe(40);
    expect(all).toHaveLength(40);
    expect(segments.every((s) => s.length > 0)).toBe(true);
    expect(() => domain.scan(R, { TableName: 'things', Segment: 3, TotalSegments: 3 })).toThrow('Segment: 3 is not less than TotalSegments: 3');
  });
});

describe('DynamoDB expression maps', () => {
  it('rejects empty ExpressionAttributeValues, as DynamoDB does', () => {
    expect(() => setup().getItem(R, { TableName: 'things', Key: { pk: { S: 'a' }, sk: { N: '1' } }, ExpressionAttributeValues: {} })).toThrow(
      'ExpressionAttributeValues must not be empty',
    );
  });
});
