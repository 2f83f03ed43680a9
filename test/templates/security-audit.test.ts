import { describe, expect, it } from 'vitest';
import { renderTemplate, STACK_KIND_NAMES as STACK_KINDS } from '../../src/deploy/render-template.js';

type Template = { Resources: Record<string, { Type: string; Properties?: any }> };

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

// Every policy document in a template, with where it sits.
function policyDocuments(t: Template): Array<{ where: string; doc: any }> {
  const docs: Array<{ where: string; doc: any }> = [];
  for (const [id, r] of Object.entries(t.Resources)) {
    const p = r.Properties ?? {};
    if (p.AssumeRolePolicyDocument) docs.push({ where: `${id}.AssumeRolePolicyDocument`, doc: p.AssumeRolePolicyDocument });
    if (p.PolicyDocument) docs.push({ where: `${id}.PolicyDocument`, doc: p.PolicyDocument });
    for (const [i, inline] of asList<any>(p.Policies).entries()) docs.push({ where: `${id}.Policies[${i}]`, doc: inline.PolicyDocument });
  }
  return docs;
}

// Which of the template's own resources a Resource value points at (Ref, GetAtt, or ${X} inside Sub).
function ownResources(value: unknown, t: Template): string[] {
  if (typeof value === 'string') return [];
  const v = value as Record<string, any>;
  if (v.Ref) return v.Ref in t.Resources ? [v.Ref] : [];
  if (v['Fn::GetAtt']) return v['Fn::GetAtt'][0] in t.Resources ? [v['Fn::GetAtt'][0]] : [];
  if (v['Fn::Sub']) {
    const text: string = Array.isArray(v['Fn::Sub']) ? v['Fn::Sub'][0] : v['Fn::Sub'];
    return [...text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}/g)].map((m) => m[1]).filter((id) => id in t.Resources);
  }
  return [];
}

