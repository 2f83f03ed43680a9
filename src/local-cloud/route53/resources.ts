import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AwsError } from '../aws-error.js';
import { defineResource } from '../cloudformation/resource-properties.js';
import { cfnBoolean, cfnIgnoredObject, cfnInteger, cfnString, cfnStrings, cfnTags } from '../cloudformation/property-types.js';
import type { ResourceContext, ResourceProvider } from '../types.js';
import type { Route53Domain } from './domain.js';
import { dnsName } from './ids.js';
import type { RecordSet } from './model.js';
import { healthCheckConfigFrom, recordSetFrom } from './record-input.js';
import { sleepOn } from '../realism.js';

const quietly = (fn: () => void, codes: string[]): void => {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof AwsError && codes.includes(err.code))) throw err;
  }
};

// The types' full property sets, from the CloudFormation reference:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-hostedzone.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-recordset.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-recordsetgroup.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-healthcheck.html
// Routing policies the local cloud does not serve (GeoLocation, GeoProximityLocation, CIDR,
// multivalue) are accepted by type only; Route 53's own checks in recordSetFrom then apply.
const hostedZoneProperties = z.strictObject({
  HostedZoneConfig: z.strictObject({ Comment: cfnString().optional() }).optional(),
  HostedZoneFeatures: cfnIgnoredObject().optional(),
  HostedZoneTags: cfnTags().optional(),
  Name: cfnString(),
  QueryLoggingConfig: z.strictObject({ CloudWatchLogsLogGroupArn: cfnString() }).optional(),
  VPCs: z.array(z.strictObject({ VPCId: cfnString(), VPCRegion: cfnString() })).optional(),
});

const recordSetShape = {
  AliasTarget: z.strictObject({ DNSName: cfnString(), EvaluateTargetHealth: cfnBoolean().optional(), HostedZoneId: cfnString() }).optional(),
  CidrRoutingConfig: cfnIgnoredObject().optional(),
  Failover: cfnString().optional(),
  GeoLocation: cfnIgnoredObject().optional(),
  GeoProximityLocation: cfnIgnoredObject().optional(),
  HealthCheckId: cfnString().optional(),
  HostedZoneId: cfnString().optional(),
  HostedZoneName: cfnString().optional(),
  MultiValueAnswer: cfnBoolean().optional(),
  Name: cfnString(),
  Region: cfnString().optional(),
  ResourceRecords: cfnStrings().optional(),
  SetIdentifier: cfnString().optional(),
  TTL: cfnString().optional(),
  Type: cfnString(),
  Weight: cfnInteger().optional(),
};
const recordSetProperties = z.strictObject({ ...recordSetShape, Comment: cfnString().optional() });
const recordSetGroupProperties = z.strictObject({
  Comment: cfnString().optional(),
  HostedZoneId: cfnString().optional(),
  HostedZoneName: cfnString().optional(),
  RecordSets: z.array(z.strictObject(recordSetShape)).optional(),
});

const healthCheckProperties = z.strictObject({
  HealthCheckConfig: z.strictObject({
    AlarmIdentifier: z.strictObject({ Name: cfnString(), Region: cfnString() }).optional(),
    ChildHealthChecks: cfnStrings().optional(),
    EnableSNI: cfnBoolean().optional(),
    FailureThreshold: cfnInteger().optional(),
    FullyQualifiedDomainName: cfnString().optional(),
    HealthThreshold: cfnInteger().optional(),
    IPAddress: cfnString().optional(),
    InsufficientDataHealthStatus: cfnString().optional(),
    Inverted: cfnBoolean().optional(),
    MeasureLatency: cfnBoolean().optional(),
    Port: cfnInteger().optional(),
    Regions: cfnStrings().optional(),
    RequestInterval: cfnInteger().optional(),
    ResourcePath: cfnString().optional(),
    RoutingControlArn: cfnString().optional(),
    SearchString: cfnString().optional(),
    Type: cfnString(),
  }),
  HealthCheckTags: cfnTags().optional(),
});

function zoneIdOf(r53: Route53Domain, props: { HostedZoneId?: string; HostedZoneName?: string }): string {
  if (props.HostedZoneId) return r53.zones.zone(props.HostedZoneId).id;
  if (props.HostedZoneName) {
    const zone = r53.zones.zoneByName(props.HostedZoneName);
    if (!zone) throw new AwsError('NoSuchHostedZone', `No hosted zone found with name: ${dnsName(props.HostedZoneName)}`, 404);
    return zone.id;
  }
  throw new AwsError('InvalidInput', 'Exactly one of HostedZoneId or HostedZoneName must be specified', 400);
}

// DELETE needs the exact current record; the stored one is what we created.
function deleteRecord(r53: Route53Domain, zoneId: string, wanted: RecordSet): void {
  const zone = r53.zones.zone(zoneId);
  const current = zone.records.find((r) => r.name === wanted.name && r.type === wanted.type && (r.setIdentifier ?? '') === (wanted.setIdentifier ?? ''));
  if (current) r53.zones.change(zoneId, [{ action: 'DELETE', record: current }]);
}

const recordId = (r: RecordSet) => r.name.replace(/\.$/, '');

