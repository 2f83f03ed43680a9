import { DEFAULT_STAGE, DEFAULT_ZONE } from './schema.js';

export interface TemplateValues {
  service: string;
  stage?: string;
  regions: string[];
}

// Directory names become service names ("My_App" → "my-app"); the schema only accepts [a-z][a-z0-9-]*.
export function serviceNameFrom(dirName: string): string {
  const cleaned = dirName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+/g, '-')
    .replace(/-$/, '')
    .slice(0, 40)
    .replace(/-$/, '');
  return cleaned === '' ? 'my-service' : cleaned;
}

// The file `regionctl init` writes: every key present or shown commented, each with why it matters.
export function renderConfigTemplate(v: TemplateValues): string {
  const regions = v.regions.map((r) => `  - ${r}`).join('\n');
  return `# regionctl.yml — one service, deployed active-active to every region below.
# Reference: run "regionctl --help"; validate with "regionctl synth".

# Name of the service: lowercase letters, digits and "-", starting with a letter (max 40).
# Stack names are <service>-<stage>-<kind>, e.g. ${v.service}-${v.stage ?? DEFAULT_STAGE}-health.
service: ${v.service}

# Deployment stage (a-z, 0-9, "-", max 16). Override per run with --stage.
stage: ${v.stage ?? DEFAULT_STAGE}

# AWS regions to run in, each serving traffic (active-active). Override per run with --regions a,b.
regions:
${regions}

# Region that holds the stage's one-off stacks (the hosted zone when createZone is true, and later
# the DynamoDB global table whose replicas go to the others). The optional CloudFront edge always
# lives in us-east-1, where CloudFront's certificates must be. Defaults to the first region above.
primaryRegion: ${v.regions[0]}

# Drills refuse, and game days stop, when an injected fault would leave fewer healthy regions.
minHealthyRegions: 1

# DNS names and certificates.
dns:
  # Route 53 hosted zone for the service's names: <stage>-<service>.<zone> per region
  # (latency records) and <service>.<zone> for the global entry.
  zone: ${DEFAULT_ZONE}
  # true: regionctl creates the zone (a <service>-<stage>-dns stack in the primary region), as it
  # must for ${DEFAULT_ZONE}; false (the default): the zone already exists in this account (e.g. a
  # delegated domain) and deploy looks it up by name.
  createZone: true
  # One ACM certificate per region for the custom domain (a wildcard *.<zone> covers all).
  # Without it the regional API endpoints are used directly.
  # certificateArn:
  #   us-east-1: arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234

# How each region's health is decided: Route 53 pulls a region out of DNS when its check fails.
healthCheck:
  # cloudwatch: Route 53 health check follows a CloudWatch alarm on the /check API's 5XX errors.
  # https: Route 53 checkers call /check themselves. both: unhealthy if either says so.
  type: cloudwatch
  # The CloudWatch alarm on the /check API's 5XXError metric.
  alarm:
    # Sum or Maximum alarm on "at least one 5XX per period"; Minimum (the original recipe's choice)
    # alarms only when every request in the period failed. Also: Average, SampleCount.
    statistic: Sum
    # Seconds per evaluation period: a multiple of 60 (API Gateway publishes its metrics once a minute).
    period: 60
    # Consecutive breaching periods before the alarm fires (M of N with M = N). CloudWatch caps
    # period x evaluationPeriods at one day for periods under an hour, seven days otherwise.
    evaluationPeriods: 1
    # The alarm fires when the statistic is greater than this.
    threshold: 0
  # HTTPS checks only: seconds between checks, 10 or 30 (10 costs more).
  interval: 30
  # HTTPS checks only: consecutive failures before Route 53 calls the region unhealthy (1-10).
  failureThreshold: 3

# A DynamoDB global table (<service>-<stage>-things, on demand, stream NEW_AND_OLD_IMAGES) created
# in primaryRegion with a replica in every other region, and per region an events stack: "command"
# writes items stamped with their origin region, "trigger" publishes each write once, in the region
# it was made in, to that region's topic; "listener" and "query" complete the pattern. Remove the
# section for no table.
table:
  # eventual: writes in any region, replicated asynchronously, last writer wins.
  # strong: multi-Region strong consistency (three regions of one set, or two and a witness).
  consistency: eventual
  # strong with two regions only: a third region of the same set that votes but holds no data.
  # witness: us-east-2

# Object replication for stores without native replication: a bucket per region whose new objects
# a replicator copies on (and an indexer puts into a regional search view, GET /search?q=).
# deploy chains the buckets itself; "regionctl replication heal" re-chains around an unhealthy region.
# Remove the block to deploy no replication stacks.
replication:
  # ring: each region copies to the next in the order above, the last to the first (each object
  # travels the ring once); fanout: the region an object was written to copies it to every other;
  # s3: S3's own Cross-Region Replication, two-way rules between every pair of buckets (no replicator).
  topology: ring

# Put a CloudFront distribution in front of the latency-routed name (slow to create on AWS).
cdn: false

# Managed policy every role the stacks create gets as its permissions boundary. The policy that
# \`regionctl iam-policy\` prints lets a deployer create roles only with it; create it from
# \`regionctl iam-policy --boundary\`. Without it roles get no boundary (fine for the local cloud).
# permissionsBoundary: arn:aws:iam::123456789012:policy/regionctl/<service>/<stage>/permissions-boundary
`;
}
