import { describe, expect, it } from 'vitest';
import type { Events } from '../../../src/local-cloud/events/domain.js';
import { createEventsService } from '../../../src/local-cloud/events/index.js';
import type { ResourceContext } from '../../../src/local-cloud/types.js';
import { fakeCloud } from '../lambda/fake-cloud.js';

describe('AWS::Events::Rule', () => {
  it('creates the rule with its targets, replaces the target list on update, deletes both', async () => {
    const cloud = fakeCloud();
    const svc = createEventsService(cloud.ctx);
    const events = svc.domain as Events;
    const provider = svc.resources!.find((p) => p.type === 'AWS::Events::Rule')!;
    const ctx: ResourceContext = { cloud: cloud.ctx, region: 'us-west-2', accountId: '000000000000', stackName: 'svc-dev-health', stackId: 'id', logicalId: 'Pinger' };
    const fn = 'arn:aws:lambda:us-west-2:000000000000:function:check';
    const props = { ScheduleExpression: 'rate(1 minute)', Targets: [{ Id: 'a', Arn: fn }, { Id: 'b', Arn: fn, Input: '{}' }] };
    const created = await provider.create(ctx, props);
    expect(created.attributes.Arn).toBe(`arn:aws:events:us-west-2:000000000000:rule/${created.physicalId}`);
    expect(events.listTargets('us-west-2', created.physicalId).map((t) => t.Id)).toEqual(['a', 'b']);
    await provider.update!(ctx, created.physicalId, { ...props, State: 'DISABLED', Targets: [{ Id: 'b', Arn: fn }] }, props);
    expect(events.describeRule('us-west-2', created.physicalId)).toMatchObject({ State: 'DISABLED', targets: [{ Id: 'b', Arn: fn }] });
    expect(cloud.clock.pendingTimers()).toBe(0); // disabled: no schedule armed
    await provider.delete(ctx, created.physicalId, props);
    expect(events.listRules('us-west-2')).toEqual([]);
    cloud.cleanup();
  });
});
