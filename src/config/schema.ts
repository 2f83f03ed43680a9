import { z } from 'zod';
import { isKnownRegion, suggestRegion } from '../regions.js';
import { quoted } from './locate.js';

export type AlarmStatistic = 'Sum' | 'Maximum' | 'Minimum' | 'Average' | 'SampleCount';

export interface RegionctlConfig {
  service: string;
  stage: string;
  regions: string[];
  primaryRegion: string;
  minHealthyRegions: number;
  dns: { zone: string; createZone: boolean; certificateArn?: Record<string, string> };
  healthCheck: {
    type: 'cloudwatch' | 'https' | 'both';
    alarm: { statistic: AlarmStatistic; period: number; evaluationPeriods: number; threshold: number; dimension: boolean };
    interval: 10 | 30;
    failureThreshold: number;
  };
  cdn: boolean;
  /** Managed policy ARN every role regionctl's stacks create gets as its permissions boundary. */
  permissionsBoundary?: string;
  /** Object replication between the regions' buckets (absent: no replication stacks). */
  replication?: { topology: ReplicationTopology };
  /** The DynamoDB global table and its per-region events (absent: no table, no events stacks). */
  table?: TableConfig;
}

/** ring: region i copies to i+1, the last to the first; fanout: each origin copies to every other region. */
export type ReplicationTopology = 'ring' | 'fanout' | 's3';

/**
 * eventual: multi-Region eventual consistency (MREC), replicas in every region, last writer wins.
 * strong: multi-Region strong consistency (MRSC): three regions of one region set, or two plus a
 * witness region that holds no table.
 */
export interface TableConfig {
  consistency: 'eventual' | 'strong';
  witness?: string;
}

// The region sets an MRSC table's members must share (AWS::DynamoDB::GlobalTable GlobalTableWitness):
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-globaltable-globaltablewitness.html
export const MRSC_REGION_SETS: Readonly<Record<string, readonly string[]>> = {
  US: ['us-east-1', 'us-east-2', 'us-west-2'],
  EU: ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'],
  AP: ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'],
};

export interface ResolvedConfig extends RegionctlConfig {
  file: string | null;
  dir: string;
}

export const DEFAULT_STAGE = 'dev';
export const DEFAULT_ZONE = 'regionctl.local';
// Without a regionctl.yml the demo still runs: three regions on two continents.
export const DEMO_SERVICE = 'regionctl-demo';
export const DEMO_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

const serviceName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'must start with a lowercase letter and use only a-z, 0-9 and "-" (at most 40 characters)');

const stageName = z.string().regex(/^[a-z0-9-]{1,16}$/, 'may only contain a-z, 0-9 and "-" (1 to 16 characters)');

const zoneName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/, 'must be a DNS name such as "example.com" (lowercase, no trailing dot)');

// CloudWatch PutMetricAlarm limits (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html):
// "Period multiplied by EvaluationPeriods can't be more than 604,800 seconds. For alarms with a period
// of less than one hour (3,600 seconds), the total evaluation period can't be longer than one day
// (86,400 seconds)." Checked here so a bad value fails before deploy, not in the middle of it.
export const MAX_ALARM_WINDOW_SECONDS = 604_800;
export const MAX_SHORT_PERIOD_ALARM_WINDOW_SECONDS = 86_400;

export function maxAlarmWindowSeconds(period: number): number {
  return period < 3600 ? MAX_SHORT_PERIOD_ALARM_WINDOW_SECONDS : MAX_ALARM_WINDOW_SECONDS;
}

// API Gateway publishes its metrics once a minute, standard resolution
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html),
// and a Route 53 health check follows only alarms on standard-resolution metrics
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html: "High-resolution
// metrics aren't supported"). A 10 or 30 s period (a high-resolution alarm) over a one-minute metric
// lapses into INSUFFICIENT_DATA on AWS; only the local cloud's per-second samples ever fired it.
const SUB_MINUTE_PERIOD_REASON =
  'must be a multiple of 60: API Gateway publishes 5XXError once a minute and Route 53 health checks follow only standard-resolution alarms';