export function route53Resources(r53: Route53Domain): ResourceProvider[] {
  const hostedZone = defineResource({
    type: 'AWS::Route53::HostedZone',
    properties: hostedZoneProperties,
    async create(ctx, props) {
      const { zone } = r53.zones.create({ name: props.Name, callerReference: `${ctx.stackName}-${ctx.logicalId}-${randomUUID()}`, comment: props.HostedZoneConfig?.Comment });
      return { physicalId: zone.id, attributes: { Id: zone.id, NameServers: r53.zones.zone(zone.id).records.find((r) => r.type === 'NS')?.values?.map((v) => v.replace(/\.$/, '')) } };
    },
    replaceOn: ['Name'],
    async update(_ctx, physicalId, props) {
      const zone = r53.zones.zone(physicalId);
      zone.comment = props.HostedZoneConfig?.Comment;
      return { physicalId, attributes: { Id: zone.id, NameServers: zone.records.find((r) => r.type === 'NS')?.values?.map((v) => v.replace(/\.$/, '')) } };
    },
    async delete(_ctx, physicalId) {
      quietly(() => r53.zones.delete(physicalId), ['NoSuchHostedZone']);
    },
  });

  const recordSet = defineResource({
    type: 'AWS::Route53::RecordSet',
    properties: recordSetProperties,
    async create(_ctx, props) {
      const zoneId = zoneIdOf(r53, props);
      const record = recordSetFrom(props);
      r53.zones.change(zoneId, [{ action: 'CREATE', record }]);
      await insync(_ctx);
      return { physicalId: recordId(record), attributes: {} };
    },
    replaceOn: ['Name', 'Type', 'HostedZoneId', 'HostedZoneName', 'SetIdentifier'],
    async update(_ctx, physicalId, props) {
      r53.zones.change(zoneIdOf(r53, props), [{ action: 'UPSERT', record: recordSetFrom(props) }]);
      await insync(_ctx);
      return { physicalId, attributes: {} };
    },
    async delete(_ctx, _physicalId, props) {
      quietly(() => deleteRecord(r53, zoneIdOf(r53, props), recordSetFrom(props)), ['NoSuchHostedZone', 'InvalidChangeBatch']);
    },
  });

  const groupRecords = (props: z.infer<typeof recordSetGroupProperties>): RecordSet[] => (props.RecordSets ?? []).map((r) => recordSetFrom(r));
  const key = (r: RecordSet) => `${r.name}|${r.type}|${r.setIdentifier ?? ''}`;
  const recordSetGroup = defineResource({
    type: 'AWS::Route53::RecordSetGroup',
    properties: recordSetGroupProperties,
    async create(ctx, props) {
      r53.zones.change(zoneIdOf(r53, props), groupRecords(props).map((record) => ({ action: 'CREATE' as const, record })));
      await insync(ctx);
      return { physicalId: `${ctx.stackName}-${ctx.logicalId}-${randomUUID().slice(0, 12)}`, attributes: {} };
    },
    replaceOn: ['HostedZoneId', 'HostedZoneName'],
    async update(_ctx, physicalId, props, oldProps) {
      const zoneId = zoneIdOf(r53, props);
      const next = groupRecords(props);
      const keep = new Set(next.map(key));
      const zone = r53.zones.zone(zoneId);
      const gone = groupRecords(oldProps)
        .filter((r) => !keep.has(key(r)))
        .map((r) => zone.records.find((c) => key(c) === key(r)))
        .filter((r): r is RecordSet => Boolean(r));
      r53.zones.change(zoneId, [...gone.map((record) => ({ action: 'DELETE' as const, record })), ...next.map((record) => ({ action: 'UPSERT' as const, record }))]);
      await insync(_ctx);
      return { physicalId, attributes: {} };
    },
    async delete(_ctx, _physicalId, props) {
      quietly(() => {
        const zoneId = zoneIdOf(r53, props);
        for (const r of groupRecords(props)) deleteRecord(r53, zoneId, r);
      }, ['NoSuchHostedZone', 'InvalidChangeBatch']);
    },
  });

  const healthCheck = defineResource({
    type: 'AWS::Route53::HealthCheck',
    properties: healthCheckProperties,
    async create(ctx, props) {
      const id = r53.createHealthCheck(`${ctx.stackName}-${ctx.logicalId}-${randomUUID()}`, healthCheckConfigFrom(props.HealthCheckConfig));
      return { physicalId: id, attributes: { HealthCheckId: id } };
    },
    async update(_ctx, physicalId, props, oldProps) {
      const next = healthCheckConfigFrom(props.HealthCheckConfig);
      if (next.Type !== oldProps.HealthCheckConfig.Type) throw new AwsError('InvalidInput', 'Health check type cannot be changed', 400);
      r53.healthChecks.update(physicalId, next);
      return { physicalId, attributes: { HealthCheckId: physicalId } };
    },
    async delete(_ctx, physicalId) {
      quietly(() => r53.healthChecks.delete(physicalId), ['NoSuchHealthCheck']);
    },
  });

  return [hostedZone, recordSet, recordSetGroup, healthCheck];
}

/** CloudFormation finishes a record change only once Route 53 reports it INSYNC (realism aws: 60 s). */
function insync(ctx: ResourceContext): Promise<void> {
  return sleepOn(ctx.cloud.clock, ctx.cloud.realism?.route53ChangeMs ?? 0);
}
