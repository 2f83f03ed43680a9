import { z } from 'zod';
import { isKnownRegion, suggestRegion } from '../regions.js';

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
}

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

const alarmSchema = z.strictObject({
  // The recipe used Minimum, which only alarms when every request in the period failed.
  statistic: z.enum(['Sum', 'Maximum', 'Minimum', 'Average', 'SampleCount']).default('Sum'),
  period: z
    .number()
    .int()
    .refine((p) => p === 10 || p === 30 || (p >= 60 && p % 60 === 0), 'must be 10, 30 or a multiple of 60 (CloudWatch alarm periods)')
    .default(60),
  evaluationPeriods: z.number().int().min(1).default(1),
  threshold: z.number().min(0).default(0),
  dimension: z.boolean().default(true),
});

const healthCheckSchema = z.strictObject({
  type: z.enum(['cloudwatch', 'https', 'both']).default('cloudwatch'),
  alarm: alarmSchema.prefault({}),
  // Route 53 only offers 10 s ("fast") and 30 s request intervals.
  interval: z.union([z.literal(10), z.literal(30)], { error: 'must be 10 or 30 (seconds; the only intervals Route 53 offers)' }).default(30),
  failureThreshold: z.number().int().min(1).max(10).default(3),
});

const dnsSchema = z.strictObject({
  zone: zoneName.default(DEFAULT_ZONE),
  // false: the zone already exists (looked up by name at deploy); true: a dns stack creates it.
  createZone: z.boolean().default(false),
  certificateArn: z.record(z.string(), z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/.+$/, 'must be an ACM certificate ARN')).optional(),
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
});

// Keys allowed at each mapping, by dotted path, for "did you mean" on unknown keys.
export const KNOWN_KEYS: Record<string, string[]> = {
  '': Object.keys(rootSchema.shape),
  dns: Object.keys(dnsSchema.shape),
  healthCheck: Object.keys(healthCheckSchema.shape),
  'healthCheck.alarm': Object.keys(alarmSchema.shape),
};

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
          message: `unknown AWS region "${region}"`,
          params: { hint: suggestion ? `did you mean "${suggestion}"?` : 'use a region name such as us-east-1 or eu-west-1' },
        });
      } else if (seen.has(region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['regions', i],
          message: `"${region}" is listed twice (also regions[${seen.get(region)}])`,
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
        message: `"${c.primaryRegion}" is not one of regions (${c.regions.join(', ')})`,
        params: { hint: 'set primaryRegion to one of the listed regions, or add it to regions' },
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
    for (const region of Object.keys(c.dns.certificateArn ?? {})) {
      if (!c.regions.includes(region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['dns', 'certificateArn', region],
          message: `"${region}" is not one of regions`,
          params: { hint: 'certificateArn is keyed by region: one ACM certificate per configured region' },
        });
      }
    }
  })
  .transform((c): RegionctlConfig => ({ ...c, primaryRegion: c.primaryRegion ?? c.regions[0] }));
