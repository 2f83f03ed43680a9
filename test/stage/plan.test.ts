import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { resourceCount, resourceNames, stackNamesIn } from '../../src/stage/counts.js';
import * as names from '../../src/stage/names.js';
import { deployOrder, destroyOrder, planStage } from '../../src/stage/plan.js';

const config = (raw: Record<string, unknown> = {}) =>
  configSchema.parse({ service: 'shop', stage: 'prod', regions: ['us-west-2', 'eu-west-1'], primaryRegion: 'us-west-2', ...raw });

const order = (stacks: { name: string; region: string }[]) => stacks.map((s) => `${s.name}@${s.region}`);

describe('planStage', () => {
  it('orders the stacks: once-per-stage before, every region, once-per-stage after', () => {
    const plan = planStage(config({ dns: { zone: 'shop.example', createZone: true }, cdn: true }));
    expect(order(deployOrder(plan))).toEqual([
      'shop-prod-dns@us-west-2',
      'regionctl-toolkit@us-west-2', 'shop-prod-health@us-west-2', 'shop-prod-service@us-west-2',
      'regionctl-toolkit@eu-west-1', 'shop-prod-health@eu-west-1', 'shop-prod-service@eu-west-1',
      // CloudFront takes certificates only from us-east-1, whatever regions the service runs in.
      'shop-prod-edge@us-east-1',
    ]);
    expect(order(destroyOrder(plan))).toEqual([
      'shop-prod-edge@us-east-1',
      'shop-prod-service@us-west-2', 'shop-prod-health@us-west-2', 'regionctl-toolkit@us-west-2',
      'shop-prod-service@eu-west-1', 'shop-prod-health@eu-west-1', 'regionctl-toolkit@eu-west-1',
      'shop-prod-dns@us-west-2',
    ]);
  });

  it('leaves out what regionctl.yml turns off, unless asked for every kind (what destroy walks)', () => {
    const c = config();
    expect(planStage(c).before).toEqual([]);
    expect(planStage(c).after).toEqual([]);
    const every = planStage(c, { everyKind: true });
    expect(order([...every.before, ...every.after])).toEqual(['shop-prod-dns@us-west-2', 'shop-prod-table@us-west-2', 'shop-prod-edge@us-east-1']);
    expect(every.regions[0].stacks.map((s) => s.kind)).toEqual(['toolkit', 'health', 'service', 'events', 'replication']);
  });

  it('plans the global table in the primary region and an events stack per region when regionctl.yml has table:', () => {
    const plan = planStage(config({ table: { consistency: 'eventual' } }));
    expect(order(plan.before)).toEqual(['shop-prod-table@us-west-2']);
    expect(plan.before[0].parameters).toEqual({ TableName: 'shop-prod-things' });
    for (const r of plan.regions) {
      const events = r.stacks.at(-1)!;
      expect(events).toMatchObject({ kind: 'events', name: 'shop-prod-events', region: r.region });
      expect(events.codeParameters).toEqual({ TriggerCodeKey: 'trigger', ListenerCodeKey: 'listener', CommandCodeKey: 'command', QueryCodeKey: 'query' });
      // The stream ARN is no stack's output: deploy reads it from the region's replica.
      expect(events.outputParameters).toEqual({ ArtifactBucket: 'ArtifactBucketName', TableStreamArn: 'ReplicaStreamArn' });
      expect(events.resources.filter((x) => x.type === 'AWS::Lambda::Function').map((x) => x.name)).toEqual(['shop-prod-trigger', 'shop-prod-listener', 'shop-prod-command', 'shop-prod-query']);
    }
  });

  it('gives each stack its parameters, the Lambdas synth fills in, and what earlier stacks feed it', () => {
    const plan = planStage(config({ dns: { zone: 'shop.example', certificateArn: { 'eu-west-1': 'arn:aws:acm:eu-west-1:123456789012:certificate/x' } } }));
    const [euToolkit, euHealth, euService] = plan.regions[1].stacks;
    expect(euToolkit).toMatchObject({ kind: 'toolkit', shared: true, outputs: ['ArtifactBucketName'] });
    expect(euHealth.codeParameters).toEqual({ CheckCodeKey: 'check', CanaryCodeKey: 'canary' });
    expect(euHealth.outputParameters).toEqual({ ArtifactBucket: 'ArtifactBucketName' });
    expect(euHealth.outputs).toContain('HealthCheckId');
    expect(euService.parameters).toMatchObject({ Service: 'shop', Stage: 'prod', ZoneName: 'shop.example', CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x' });
    expect(euService.outputParameters).toEqual({ ArtifactBucket: 'ArtifactBucketName', HealthCheckId: 'HealthCheckId', HostedZoneId: 'HostedZoneId' });
    // A configured certificate switches the stack's own off (its Condition is false for these parameters).
    expect(euService.resources.map((r) => r.type)).not.toContain('AWS::CertificateManager::Certificate');
    expect(plan.regions[0].stacks[2].resources.map((r) => r.type)).toContain('AWS::CertificateManager::Certificate');
  });
});

describe('counts and names come from the templates', () => {
  it('counts health checks per the configured type: one, or two plus the CALCULATED parent', () => {
    expect(resourceCount(planStage(config()), 'AWS::Route53::HealthCheck')).toBe(2);
    expect(resourceCount(planStage(config({ healthCheck: { type: 'https' } })), 'AWS::Route53::HealthCheck')).toBe(2);
    expect(resourceCount(planStage(config({ healthCheck: { type: 'both' } })), 'AWS::Route53::HealthCheck')).toBe(6);
    expect(resourceCount(planStage(config({ healthCheck: { type: 'both' } })), 'AWS::Route53::HealthCheck', 'eu-west-1')).toBe(3);
  });

  it('counts REST APIs and stacks per region, once-per-stage stacks where they live', () => {
    const plan = planStage(config({ dns: { zone: 'shop.example', createZone: true }, cdn: true }));
    expect(resourceCount(plan, 'AWS::ApiGateway::RestApi', 'eu-west-1')).toBe(2);
    expect(stackNamesIn(plan, 'us-west-2')).toEqual(['shop-prod-dns', 'regionctl-toolkit', 'shop-prod-health', 'shop-prod-service']);
    expect(stackNamesIn(plan, 'us-east-1')).toEqual(['shop-prod-edge']);
  });

  it('resolves the names the templates give to the same names src/stage/names.ts makes', () => {
    const c = config();
    const plan = planStage(c);
    expect(resourceNames(plan, 'AWS::Lambda::Function')).toEqual(['canary', 'check', 'hello'].map((f) => names.functionName(c, f)));
    expect(resourceNames(plan, 'AWS::CloudWatch::Alarm', 'eu-west-1')).toEqual([names.alarmName(c, 'eu-west-1')]);
    expect(resourceNames(plan, 'AWS::Events::Rule')).toEqual([names.canaryRuleName(c)]);
    expect(resourceNames(plan, 'AWS::ApiGateway::RestApi')).toContain(names.healthApiName(c));
  });
});