// The events stack's functions use the stage's global table, which the table stack owns: allowed only
// as that exact table (or its streams) in the stack's own region and account, named by the TableName parameter.
function isStageGlobalTable(value: unknown, t: Template): boolean {
  const sub = (value as Record<string, unknown>)?.['Fn::Sub'];
  const params = (t as { Parameters?: Record<string, unknown> }).Parameters ?? {};
  return (
    'TableName' in params &&
    (sub === 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}' ||
      sub === 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/stream/*')
  );
}

/**
 * The one grant on resources of other stacks: the replicator's, on the stage's own replication
 * buckets (the `BucketPrefix` names them, hash of service and stage included) in its target regions
 * only (the `aws:RequestedRegion` condition, from the TargetRegions parameter).
 */
function stageBucketsInTargetRegions(st: any, resource: unknown): boolean {
  const text = (resource as Record<string, unknown>)?.['Fn::Sub'];
  return (
    typeof text === 'string' &&
    /^arn:\$\{AWS::Partition\}:s3:::\$\{BucketPrefix\}-\*-\$\{AWS::AccountId\}(\/\*)?$/.test(text) &&
    st.Condition?.StringEquals?.['aws:RequestedRegion']?.Ref === 'TargetRegions'
  );
}

/**
 * Topology s3's replication role names the buckets it reads and writes by name, as the bucket's own
 * BucketName does (it cannot Ref the bucket: the bucket's ReplicationConfiguration names the role):
 * this region's bucket, and each other region's in TargetRegions (one Fn::If slot per region).
 */
function stageBucketByName(resource: unknown): boolean {
  const v = resource as Record<string, any>;
  const slot = v?.['Fn::If'];
  if (Array.isArray(slot)) return /^HasPeer\d$/.test(slot[0]) && slot[2]?.Ref === 'AWS::NoValue' && stageBucketByName(slot[1]);
  const sub = v?.['Fn::Sub'];
  if (typeof sub === 'string') return /^arn:\$\{AWS::Partition\}:s3:::\$\{BucketPrefix\}-\$\{AWS::Region\}-\$\{AWS::AccountId\}(\/\*)?$/.test(sub);
  if (!Array.isArray(sub)) return false;
  const peer = JSON.stringify(sub[1]?.Peer ?? null);
  return /^arn:\$\{AWS::Partition\}:s3:::\$\{BucketPrefix\}-\$\{Peer\}-\$\{AWS::AccountId\}\/\*$/.test(sub[0]) && peer.includes('{"Ref":"TargetRegions"}') && peer.startsWith('{"Fn::Select"');
}

/**
 * The "no public data, least privilege" invariants (src/templates/README.md, Security invariants). Allow statements name every
 * action and scope every resource to one of the stack's own resources. Deny statements may be broad
 * (denying more is safer) but must be conditional, or they would lock everyone out.
 */
function auditTemplate(t: Template): string[] {
  const problems: string[] = [];
  for (const { where, doc } of policyDocuments(t)) {
    for (const [i, st] of asList<any>(doc.Statement).entries()) {
      const at = `${where}.Statement[${i}]`;
      if (st.NotAction || st.NotResource) problems.push(`${at}: NotAction/NotResource are not allowed`);
      if (st.Effect === 'Deny') {
        if (!st.Condition) problems.push(`${at}: unconditional Deny`);
        continue;
      }
      for (const action of asList<any>(st.Action)) {
        if (typeof action !== 'string' || action.includes('*')) problems.push(`${at}: action ${JSON.stringify(action)} is not a named action`);
      }
      const isTrustPolicy = where.endsWith('AssumeRolePolicyDocument');
      if (isTrustPolicy) continue;
      if (st.Principal === '*' || st.Principal?.AWS === '*') problems.push(`${at}: allows everyone`);
      const resources = asList<any>(st.Resource);
      if (resources.length === 0) problems.push(`${at}: no Resource`);
      for (const resource of resources) {
        if (resource === '*') problems.push(`${at}: Resource "*"`);
        else if (ownResources(resource, t).length === 0 && !stageBucketsInTargetRegions(st, resource) && !isStageGlobalTable(resource, t) && !stageBucketByName(resource))
          problems.push(`${at}: Resource ${JSON.stringify(resource)} is not one of the stack's own resources`);
      }
    }
  }
  for (const [id, r] of Object.entries(t.Resources)) {
    if (r.Type !== 'AWS::S3::Bucket') continue;
    const block = r.Properties?.PublicAccessBlockConfiguration ?? {};
    for (const key of ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets']) {
      if (block[key] !== true) problems.push(`${id}: PublicAccessBlockConfiguration.${key} is not true`);
    }
    const sse = r.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.SSEAlgorithm;
    if (!sse) problems.push(`${id}: no default encryption`);
    if (r.Properties?.AccessControl) problems.push(`${id}: canned ACL ${r.Properties.AccessControl}`);
    const tlsOnly = Object.values(t.Resources).some(
      (p) =>
        p.Type === 'AWS::S3::BucketPolicy' &&
        p.Properties.Bucket?.Ref === id &&
        asList<any>(p.Properties.PolicyDocument.Statement).some(
          (st) => st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false',
        ),
    );
    if (!tlsOnly) problems.push(`${id}: no bucket policy denying aws:SecureTransport=false`);
  }
  return problems;
}

const load = (kind: (typeof STACK_KINDS)[number]) => JSON.parse(renderTemplate(kind)) as Template;

describe('security audit of the bundled templates', () => {
  for (const kind of STACK_KINDS) {
    it(`${kind}: least-privilege IAM, private encrypted buckets`, () => {
      expect(auditTemplate(load(kind))).toEqual([]);
    });
  }

  it('grants the check function exactly the probe item and its own log streams', () => {
    const t = load('health');
    const [policy] = t.Resources.CheckRole.Properties.Policies;
    const grants = policy.PolicyDocument.Statement.map((s: any) => [s.Action, ownResources(s.Resource, t)]);
    expect(grants).toEqual([
      [['dynamodb:GetItem', 'dynamodb:PutItem'], ['HealthTable']],
      [['logs:CreateLogStream', 'logs:PutLogEvents'], ['CheckLogGroup']],
    ]);
    expect(t.Resources.CheckRole.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('grants the canary and hello functions only their own log streams', () => {
    for (const [kind, role, group] of [['health', 'CanaryRole', 'CanaryLogGroup'], ['service', 'HelloRole', 'HelloLogGroup']] as const) {
      const t = load(kind);
      const statements = t.Resources[role].Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
      expect(statements.map((s: any) => [s.Action, ownResources(s.Resource, t)])).toEqual([[['logs:CreateLogStream', 'logs:PutLogEvents'], [group]]]);
      expect(t.Resources[role].Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('lets only its own schedule invoke the canary, and only its own API invoke hello', () => {
    const canary = load('health').Resources.CanaryInvokePermission.Properties;
    expect([canary.Principal, canary.SourceArn]).toEqual(['events.amazonaws.com', { 'Fn::GetAtt': ['CanarySchedule', 'Arn'] }]);
    const hello = load('service').Resources.HelloInvokePermission.Properties;
    expect(hello.Principal).toBe('apigateway.amazonaws.com');
    expect(hello.SourceArn['Fn::Sub']).toBe('arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${Stage}/GET/hello');
  });

  it('lets only this API invoke the check function', () => {
    const p = load('health').Resources.CheckInvokePermission.Properties;
    expect(p.Principal).toBe('apigateway.amazonaws.com');
    expect(p.SourceArn['Fn::Sub']).toBe('arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${Stage}/GET/check');
  });

  describe('the audit itself catches', () => {
    const health = () => load('health');
    it('a wildcard action', () => {
      const t = health();
      t.Resources.CheckRole.Properties.Policies[0].PolicyDocument.Statement[0].Action = 'dynamodb:*';
      expect(auditTemplate(t)).toEqual([expect.stringMatching(/action "dynamodb:\*"/)]);
    });
    it('a wildcard or foreign resource', () => {
      const t = health();
      t.Resources.CheckRole.Properties.Policies[0].PolicyDocument.Statement[0].Resource = '*';
      t.Resources.CheckRole.Properties.Policies[0].PolicyDocument.Statement[1].Resource = 'arn:aws:logs:us-east-1:1:log-group:other:*';
      expect(auditTemplate(t)).toHaveLength(2);
    });
    it('a bucket without public access block, encryption or TLS-only policy', () => {
      const t = load('toolkit');
      t.Resources.ArtifactBucket.Properties.PublicAccessBlockConfiguration.RestrictPublicBuckets = false;
      delete t.Resources.ArtifactBucket.Properties.BucketEncryption;
      delete t.Resources.ArtifactBucketPolicy;
      expect(auditTemplate(t)).toEqual([
        'ArtifactBucket: PublicAccessBlockConfiguration.RestrictPublicBuckets is not true',
        'ArtifactBucket: no default encryption',
        'ArtifactBucket: no bucket policy denying aws:SecureTransport=false',
      ]);
    });
  });
});
