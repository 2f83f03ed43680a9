import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPE_GRANTS, SDK_COMMAND_GRANTS } from '../../src/iam-policy/actions.js';
import { buildIamPolicy, UnknownResourceTypeError } from '../../src/iam-policy/policy.js';
import { bundledResourceTypes } from '../../src/iam-policy/template-types.js';

const SRC = join(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

// The deploying principal runs regionctl itself; the local cloud is not AWS and the Lambda handlers run
// under their own stack-defined roles.
const isRegionctlCode = (file: string) => {
  const rel = relative(SRC, file);
  return !rel.startsWith('local-cloud') && !rel.startsWith('lambdas');
};

/** `<client suffix>:<Name>Command` for every command regionctl constructs with `new X(`. */
function commandsUsed(): Map<string, string> {
  const used = new Map<string, string>();
  const importRe = /(?:import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*|\{([^}]*)\}\s*=\s*await\s+import\(\s*)'@aws-sdk\/client-([a-z0-9-]+)'/g;
  for (const file of sourceFiles(SRC).filter(isRegionctlCode)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      for (const raw of (m[1] ?? m[2]).split(',')) {
        const name = raw.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0];
        if (name.endsWith('Command') && new RegExp(`new\\s+${name}\\s*\\(`).test(text)) used.set(`${m[3]}:${name}`, relative(SRC, file));
      }
    }
  }
  return used;
}

const policy = buildIamPolicy({ service: 'shop', stage: 'prod' }, bundledResourceTypes());
const allowed = new Set(policy.Statement.flatMap((s) => s.Action));

describe('iam-policy covers what regionctl does', () => {
  it('finds the SDK commands regionctl sends (the scan itself works)', () => {
    const used = commandsUsed();
    expect(used.get('cloudformation:CreateChangeSetCommand')).toBeDefined();
    expect(used.get('s3:PutObjectCommand')).toBeDefined();
    expect(used.size).toBeGreaterThan(15);
  });

  it('maps every SDK command in src/ to IAM actions present in the policy', () => {
    const missing = [...commandsUsed()].filter(([key]) => !(key in SDK_COMMAND_GRANTS)).map(([key, file]) => `${key} (${file})`);
    expect(missing, 'add these to SDK_COMMAND_GRANTS in src/iam-policy/actions.ts').toEqual([]);
    for (const [key] of commandsUsed()) {
      for (const grant of SDK_COMMAND_GRANTS[key]) for (const action of grant.actions) expect(allowed, `${key} → ${action}`).toContain(action);
    }
  });

  it('maps every resource type in src/templates to IAM actions present in the policy', () => {
    const types = bundledResourceTypes();
    expect(types).toContain('AWS::Lambda::Function');
    expect(types.filter((t) => !RESOURCE_TYPE_GRANTS[t])).toEqual([]);
    for (const type of types) {
      for (const grant of RESOURCE_TYPE_GRANTS[type]) for (const action of grant.actions) expect(allowed, `${type} → ${action}`).toContain(action);
    }
  });

  it('refuses a template resource type it has no actions for instead of printing a policy that fails later', () => {
    expect(() => buildIamPolicy({ service: 'shop', stage: 'prod' }, ['AWS::SQS::Queue'])).toThrow(UnknownResourceTypeError);
  });
});

describe('iam-policy is least privilege', () => {
  it('names every action (no wildcards in actions)', () => {
    for (const s of policy.Statement) for (const a of s.Action) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
  });

  it('uses "*" resources only in the one documented statement of account-wide actions', () => {
    const star = policy.Statement.filter((s) => s.Resource.includes('*'));
    expect(star.map((s) => s.Sid)).toEqual(['AccountWideReadsAndCreates']);
    expect(star[0].Action).toContain('cloudformation:ListStacks');
    expect(star[0].Action).not.toContain('cloudformation:CreateChangeSet');
  });

  it('scopes stacks, buckets, functions and roles to the service and stage', () => {
    const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
    expect(bySid.RegionctlStacks.Resource).toEqual(['arn:aws:cloudformation:*:*:stack/shop-prod-*/*', 'arn:aws:cloudformation:*:*:stack/regionctl-toolkit/*']);
    expect(bySid.ToolkitBucket.Resource).toEqual(['arn:aws:s3:::regionctl-toolkit-*']);
    expect(bySid.Functions.Resource).toEqual(['arn:aws:lambda:*:*:function:shop-prod-*']);
    expect(bySid.PassFunctionRolesToLambda).toMatchObject({
      Action: ['iam:PassRole'],
      Resource: ['arn:aws:iam::*:role/shop-prod-*'],
      Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
    });
    expect(bySid.FunctionRoles.Action).not.toContain('iam:PassRole');
  });
});
