import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { synth, type SynthResult, type SynthStack } from '../../src/deploy/synth.js';
import type { Io, IoEvent } from '../../src/io/types.js';
import { configSchema } from '../../src/config/schema.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const config = configSchema.parse({ service: 'orders', regions: REGIONS });
const srcLambdas = fileURLToPath(new URL('../../src/lambdas/', import.meta.url));

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'regionctl-synth-'));
  dirs.push(d);
  return d;
}

function recordingIo(): Io & { events: IoEvent[] } {
  const events: IoEvent[] = [];
  return {
    events,
    jsonMode: false,
    color: false,
    interactive: false,
    emit: (e) => events.push(e),
    result: () => undefined,
    confirm: async () => false,
    style: { ok: (s) => s, bad: (s) => s, dim: (s) => s, bold: (s) => s, warn: (s) => s },
  };
}

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function lambda(result: SynthResult, name: string) {
  const found = result.lambdas.find((l) => l.name === name);
  if (!found) throw new Error(`no ${name} lambda in ${result.lambdas.map((l) => l.name).join(', ')}`);
  return found;
}

describe('synth', () => {
  it('packages every Lambda as a content-addressed zip holding only index.js', async () => {
    const cwd = tempDir();
    const result = await synth({ config, cwd });
    expect(result.outDir).toBe(join(cwd, '.regionctl', 'build'));
    expect(result.lambdas.map((l) => l.name)).toEqual(['canary', 'check', 'command', 'hello', 'indexer', 'listener', 'query', 'replicator', 'search', 'trigger']);
    for (const l of result.lambdas) {
      // The stage's own prefix in the shared bucket (issue 7, defect 9); the zip stays in the build folder.
      expect(l.s3Key).toBe(`artifacts/${config.service}/${config.stage}/lambdas/${l.name}-${l.sha256.slice(0, 12)}.zip`);
      expect(l.zipPath).toBe(join(result.outDir, 'lambdas', `${l.name}-${l.sha256.slice(0, 12)}.zip`));
      expect(sha(l.zipPath)).toBe(l.sha256);
      expect(statSync(l.zipPath).size).toBe(l.size);
      const entries = unzipSync(readFileSync(l.zipPath));
      expect(Object.keys(entries)).toEqual(['index.js']);
    }
    const checkJs = Buffer.from(unzipSync(readFileSync(lambda(result, 'check').zipPath))['index.js']).toString('utf8');
    // SDK v3 comes from the runtime: required, not bundled.
    expect(checkJs).toContain('require("@aws-sdk/client-dynamodb")');
    expect(checkJs).not.toMatch(/class DynamoDBClient/);
    expect(checkJs).not.toMatch(/^import /m);
  });

  it('produces a bundle the Lambda runtime can load and call', async () => {
    const result = await synth({ config, cwd: tempDir() });
    const run = async (name: string, env: Record<string, string>) => {
      const code = Buffer.from(unzipSync(readFileSync(lambda(result, name).zipPath))['index.js']).toString('utf8');
      const mod = { exports: {} as Record<string, any> };
      // CommonJS as the runtime would evaluate it, resolving @aws-sdk/* from this project like the runtime's own copy.
      new Function('module', 'exports', 'require', code)(mod, mod.exports, createRequire(import.meta.url));
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        return await mod.exports.handler({ httpMethod: 'GET', path: '/check' });
      } finally {
        process.env = saved;
      }
    };
    const unhealthy = await run('check', { AWS_REGION: 'eu-west-1', UNHEALTHY: 'true', TABLE_NAME: 't' });
    expect(unhealthy.statusCode).toBe(503);
    expect(JSON.parse(unhealthy.body)).toMatchObject({ region: 'eu-west-1' });
    const hello = await run('hello', { AWS_REGION: 'ap-southeast-2' });
    expect(JSON.parse(hello.body)).toEqual({ message: 'Your function executed successfully in ap-southeast-2!' });
  });

  it('renders the toolkit, health and service stacks for every region, as JSON files matching the result', async () => {
    const result = await synth({ config, cwd: tempDir() });
    expect(result.regions.map((r) => r.region)).toEqual(REGIONS);
    for (const { region, stacks } of result.regions) {
      expect(stacks.map((s) => [s.kind, s.stackName, s.region])).toEqual([
        ['toolkit', 'regionctl-toolkit', region],
        ['health', 'orders-dev-health', region],
        ['service', 'orders-dev-service', region],
      ]);
      for (const stack of stacks) {
        expect(stack.templatePath).toBe(join(result.outDir, region, `${stack.stackName}.template.json`));
        expect(readFileSync(stack.templatePath, 'utf8')).toBe(stack.templateBody);
        const template = JSON.parse(stack.templateBody);
        expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
        // Every parameter without a default comes from synth or from an earlier stack's output, never both.
        const declared = template.Parameters ?? {};
        for (const key of [...Object.keys(stack.parameters), ...Object.keys(stack.outputParameters)]) expect(declared).toHaveProperty(key);
        for (const key of Object.keys(stack.outputParameters)) expect(stack.parameters).not.toHaveProperty(key);
        const required = Object.keys(declared).filter((k) => declared[k].Default === undefined);
        for (const key of required) expect({ ...stack.parameters, ...stack.outputParameters }).toHaveProperty(key);
      }
      const [toolkit, health, service] = stacks;
      const toolkitTypes = Object.values<any>(JSON.parse(toolkit.templateBody).Resources).map((r) => r.Type).sort();
      expect(toolkitTypes).toEqual(['AWS::S3::Bucket', 'AWS::S3::BucketPolicy']);
      const healthTemplate = JSON.parse(health.templateBody);
      const healthTypes = Object.values<any>(healthTemplate.Resources).map((r) => r.Type).sort();
      expect(new Set(healthTypes)).toEqual(
        new Set([
          'AWS::ApiGateway::Deployment',
          'AWS::ApiGateway::Method',
          'AWS::ApiGateway::Resource',
          'AWS::ApiGateway::RestApi',
          'AWS::ApiGateway::Stage',
          'AWS::CloudWatch::Alarm',
          'AWS::DynamoDB::Table',
          'AWS::Events::Rule',
          'AWS::IAM::Role',
          'AWS::Lambda::Function',
          'AWS::Lambda::Permission',
          'AWS::Logs::LogGroup',
          'AWS::Route53::HealthCheck',
        ]),
      );
      // The config's defaults, rendered as CloudFormation's string parameters.
      expect(health.parameters).toEqual({
        Service: 'orders',
        Stage: 'dev',
        CheckCodeKey: lambda(result, 'check').s3Key,
        CanaryCodeKey: lambda(result, 'canary').s3Key,
        AlarmStatistic: 'Sum',
        AlarmPeriod: '60',
        AlarmEvaluationPeriods: '1',
        AlarmThreshold: '0',
        AlarmDimension: 'true',
        HealthCheckType: 'cloudwatch',
        HealthCheckInterval: '30',
        HealthCheckFailureThreshold: '3',
        // No permissionsBoundary in the config: roles without a boundary.
        PermissionsBoundary: '',
      });
      expect(health.outputParameters).toEqual({ ArtifactBucket: 'ArtifactBucketName' });
      expect(Object.keys(healthTemplate.Outputs).sort()).toEqual(
        ['AlarmName', 'CheckFunctionName', 'CheckUrl', 'HealthCheckId', 'HealthCheckType', 'HealthTableName', 'RegionctlTemplateHash', 'RestApiId', 'RestApiName', 'StageName'].sort(),
      );
      expect(service.parameters).toEqual({
        Service: 'orders',
        Stage: 'dev',
        HelloCodeKey: lambda(result, 'hello').s3Key,
        ZoneName: 'regionctl.local',
        CertificateArn: '',
        PermissionsBoundary: '',
      });
      expect(service.outputParameters).toEqual({ ArtifactBucket: 'ArtifactBucketName', HealthCheckId: 'HealthCheckId', HostedZoneId: 'HostedZoneId' });
    }
  });

  it('writes a manifest describing the build', async () => {
    const result = await synth({ config, cwd: tempDir() });
    const manifest = JSON.parse(readFileSync(join(result.outDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ version: 1, service: 'orders', stage: 'dev' });
    expect(manifest.lambdas.map((l: any) => [l.name, l.sha256, `artifacts/${config.service}/${config.stage}/${l.s3Key}`])).toEqual(result.lambdas.map((l) => [l.name, l.sha256, l.s3Key]));
    expect(Object.keys(manifest.lambdas.find((l: any) => l.name === 'check').inputs)).toContain('check/probe.ts');
    expect(manifest.regions.map((r: any) => r.stacks.map((s: any) => s.templatePath))).toEqual(
      REGIONS.map((r) => [`${r}/regionctl-toolkit.template.json`, `${r}/orders-dev-health.template.json`, `${r}/orders-dev-service.template.json`]),
    );
  });

  it('gives the same hashes on a second run and rewrites nothing', async () => {
    const cwd = tempDir();
    const first = await synth({ config, cwd });
    // Backdate every output: any rewrite would move its mtime forward.
    const old = new Date(2001, 0, 1);
    const files = allFiles(first.outDir);
    for (const f of files) utimesSync(f, old, old);
    const io = recordingIo();
    const second = await synth({ config, cwd, io });
    expect(second.lambdas).toEqual(first.lambdas);
    expect(allFiles(second.outDir)).toEqual(files);
    for (const f of files) expect(statSync(f).mtimeMs, f).toBe(old.getTime());
    // And it did not even bundle again.
    const debug = io.events.filter((e) => e.kind === 'debug').map((e) => (e as { message: string }).message);
    expect(debug).toEqual(['canary', 'check', 'command', 'hello', 'indexer', 'listener', 'query', 'replicator', 'search', 'trigger'].map((name) => expect.stringMatching(new RegExp(`^${name}: unchanged`))));
  });

  it('gives identical zips in another project folder (no paths or times leak into the bytes)', async () => {
    const a = await synth({ config, cwd: tempDir() });
    const b = await synth({ config: { ...config, service: 'other', regions: ['sa-east-1'], primaryRegion: 'sa-east-1' }, cwd: tempDir() });
    expect(b.lambdas.map((l) => l.sha256)).toEqual(a.lambdas.map((l) => l.sha256));
  });

  it('changes only the edited Lambda hash when its source changes, and drops the stale zip', async () => {
    const lambdasDir = join(tempDir(), 'lambdas');
    cpSync(srcLambdas, lambdasDir, { recursive: true });
    const cwd = tempDir();
    const before = await synth({ config, cwd, lambdasDir });
    const probe = join(lambdasDir, 'check', 'probe.ts');
    const source = readFileSync(probe, 'utf8');
    expect(source).toContain('UNHEALTHY is set to true');
    // A behaviour change (an unused export would be tree-shaken away and rightly not change the hash).
    writeFileSync(probe, source.replace('UNHEALTHY is set to true', 'forced unhealthy by UNHEALTHY=true'));
    const after = await synth({ config, cwd, lambdasDir });
    expect(lambda(after, 'check').sha256).not.toBe(lambda(before, 'check').sha256);
    expect(lambda(after, 'hello').sha256).toBe(lambda(before, 'hello').sha256);
    expect(existsSync(lambda(before, 'check').zipPath)).toBe(false);
    expect(existsSync(lambda(after, 'check').zipPath)).toBe(true);
    // The health stacks now point at the new code.
    for (const r of after.regions) expect(r.stacks[1].parameters.CheckCodeKey).toBe(lambda(after, 'check').s3Key);
  });

  it('rebuilds when the manifest is corrupt or a zip was deleted', async () => {
    const cwd = tempDir();
    const first = await synth({ config, cwd });
    writeFileSync(join(first.outDir, 'manifest.json'), '{ not json');
    rmSync(lambda(first, 'hello').zipPath);
    const second = await synth({ config, cwd });
    expect(second.lambdas).toEqual(first.lambdas);
    expect(sha(lambda(second, 'hello').zipPath)).toBe(lambda(first, 'hello').sha256);
  });

  it('reports a bundling error with the file and line, as a failed step', async () => {
    const lambdasDir = join(tempDir(), 'lambdas');
    cpSync(srcLambdas, lambdasDir, { recursive: true });
    writeFileSync(join(lambdasDir, 'hello', 'index.ts'), 'export const handler = (;\n');
    const io = recordingIo();
    await expect(synth({ config, cwd: tempDir(), lambdasDir, io })).rejects.toMatchObject({
      code: 'LambdaBundleFailed',
      message: expect.stringMatching(/hello[\\/]index\.ts:1/),
    });
    expect(io.events.at(-1)).toMatchObject({ kind: 'step', id: 'synth', state: 'failed' });
  });
});

