// EventBridge through the real SDK v3 client: schedules invoking a Lambda as the virtual clock advances.
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createEventsService } from '../../../src/local-cloud/events/index.js';
import { createLambdaService } from '../../../src/local-cloud/lambda/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { fixtureZip, ROLE } from '../lambda/fake-cloud.js';

const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const dataDir = mkdtempSync(join(tmpdir(), 'regionctl-events-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function withCloud<T>(clock: ManualClock, fn: (c: { cloud: LocalCloud; events: EventBridgeClient; lambda: LambdaClient; invoked: unknown[] }) => Promise<T>, dir?: string): Promise<T> {
  const cloud = await startLocalCloud({ port: 0, clock, services: [createLambdaService, createEventsService], dataDir: dir });
  const events = new EventBridgeClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  const lambda = new LambdaClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  const invoked: unknown[] = [];
  const domain = cloud.service('lambda');
  domain.onInvoke = (_r, _n, result) => invoked.push(JSON.parse(result.payload.toString()).event);
  try {
    return await fn({ cloud, events, lambda, invoked });
  } finally {
    await domain.settled();
    events.destroy();
    lambda.destroy();
    await cloud.close();
  }
}

const advance = async (cloud: LocalCloud, clock: ManualClock, ms: number) => {
  await clock.advance(ms);
  await cloud.service('lambda').settled();
};

describe('EventBridge schedules over the wire', () => {
  it('invokes a permitted Lambda every minute with the scheduled-event payload', async () => {
    const clock = new ManualClock();
    await withCloud(clock, async ({ cloud, events, lambda, invoked }) => {
      const fn = await lambda.send(new CreateFunctionCommand({ FunctionName: 'pinger', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'handlers.echo', Code: { ZipFile: fixtureZip('handlers.js') } }));
      const { RuleArn } = await events.send(new PutRuleCommand({ Name: 'every-minute', ScheduleExpression: 'rate(1 minute)' }));
      expect(RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/every-minute');
      await events.send(new PutTargetsCommand({ Rule: 'every-minute', Targets: [{ Id: 'fn', Arn: fn.FunctionArn }] }));

      await advance(cloud, clock, 60_000);
      expect(invoked).toEqual([]); // no permission for events.amazonaws.com: dropped
      expect(cloud.service('events').invocations(region, 'every-minute')).toEqual([
        expect.objectContaining({ at: T0 + 60_000, targetId: 'fn', ok: false }),
      ]);

      await lambda.send(new AddPermissionCommand({ FunctionName: 'pinger', StatementId: 'events', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: RuleArn }));
      await advance(cloud, clock, 180_000);
      // Asynchronous invocations may finish in any order: compare the firing times as a set.
      expect(invoked.map((e) => (e as { time: string }).time).sort()).toEqual(['2026-01-01T00:02:00Z', '2026-01-01T00:03:00Z', '2026-01-01T00:04:00Z']);
      expect(invoked[0]).toMatchObject({
        version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', region, resources: [RuleArn], detail: {},
      });

      await events.send(new PutTargetsCommand({ Rule: 'every-minute', Targets: [{ Id: 'fn', Arn: fn.FunctionArn, Input: '{"path":"/check"}' }] }));
      await events.send(new DisableRuleCommand({ Name: 'every-minute' }));
      await advance(cloud, clock, 120_000);
      expect(invoked).toHaveLength(3);
      await events.send(new EnableRuleCommand({ Name: 'every-minute' }));
      await advance(cloud, clock, 60_000);
      expect(invoked.at(-1)).toEqual({ path: '/check' });

      expect((await events.send(new DescribeRuleCommand({ Name: 'every-minute' })))).toMatchObject({ State: 'ENABLED', ScheduleExpression: 'rate(1 minute)', EventBusName: 'default' });
      expect((await events.send(new ListRulesCommand({ NamePrefix: 'every' }))).Rules?.map((r) => r.Name)).toEqual(['every-minute']);
      expect((await events.send(new ListTargetsByRuleCommand({ Rule: 'every-minute' }))).Targets).toEqual([{ Id: 'fn', Arn: fn.FunctionArn, Input: '{"path":"/check"}' }]);
      const busy = await events.send(new DeleteRuleCommand({ Name: 'every-minute' })).catch((e: unknown) => e);
      expect((busy as Error).name).toBe('ValidationException'); // no modelled class in the SDK
      expect((busy as Error).message).toBe("Rule can't be deleted since it has targets.");
      await events.send(new RemoveTargetsCommand({ Rule: 'every-minute', Ids: ['fn'] }));
      await events.send(new DeleteRuleCommand({ Name: 'every-minute' }));
      const gone = await events.send(new DescribeRuleCommand({ Name: 'every-minute' })).catch((e: unknown) => e);
      expect(gone).toBeInstanceOf(ResourceNotFoundException);
      expect((gone as Error).message).toBe('Rule every-minute does not exist on EventBus default.');
      const bad = await events.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'rate(1 minutes)' })).catch((e: unknown) => e);
      expect((bad as Error).message).toBe('Parameter ScheduleExpression is not valid.');
    });
  });

  it('re-arms schedules after a restart', async () => {
    const clock = new ManualClock();
    await withCloud(
      clock,
      async ({ events, lambda }) => {
        const fn = await lambda.send(new CreateFunctionCommand({ FunctionName: 'pinger', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'handlers.echo', Code: { ZipFile: fixtureZip('handlers.js') } }));
        const { RuleArn } = await events.send(new PutRuleCommand({ Name: 'durable', ScheduleExpression: 'rate(5 minutes)' }));
        await lambda.send(new AddPermissionCommand({ FunctionName: 'pinger', StatementId: 'events', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: RuleArn }));
        await events.send(new PutTargetsCommand({ Rule: 'durable', Targets: [{ Id: 'fn', Arn: fn.FunctionArn }] }));
      },
      dataDir,
    );
    await withCloud(
      clock,
      async ({ cloud, invoked }) => {
        await advance(cloud, clock, 299_999);
        expect(invoked).toHaveLength(0);
        await advance(cloud, clock, 1);
        expect(invoked).toEqual([expect.objectContaining({ time: '2026-01-01T00:05:00Z' })]);
      },
      dataDir,
    );
  });
});