const alarmSchema = z.strictObject({
  // The recipe used Minimum, which only alarms when every request in the period failed.
  statistic: z.enum(['Sum', 'Maximum', 'Minimum', 'Average', 'SampleCount']).default('Sum'),
  period: z
    .number()
    .int()
    .refine((p) => p >= 60 && p % 60 === 0, { message: SUB_MINUTE_PERIOD_REASON, params: { hint: 'use period: 60 (one minute, the shortest that fires on AWS)' } })
    .refine((p) => p <= MAX_ALARM_WINDOW_SECONDS, `must be at most ${MAX_ALARM_WINDOW_SECONDS} (seven days, the longest CloudWatch alarm window)`)
    .default(60),
  evaluationPeriods: z.number().int().min(1).default(1),
  // The alarm compares a 5XXError statistic with GreaterThanThreshold: a count, never negative.
  threshold: z.number().min(0).default(0),
  // API Gateway publishes 5XXError only per ApiName (and finer: ApiName+Stage, +Method, +Resource),
  // never without dimensions (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html),
  // so an alarm without the ApiName dimension watches a metric that never receives data and never
  // fires: failover silently off. `true` stays accepted so existing files keep loading.
  dimension: z
    .boolean()
    .refine((d) => d, {
      message: 'cannot be false: API Gateway publishes 5XXError only per ApiName, never region-wide, so an alarm without the dimension never fires on AWS',
      params: { hint: 'remove healthCheck.alarm.dimension (the alarm always watches this service\'s API by its ApiName)' },
    })
    .default(true),
});

const healthCheckSchema = z.strictObject({
  type: z.enum(['cloudwatch', 'https', 'both']).default('cloudwatch'),
  alarm: alarmSchema.prefault({}),
  // Route 53 only offers 10 s ("fast") and 30 s request intervals.
  interval: z.union([z.literal(10), z.literal(30)], { error: 'must be 10 or 30 (seconds; the only intervals Route 53 offers)' }).default(30),
  // Route 53 HealthCheckConfig: "Valid values are integers between 1 and 10."
  failureThreshold: z.number().int().min(1).max(10).default(3),
});

/** The health check regionctl.yml gets when it says nothing about one. */
export const DEFAULT_HEALTH_CHECK: RegionctlConfig['healthCheck'] = healthCheckSchema.parse({});

const dnsSchema = z.strictObject({
  zone: zoneName.default(DEFAULT_ZONE),
  // false: the zone already exists (looked up by name at deploy); true: a dns stack creates it.
  createZone: z.boolean().default(false),
  certificateArn: z.record(z.string(), z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/.+$/, 'must be an ACM certificate ARN')).optional(),
});

// ring | fanout: the replicator Lambda copies between the regions' buckets; s3: S3's own two-way
// Cross-Region Replication rules between every pair of buckets (src/templates/replication.yml).
const replicationSchema = z.strictObject({
  topology: z.enum(['ring', 'fanout', 's3']).default('ring'),
});

/** The replication template has this many destination slots per bucket for topology s3. */
export const MAX_S3_REPLICATION_PEERS = 6;

const tableSchema = z.strictObject({
  consistency: z.enum(['eventual', 'strong']).default('eventual'),
  witness: z.string().optional(),
});

const rootSchema = z.strictObject({
  service: serviceName,
  stage: stageName.default(DEFAULT_STAGE),
  regions: z.array(z.string()).min(1, 'must list at least one region'),
  primaryRegion: z.string().optional(),
  minHealthyRegions: z.number().int().min(1).default(1),
  dns: dnsSchema.prefault({}),
  healthCheck: healthCheckSchema.prefault({}),
  cdn: z.boolean().default(false),
  // The policy `regionctl iam-policy` prints lets the deploying principal create roles only with
  // this boundary (`regionctl iam-policy --boundary` prints the boundary policy to create).
  permissionsBoundary: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:policy\/.+$/, 'must be an IAM managed policy ARN (arn:aws:iam::<account>:policy/...)').optional(),
  replication: replicationSchema.optional(),
  table: tableSchema.optional(),
});