describe('synth wiring between stacks', () => {
  const withOptions = (extra: Record<string, unknown>) =>
    configSchema.parse({ service: 'orders', regions: ['eu-west-1', 'ap-southeast-2'], primaryRegion: 'ap-southeast-2', ...extra });

  // Where deploy finds each output parameter: the same region's earlier stacks, then `before`.
  function sources(result: SynthResult, stack: SynthStack): Record<string, string[]> {
    const sameRegion = result.regions.find((r) => r.region === stack.region)?.stacks ?? [];
    const earlier = [...sameRegion.slice(0, sameRegion.indexOf(stack) === -1 ? sameRegion.length : sameRegion.indexOf(stack)), ...result.before];
    const found: Record<string, string[]> = {};
    for (const [parameter, outputKey] of Object.entries(stack.outputParameters)) {
      found[parameter] = earlier.filter((s) => outputKey in (JSON.parse(s.templateBody).Outputs ?? {})).map((s) => `${s.region}/${s.kind}`);
    }
    return found;
  }

  it('creates no dns or edge stack by default, and asks deploy to look the zone up', async () => {
    const result = await synth({ config: withOptions({}), cwd: tempDir() });
    expect(result.before).toEqual([]);
    expect(result.after).toEqual([]);
    expect(result.hostedZone).toEqual({ name: 'regionctl.local', managed: false });
    const service = result.regions[0].stacks[2];
    // No stack outputs HostedZoneId: that one comes from the lookup.
    expect(sources(result, service)).toEqual({ ArtifactBucket: ['eu-west-1/toolkit'], HealthCheckId: ['eu-west-1/health'], HostedZoneId: [] });
  });

  it('with createZone and cdn: dns first in the primary region, edge last in us-east-1, each output from exactly one earlier stack', async () => {
    const result = await synth({ config: withOptions({ dns: { zone: 'example.com', createZone: true }, cdn: true }), cwd: tempDir() });
    expect(result.hostedZone).toEqual({ name: 'example.com', managed: true });
    expect(result.before.map((s) => [s.kind, s.stackName, s.region])).toEqual([['dns', 'orders-dev-dns', 'ap-southeast-2']]);
    expect(result.before[0].parameters).toEqual({ Service: 'orders', Stage: 'dev', ZoneName: 'example.com' });
    expect(result.after.map((s) => [s.kind, s.stackName, s.region])).toEqual([['edge', 'orders-dev-edge', 'us-east-1']]);
    expect(result.after[0].templatePath).toBe(join(result.outDir, 'us-east-1', 'orders-dev-edge.template.json'));
    expect(readFileSync(result.after[0].templatePath, 'utf8')).toBe(result.after[0].templateBody);
    expect(result.after[0].parameters).toEqual({ Service: 'orders', Stage: 'dev', ZoneName: 'example.com', CertificateArn: '' });
    expect(sources(result, result.after[0])).toEqual({ HostedZoneId: ['ap-southeast-2/dns'] });
    for (const { region, stacks } of result.regions) {
      const [, health, service] = stacks;
      expect(sources(result, health)).toEqual({ ArtifactBucket: [`${region}/toolkit`] });
      expect(sources(result, service)).toEqual({
        ArtifactBucket: [`${region}/toolkit`],
        HealthCheckId: [`${region}/health`],
        HostedZoneId: ['ap-southeast-2/dns'],
      });
    }
    const manifest = JSON.parse(readFileSync(join(result.outDir, 'manifest.json'), 'utf8'));
    expect(manifest.hostedZone).toEqual(result.hostedZone);
    expect(manifest.before.map((s: any) => s.templatePath)).toEqual(['ap-southeast-2/orders-dev-dns.template.json']);
    expect(manifest.after.map((s: any) => s.templatePath)).toEqual(['us-east-1/orders-dev-edge.template.json']);
  });

  it('renders the health check and alarm settings, and each region its own certificate', async () => {
    const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc';
    const result = await synth({
      config: withOptions({
        healthCheck: { type: 'both', interval: 10, failureThreshold: 2, alarm: { statistic: 'Maximum', period: 120, evaluationPeriods: 3, threshold: 1.5, dimension: true } },
        dns: { zone: 'example.com', certificateArn: { 'eu-west-1': arn } },
      }),
      cwd: tempDir(),
    });
    const [eu, ap] = result.regions.map((r) => r.stacks);
    expect(eu[1].parameters).toMatchObject({
      AlarmStatistic: 'Maximum',
      AlarmPeriod: '120',
      AlarmEvaluationPeriods: '3',
      AlarmThreshold: '1.5',
      AlarmDimension: 'true',
      HealthCheckType: 'both',
      HealthCheckInterval: '10',
      HealthCheckFailureThreshold: '2',
    });
    expect(eu[2].parameters.CertificateArn).toBe(arn);
    expect(ap[2].parameters.CertificateArn).toBe('');
  });
});
