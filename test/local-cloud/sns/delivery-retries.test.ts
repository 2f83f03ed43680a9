import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LambdaDomain } from '../../../src/local-cloud/lambda/domain.js';
import { retryDelayMs, SNS_LAMBDA_RETRIES } from '../../../src/local-cloud/sns/delivery.js';
import { SnsDomain } from '../../../src/local-cloud/sns/domain.js';
import { fakeCloud, fixtureZip, ROLE, type FakeCloud } from '../lambda/fake-cloud.js';

// An unpaced burst larger than Lambda's concurrency used to lose events: throttled Event invokes
// were dropped. Now Lambda's async queue retries throttles (1 s doubling to 5 min, up to 6 h),
// function errors twice (1 min, then 2 min), and SNS retries server-side invoke errors with the
// AWS-managed delivery policy; all on the cloud clock.
let cloud: FakeCloud;
let lambda: LambdaDomain;
let sns: SnsDomain;
const ok: string[] = [];
const errors: string[] = [];

beforeEach(() => {
  cloud = fakeCloud();
  lambda = new LambdaDomain(cloud.ctx, { maxConcurrentExecutions: 2, maxWorkersPerFunction: 1 });
  cloud.services.lambda = lambda;
  sns = new SnsDomain(cloud.ctx);
  ok.length = 0;
  errors.length = 0;
  lambda.onInvoke = (_region, name, result) => (result.functionError ? errors : ok).push(name);
});

afterEach(async () => {
  await lambda.stop();
  cloud.cleanup();
});

function subscribe(handler: string): string {
  const fn = lambda.createFunction('us-east-1', { FunctionName: handler, Runtime: 'nodejs20.x', Role: ROLE, Handler: `handlers.${handler}`, Code: { ZipFile: fixtureZip('handlers.js').toString('base64') } });
  lambda.addPermission('us-east-1', handler, { StatementId: 'sns', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' });
  const { TopicArn } = sns.createTopic('us-east-1', { Name: `t-${handler}` });
  sns.subscribe('us-east-1', { TopicArn, Protocol: 'lambda', Endpoint: fn.FunctionArn });
  return TopicArn;
}

/** Let running attempts finish, then move the clock so scheduled retries run; until nothing waits. */
async function drain(stepMs: number, rounds = 400): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await lambda.settled();
    if (lambda.async.stats().waiting === 0) return;
    await cloud.clock.advance(stepMs);
  }
  throw new Error(`still waiting after ${rounds} rounds: ${JSON.stringify(lambda.async.stats())}`);
}

describe('SNS → Lambda deliveries are retried as on AWS', () => {
  it('a burst larger than the concurrency limit loses nothing: throttled events run later', async () => {
    const topic = subscribe('echo');
    for (let i = 0; i < 40; i++) sns.publish('us-east-1', { TopicArn: topic, Message: `m${i}` });
    await lambda.settled();
    expect(ok.length).toBeLessThan(40); // the limit held most of the burst back
    expect(lambda.async.stats().waiting).toBeGreaterThan(0);
    await drain(1000);
    expect(ok).toHaveLength(40);
    expect(lambda.async.stats().dropped).toBe(0);
    expect(sns.deliveries('us-east-1').every((d) => d.ok)).toBe(true);
  });

  it('a function error is retried twice, one minute and then two minutes later, then dropped', async () => {
    const topic = subscribe('fail');
    sns.publish('us-east-1', { TopicArn: topic, Message: 'boom' });
    await lambda.settled();
    expect(errors).toHaveLength(1);
    await cloud.clock.advance(59_000);
    await lambda.settled();
    expect(errors).toHaveLength(1);
    await cloud.clock.advance(1000);
    await lambda.settled();
    expect(errors).toHaveLength(2);
    await cloud.clock.advance(119_000);
    await lambda.settled();
    expect(errors).toHaveLength(2);
    await cloud.clock.advance(1000);
    await lambda.settled();
    expect(errors).toHaveLength(3);
    await cloud.clock.advance(3_600_000);
    await lambda.settled();
    expect(errors).toHaveLength(3);
    expect(lambda.async.stats()).toMatchObject({ waiting: 0, dropped: 1 });
    expect(cloud.logs.some((l) => l.includes('dropped: function error after 3 attempts'))).toBe(true);
  });

  it('SNS does not retry a client-side error (the function is gone)', async () => {
    const topic = subscribe('echo');
    await lambda.deleteFunction('us-east-1', 'echo');
    sns.publish('us-east-1', { TopicArn: topic, Message: 'lost' });
    await lambda.settled();
    await cloud.clock.advance(60_000);
    const [delivery] = sns.deliveries('us-east-1');
    expect(delivery).toMatchObject({ ok: false });
    expect(delivery!.retries).toBeUndefined();
  });

  it('follows the AWS-managed delivery policy: 3 immediate, 2 at 1 s, 10 backing off to 20 s, then 20 s', () => {
    expect([0, 1, 2, 3, 4].map(retryDelayMs)).toEqual([0, 0, 0, 1000, 1000]);
    expect(retryDelayMs(5)).toBe(1000);
    expect(retryDelayMs(14)).toBe(20_000);
    expect(retryDelayMs(15)).toBe(20_000);
    expect(SNS_LAMBDA_RETRIES).toBe(100_015);
    // 100,015 retries last about 23 days.
    let total = 0;
    for (let n = 0; n < SNS_LAMBDA_RETRIES; n++) total += retryDelayMs(n);
    expect(Math.round(total / 86_400_000)).toBe(23);
  });
});