// Keys allowed at each mapping, by dotted path, for "did you mean" on unknown keys.
export const KNOWN_KEYS: Record<string, string[]> = {
  '': Object.keys(rootSchema.shape),
  dns: Object.keys(dnsSchema.shape),
  healthCheck: Object.keys(healthCheckSchema.shape),
  'healthCheck.alarm': Object.keys(alarmSchema.shape),
  replication: Object.keys(replicationSchema.shape),
  table: Object.keys(tableSchema.shape),
};

// MRSC's membership rules, checked before deploy so a bad table never half-exists:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
function checkTable(c: z.infer<typeof rootSchema>, ctx: z.core.$RefinementCtx<z.infer<typeof rootSchema>>): void {
  const t = c.table;
  if (!t) return;
  const fail = (key: string, message: string, hint: string): void => {
    ctx.addIssue({ code: 'custom', path: ['table', key], message, params: { hint } });
  };
  if (t.consistency === 'eventual') {
    if (t.witness !== undefined) fail('witness', 'is only used with consistency: strong', 'remove table.witness, or set table.consistency: strong');
    return;
  }
  if (t.witness !== undefined) {
    if (!isKnownRegion(t.witness)) return fail('witness', `unknown AWS region ${quoted(t.witness)}`, 'use a region name such as us-east-2');
    if (c.regions.includes(t.witness)) return fail('witness', `${quoted(t.witness)} is also one of regions`, 'a witness holds no table: pick a region not in regions');
  }
  const members = [...c.regions, ...(t.witness ? [t.witness] : [])];
  if (members.length !== 3 || (t.witness !== undefined && c.regions.length !== 2)) {
    return fail(
      'consistency',
      `strong needs three replica regions, or two and a witness; regions has ${c.regions.length}${t.witness ? ' and a witness' : ''}`,
      c.regions.length === 2 ? 'add table.witness: <a third region of the same set>' : 'list three regions of one region set, or use consistency: eventual',
    );
  }
  const set = Object.entries(MRSC_REGION_SETS).find(([, rs]) => members.every((r) => rs.includes(r)));
  if (!set) {
    fail(
      'consistency',
      `strong needs every member in one region set; ${members.join(', ')} are not`,
      `region sets: ${Object.entries(MRSC_REGION_SETS).map(([n, rs]) => `${n} ${rs.join(', ')}`).join('; ')}`,
    );
  }
}

// DNS names allow 253 octets (RFC 1035); an ACM certificate's first domain name at most 64 (RFC 5280
// common name; https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html).
const MAX_DNS_NAME = 253;
const MAX_CERTIFICATE_NAME = 64;

// Names regionctl derives from service, stage and zone must fit what API Gateway, Route 53 and ACM
// accept, or the deploy fails halfway through a region.
function checkDomainLengths(c: z.infer<typeof rootSchema>, ctx: z.core.$RefinementCtx<z.infer<typeof rootSchema>>): void {
  const zone = c.dns.zone;
  // The regional name src/stage/names.ts makes (config sits below the stage model and cannot import it).
  const regional = `${c.stage}-${c.service}.${zone}`;
  const fail = (message: string, hint: string): void => {
    ctx.addIssue({ code: 'custom', path: ['dns', 'zone'], message, params: { hint } });
  };
  if (regional.length > MAX_DNS_NAME) {
    fail(`makes the regional name ${regional.length} characters long (DNS allows ${MAX_DNS_NAME})`, 'use a shorter zone, service or stage name');
    return;
  }
  const requested = c.regions.filter((r) => c.dns.certificateArn?.[r] === undefined);
  if (requested.length > 0 && `*.${zone}`.length > MAX_CERTIFICATE_NAME) {
    fail(
      `is ${zone.length} characters: the certificate regionctl requests for "*.${zone}" may be at most ${MAX_CERTIFICATE_NAME} characters (ACM)`,
      `use a zone of at most ${MAX_CERTIFICATE_NAME - 2} characters, or set dns.certificateArn for ${requested.join(', ')}`,
    );
    return;
  }
  const edgeName = `${c.service}.${zone}`;
  if (c.cdn && c.dns.certificateArn?.['us-east-1'] === undefined && edgeName.length > MAX_CERTIFICATE_NAME) {
    fail(
      `makes the CloudFront name "${edgeName}" ${edgeName.length} characters long; the certificate regionctl requests for it may be at most ${MAX_CERTIFICATE_NAME} (ACM)`,
      'use a shorter zone or service name, or set dns.certificateArn for us-east-1',
    );
  }
}

