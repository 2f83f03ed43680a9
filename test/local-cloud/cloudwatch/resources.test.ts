import { describe, expect, it } from 'vitest';
import { createCloudWatchService } from '../../../src/local-cloud/cloudwatch/index.js';
import type { CloudWatch } from '../../../src/local-cloud/cloudwatch/domain.js';
import type { ResourceContext } from '../../../src/local-cloud/types.js';
import { fakeCloud } from '../lambda/fake-cloud.js';

describe('AWS::CloudWatch::Alarm', () => {
  it('creates with a generated name from string-typed template values, updates in place, deletes', async () => {
    const cloud = fakeCloud();
    const svc = createCloudWatchService(cloud.ctx);
    const cw = svc.domain as CloudWatch;
    const provider = svc.resources!.find((p) => p.type === 'AWS::CloudWatch::Alarm')!;
    const ctx: ResourceContext = { cloud: cloud.ctx, region: 'eu-west-1', accountId: '000000000000', stackName: 'svc-dev-health', stackId: 'id', logicalId: 'FiveXx' };
    const props = { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [{ Name: 'ApiName', Value: 'dev-svc' }], Statistic: 'Sum', Period: '60', EvaluationPeriods: '1', Threshold: '0', ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' };
    const created = await provider.create(ctx, props);
    expect(created.physicalId).toMatch(/^svc-dev-health-FiveXx-[0-9A-F]{12}$/);
    expect(created.attributes.Arn).toBe(`arn:aws:cloudwatch:eu-west-1:000000000000:alarm:${created.physicalId}`);
    await provider.update!(ctx, created.physicalId, { ...props, Threshold: '2' }, props);
    expect(cw.describeAlarms('eu-west-1')).toEqual([expect.objectContaining({ AlarmName: created.physicalId, Threshold: 2, Period: 60 })]);
    await provider.delete(ctx, created.physicalId, props);
    expect(cw.describeAlarms('eu-west-1')).toEqual([]);
    cloud.cleanup();
  });
});
