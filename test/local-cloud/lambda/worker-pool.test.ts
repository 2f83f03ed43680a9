import { afterEach, describe, expect, it } from 'vitest';
import { AwsError } from '../../../src/local-cloud/aws-error.js';
import { LambdaDomain, type LambdaDomainOptions } from '../../../src/local-cloud/lambda/domain.js';
import { WORKER_DEFAULTS } from '../../../src/local-cloud/lambda/worker-pool.js';
import { fakeCloud, fixtureZip, ROLE, type FakeCloud } from './fake-cloud.js';

// The worker pool's resource bounds: idle workers are reclaimed on the cloud clock, warm workers
// are capped per function and kept warm up to a total, and invocations beyond the concurrency limit are throttled.
const R = 'us-east-1';
let cloud: FakeCloud;
let lambda: LambdaDomain;

function setup(opts: LambdaDomainOptions = {}): void {
  cloud = fakeCloud();
  lambda = new LambdaDomain(cloud.ctx, opts);
}

afterEach(async () => {
  await lambda.stop();
  cloud.cleanup();
});

const create = (name: string, handler = 'handlers.echo') =>
  lambda.createFunction(R, {
    FunctionName: name,
    Runtime: 'nodejs20.x',
    Role: ROLE,
    Handler: handler,
    Code: { ZipFile: fixtureZip('handlers.js').toString('base64') },
  });

const payload = (r: { payload: Buffer }) => JSON.parse(r.payload.toString('utf8'));

