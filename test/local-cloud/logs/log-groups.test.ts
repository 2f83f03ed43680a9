import { describe, expect, it } from 'vitest';
import { Logs, MAX_BYTES_PER_GROUP, MAX_EVENT_BYTES, MAX_LINES_PER_GROUP } from '../../../src/local-cloud/logs/domain.js';
import { logsResources } from '../../../src/local-cloud/logs/resources.js';
import { CloudFormation } from '../../../src/local-cloud/cloudformation/domain.js';
import { fakeCloud } from '../cloudformation/fake-cloud.js';

describe('CloudWatch Logs', () => {
  it('creates, describes, retains and deletes log groups per region', () => {
    const { ctx } = fakeCloud();
    const logs = new Logs(ctx);
    logs.createLogGroup('us-east-1', '/aws/lambda/check');
    expect(() => logs.createLogGroup('us-east-1', '/aws/lambda/check')).toThrow('The specified log group already exists');
    logs.putRetentionPolicy('us-east-1', '/aws/lambda/check', 14);
    expect(() => logs.putRetentionPolicy('us-east-1', '/aws/lambda/check', 2)).toThrow(/Member must satisfy enum value set/);
    expect(logs.describeLogGroups('us-east-1', '/aws/lambda/')).toMatchObject([{ logGroupName: '/aws/lambda/check', retentionInDays: 14 }]);
    expect(logs.describeLogGroups('eu-west-1')).toEqual([]);
    logs.deleteLogGroup('us-east-1', '/aws/lambda/check');
    expect(() => logs.deleteLogGroup('us-east-1', '/aws/lambda/check')).toThrow('The specified log group does not exist.');
  });

  it(`keeps at most the last ${MAX_LINES_PER_GROUP} lines a function writes (trimming to 90% when past it), creating the group on first write`, async () => {
    const { ctx, clock } = fakeCloud();
    const logs = new Logs(ctx);
    for (let i = 0; i < MAX_LINES_PER_GROUP + 5; i++) logs.appendLog('us-west-2', '/aws/lambda/hello', `line ${i}`);
    await clock.advance(1000);
    logs.appendLog('us-west-2', '/aws/lambda/hello', 'START\nEND\n');
    const lines = logs.lines('us-west-2', '/aws/lambda/hello');
    expect(lines.length).toBeLessThanOrEqual(MAX_LINES_PER_GROUP);
    expect(lines.length).toBeGreaterThanOrEqual(MAX_LINES_PER_GROUP * 0.9);
    expect(lines[0].message).toBe(`line ${MAX_LINES_PER_GROUP + 7 - lines.length}`); // the newest ones, in order
    expect(lines.slice(-2).map((l) => l.message)).toEqual(['START', 'END']);
    expect(logs.lines('us-west-2', '/aws/lambda/hello', { startTime: clock.now() }).map((l) => l.message)).toEqual(['START', 'END']);
  });

  it('drops events past the group retention, as CloudWatch Logs deletes expired events', async () => {
    const { ctx, clock } = fakeCloud();
    const logs = new Logs(ctx);
    logs.createLogGroup('us-east-1', '/aws/lambda/check');
    logs.putRetentionPolicy('us-east-1', '/aws/lambda/check', 1);
    for (let i = 0; i < 10; i++) logs.appendLog('us-east-1', '/aws/lambda/check', `old ${i}`);
    await clock.advance(86_400_000 + 1);
    expect(logs.lines('us-east-1', '/aws/lambda/check')).toEqual([]); // expired, even before the next write
    logs.appendLog('us-east-1', '/aws/lambda/check', 'new');
    const [group] = logs.describeLogGroups('us-east-1', '/aws/lambda/check');
    expect(group.lines.map((l) => l.message)).toEqual(['new']); // and no longer stored
  });

  it('bounds the bytes a group keeps and the size of one event', () => {
    const { ctx } = fakeCloud();
    const logs = new Logs(ctx);
    const big = 'x'.repeat(100 * 1024);
    const count = Math.ceil(MAX_BYTES_PER_GROUP / big.length) + 10;
    for (let i = 0; i < count; i++) logs.appendLog('us-east-1', '/aws/lambda/chatty', `${i} ${big}`);
    logs.appendLog('us-east-1', '/aws/lambda/chatty', 'y'.repeat(MAX_EVENT_BYTES + 10));
    const lines = logs.lines('us-east-1', '/aws/lambda/chatty');
    const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l.message), 0);
    expect(bytes).toBeLessThanOrEqual(MAX_BYTES_PER_GROUP);
    expect(lines.at(-1)!.message).toHaveLength(MAX_EVENT_BYTES);
    // The newest that fit: as many whole big lines as the bound leaves beside the last one.
    let first = count;
    for (let total = MAX_EVENT_BYTES; first > 0 && total + Buffer.byteLength(`${first - 1} ${big}`) <= MAX_BYTES_PER_GROUP; first--) total += Buffer.byteLength(`${first - 1} ${big}`);
    expect(lines[0].message.startsWith(`${first} `)).toBe(true);
    expect(first).toBeGreaterThan(0);
  });

  it('provides AWS::Logs::LogGroup to CloudFormation, updating retention in place', async () => {
    const cloud = fakeCloud();
    const logs = new Logs(cloud.ctx);
    const [provider] = logsResources(logs);
    cloud.ctx.resource = (type) => (type === provider.type ? provider : undefined);
    const cfn = new CloudFormation(cloud.ctx);
    const template = (days: number) => `Resources: { Group: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: /app/api, RetentionInDays: ${days} } } }\nOutputs: { Arn: { Value: !GetAtt Group.Arn } }`;
    cfn.createStack('eu-west-1', { StackName: 'logs', TemplateBody: template(7) });
    await cfn.idle();
    expect(cfn.outputs('eu-west-1', 'logs').Arn).toBe('arn:aws:logs:eu-west-1:000000000000:log-group:/app/api:*');
    cfn.updateStack('eu-west-1', { StackName: 'logs', TemplateBody: template(30) });
    await cfn.idle();
    expect(logs.describeLogGroups('eu-west-1')).toMatchObject([{ logGroupName: '/app/api', retentionInDays: 30 }]);
    cfn.deleteStack('eu-west-1', { StackName: 'logs' });
    await cfn.idle();
    expect(logs.describeLogGroups('eu-west-1')).toEqual([]);
  });
});
