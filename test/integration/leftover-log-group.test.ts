import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { deployCommand } from '../../src/commands/deploy.js';
import { destroyCommand } from '../../src/commands/destroy.js';
import { startHarness, type Harness } from './harness.js';

// destroy, then a log group /aws/lambda/<fn> comes back outside any stack (an invocation that was
// still running, a role of an older version allowed to create it): the next deploy used to fail
// "already exists" forever. Deploy removes the leftover, says so, and the stack creates the group
// with its retention (issue 7, defect 7).
const region = 'us-west-2';
let h: Harness;
beforeAll(async () => {
  h = await startHarness(`service: shop\nstage: logs\nregions: [${region}]\ndns:\n  zone: shop.example\n  createZone: true\n`);
});
afterAll(async () => h?.close());

describe('a leftover Lambda log group', () => {
  it('is deleted before the stack that declares it is created again', async () => {
    await deployCommand(h.context());
    await destroyCommand(h.context(), { yes: true });
    const logs = new CloudWatchLogsClient({ region, endpoint: h.cloud.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/shop-logs-hello' }));

    const ctx = h.context({ json: true });
    await deployCommand(ctx);
    expect(JSON.parse(ctx.io.stdout).ok).toBe(true);
    const warnings = ctx.io.events.flatMap((e) => (e.kind === 'warn' ? [e.message] : []));
    expect(warnings).toContain('shop-logs-service: log group /aws/lambda/shop-logs-hello already exists outside the stack (left by the function after an earlier delete); deleting it so the stack can create it');
    const groups = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/shop-logs-hello' }))).logGroups ?? [];
    // The stack's own group now: with the template's retention.
    expect(groups).toEqual([expect.objectContaining({ logGroupName: '/aws/lambda/shop-logs-hello', retentionInDays: 14 })]);

    // And a deploy with nothing left over says nothing about log groups.
    const again = h.context();
    await deployCommand(again);
    expect(again.io.events.some((e) => e.kind === 'warn' && /log group/.test(e.message))).toBe(false);
  });
});