describe('Lambda worker pool', () => {
  it('reclaims an idle worker after the idle period of cloud time, and the next invoke is a cold start', async () => {
    setup();
    create('echo');
    expect(payload(await lambda.invoke(R, 'echo', '{}')).invocations).toBe(1);
    expect(payload(await lambda.invoke(R, 'echo', '{}')).invocations).toBe(2); // warm
    expect(lambda.workerCount(R, 'echo')).toBe(1);

    await cloud.clock.advance(WORKER_DEFAULTS.idleMs - 1_000);
    expect(lambda.workerCount(R, 'echo')).toBe(1); // not idle long enough yet
    await cloud.clock.advance(1_000);
    expect(lambda.workerCount(R, 'echo')).toBe(0);
    expect(lambda.poolStats().workers).toBe(0);
    expect(cloud.clock.pendingTimers()).toBe(0); // nothing left to reap: no timer either

    // Still invocable; a fresh worker means module state starts over, as after a cold start.
    expect(payload(await lambda.invoke(R, 'echo', '{}')).invocations).toBe(1);
    expect(lambda.workerCount(R, 'echo')).toBe(1);
  });

  it('keeps a regularly invoked function warm and reclaims the burst workers it no longer needs', async () => {
    setup();
    create('busy', 'handlers.busy');
    await Promise.all([0, 1, 2, 3].map((n) => lambda.invoke(R, 'busy', JSON.stringify({ n, ms: 60 }))));
    expect(lambda.workerCount(R, 'busy')).toBe(4);
    // One invocation a minute, like the canary: the most recently used worker serves it each time.
    for (let minute = 0; minute < 15; minute++) {
      await cloud.clock.advance(60_000);
      await lambda.invoke(R, 'busy', JSON.stringify({ n: minute, ms: 1 }));
    }
    expect(lambda.workerCount(R, 'busy')).toBe(1);
    expect(cloud.clock.pendingTimers()).toBe(1); // one reaper timer for the whole pool
  });

  it('scales back down after a burst: spare workers go after a cloud minute idle, the last one after the idle period', async () => {
    setup();
    create('busy', 'handlers.busy');
    await Promise.all([0, 1, 2, 3].map((n) => lambda.invoke(R, 'busy', JSON.stringify({ n, ms: 60 }))));
    expect(lambda.workerCount(R, 'busy')).toBe(4);
    await cloud.clock.advance(WORKER_DEFAULTS.spareIdleMs - 1_000);
    expect(lambda.workerCount(R, 'busy')).toBe(4);
    await cloud.clock.advance(1_000);
    expect(lambda.workerCount(R, 'busy')).toBe(1); // the most recently used one stays warm
    await cloud.clock.advance(WORKER_DEFAULTS.idleMs - WORKER_DEFAULTS.spareIdleMs);
    expect(lambda.workerCount(R, 'busy')).toBe(0);
    expect(cloud.clock.pendingTimers()).toBe(0);
  });

  it('caps live workers across functions, evicting the least recently used idle one', async () => {
    setup({ maxWorkers: 2 });
    for (const name of ['a', 'b', 'c']) create(name);
    await lambda.invoke(R, 'a', '{}');
    await cloud.clock.advance(1_000);
    await lambda.invoke(R, 'b', '{}');
    await cloud.clock.advance(1_000);
    await lambda.invoke(R, 'c', '{}');
    expect(lambda.poolStats().workers).toBe(2);
    expect([lambda.workerCount(R, 'a'), lambda.workerCount(R, 'b'), lambda.workerCount(R, 'c')]).toEqual([0, 1, 1]);
  });

  it('never makes a call wait on the total cap (nested calls would deadlock), but keeps only that many warm', async () => {
    setup({ maxWorkers: 2 });
    for (const name of ['a', 'b', 'c']) create(name, 'handlers.busy');
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, lambda.poolStats().workers)), 2);
    const results = await Promise.all(
      ['a', 'b', 'c', 'a', 'b', 'c'].map((name, n) => lambda.invoke(R, name, JSON.stringify({ n, ms: 150 }))),
    ).finally(() => clearInterval(watch));
    expect(results.map((r) => payload(r).done)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBeGreaterThan(2); // all three functions ran at once
    // Which two stay warm depends on which calls finish last (two of one function may), so only the count is fixed.
    const stats = lambda.poolStats();
    expect(stats).toMatchObject({ workers: 2, inFlight: 0 });
    expect(stats.functions).toBeGreaterThanOrEqual(1);
    expect(stats.functions).toBeLessThanOrEqual(2);
  });

  it('skips a scheduled event while the function already has invocations waiting for a worker (the cloud is behind), and logs it', async () => {
    setup({ maxWorkersPerFunction: 1 });
    create('tick', 'handlers.busy');
    const rule = 'arn:aws:events:us-east-1:000000000000:rule/every-minute';
    const other = 'arn:aws:events:us-east-1:000000000000:rule/other';
    for (const [sid, arn] of [['a', rule], ['b', other]]) lambda.addPermission(R, 'tick', { StatementId: sid, Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: arn });
    const ran: string[] = [];
    lambda.onInvoke = (_region, _name, result) => ran.push(JSON.parse(result.payload.toString()).done);
    const fire = (n: string, sourceArn: string) => lambda.invoke(R, 'tick', JSON.stringify({ n, ms: 200 }), { invocationType: 'Event', principal: 'events.amazonaws.com', sourceArn });
    expect((await fire('first', rule)).statusCode).toBe(202); // runs on the one worker
    await fire('second', rule); // waits for it: not behind yet
    expect((await fire('behind', rule)).statusCode).toBe(202); // accepted, as Lambda accepts it, but not run
    await fire('other rule', other); // any schedule: the function is behind
    await lambda.invoke(R, 'tick', JSON.stringify({ n: 'direct', ms: 1 }), { invocationType: 'Event' }); // an unscheduled event still queues
    await lambda.settled();
    expect(ran.sort()).toEqual(['direct', 'first', 'second']);
    expect(lambda.skippedScheduledEvents()).toBe(2);
    expect(cloud.logs.join('\n')).toMatch(/tick still has invocations waiting for a worker; the local cloud is behind, the event from .*every-minute is skipped/);
    // Once the previous one finished, the schedule's next event runs.
    await fire('next', rule);
    await lambda.settled();
    expect(ran).toContain('next');
  });

  it('throttles with TooManyRequestsException beyond the concurrency limit, as Lambda does', async () => {
    setup({ maxWorkers: 1, maxConcurrentExecutions: 2 });
    create('busy', 'handlers.busy');
    const running = [0, 1].map((n) => lambda.invoke(R, 'busy', JSON.stringify({ n, ms: 100 })));
    const error = await lambda.invoke(R, 'busy', JSON.stringify({ n: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsError);
    expect(error).toMatchObject({ code: 'TooManyRequestsException', status: 429, message: 'Rate Exceeded.', extra: { Type: 'User', Reason: 'ConcurrentInvocationLimitExceeded' } });
    expect((await Promise.all(running)).map((r) => payload(r).done)).toEqual([0, 1]);
    // Capacity is back once they finish.
    expect(payload(await lambda.invoke(R, 'busy', JSON.stringify({ n: 3, ms: 1 }))).done).toBe(3);
  });

  it('starts no worker once stopped: a late call cannot keep the process alive', async () => {
    setup();
    create('echo');
    await lambda.stop();
    const error = await lambda.invoke(R, 'echo', '{}').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ServiceException', status: 500 });
    expect(lambda.poolStats().workers).toBe(0);
  });
});