// Cross-field rules zod cannot express per key; each issue carries the path of the offending value.
export const configSchema = rootSchema
  .superRefine((c, ctx) => {
    const seen = new Map<string, number>();
    c.regions.forEach((region, i) => {
      if (!isKnownRegion(region)) {
        const suggestion = suggestRegion(region);
        ctx.addIssue({
          code: 'custom',
          path: ['regions', i],
          message: `unknown AWS region ${quoted(region)}`,
          params: { hint: suggestion ? `did you mean "${suggestion}"?` : 'use a region name such as us-east-1 or eu-west-1' },
        });
      } else if (seen.has(region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['regions', i],
          message: `${quoted(region)} is listed twice (also regions[${seen.get(region)}])`,
          params: { hint: 'list each region once' },
        });
      } else {
        seen.set(region, i);
      }
    });
    if (c.primaryRegion !== undefined && !c.regions.includes(c.primaryRegion)) {
      ctx.addIssue({
        code: 'custom',
        path: ['primaryRegion'],
        message: `${quoted(c.primaryRegion)} is not one of regions (${c.regions.map((r) => (isKnownRegion(r) ? r : quoted(r))).join(', ')})`,
        params: { hint: 'set primaryRegion to one of the listed regions, or add it to regions' },
      });
    }
    if (c.replication?.topology === 's3' && c.regions.length > MAX_S3_REPLICATION_PEERS + 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['replication', 'topology'],
        message: `s3 replicates each bucket to every other region, and regionctl's template has rules for at most ${MAX_S3_REPLICATION_PEERS + 1} regions (${c.regions.length} are configured)`,
        params: { hint: 'use topology: ring or fanout for more regions' },
      });
    }
    if (c.minHealthyRegions > c.regions.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['minHealthyRegions'],
        message: `is ${c.minHealthyRegions} but only ${c.regions.length} region(s) are configured`,
        params: { hint: 'minHealthyRegions must not exceed the number of regions' },
      });
    }
    const alarm = c.healthCheck.alarm;
    const window = alarm.period * alarm.evaluationPeriods;
    // A period beyond seven days is already reported on its own key.
    if (alarm.period <= MAX_ALARM_WINDOW_SECONDS && window > maxAlarmWindowSeconds(alarm.period)) {
      const max = maxAlarmWindowSeconds(alarm.period);
      ctx.addIssue({
        code: 'custom',
        path: ['healthCheck', 'alarm', 'evaluationPeriods'],
        message: `is ${alarm.evaluationPeriods}: period ${alarm.period} s × ${alarm.evaluationPeriods} = ${window} s, but CloudWatch allows at most ${max} s (${max === MAX_ALARM_WINDOW_SECONDS ? 'seven days' : 'one day for periods under an hour'})`,
        params: { hint: `use at most ${Math.floor(max / alarm.period)} evaluation periods of ${alarm.period} s` },
      });
    }
    checkDomainLengths(c, ctx);
    checkTable(c, ctx);
    for (const region of Object.keys(c.dns.certificateArn ?? {})) {
      if (!c.regions.includes(region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['dns', 'certificateArn', region],
          message: `${quoted(region)} is not one of regions`,
          params: { hint: 'certificateArn is keyed by region: one ACM certificate per configured region' },
        });
      }
    }
  })
  .transform((c): RegionctlConfig => ({
    ...c,
    primaryRegion: c.primaryRegion ?? c.regions[0],
    ...(c.replication ? { replication: { topology: c.replication.topology as ReplicationTopology } } : {}),
  }));
