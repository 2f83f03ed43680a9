import { mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AwsProvider } from '../../src/aws/provider.js';
import { AwsAccessError } from '../../src/errors.js';

const creds = { accessKeyId: 'AKIDTEST', secretAccessKey: 'very-secret-key-123' };

interface Seen {
  userAgent?: string;
  body: string;
}

async function stsServer(status: number, xml: string): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ userAgent: req.headers['user-agent'], body });
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(xml);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
}

const identityXml =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  '<Arn>arn:aws:iam::000000000000:root</Arn><UserId>AKIDTEST</UserId><Account>000000000000</Account>' +
  '</GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>';

const rejectedXml =
  '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>' +
  '<Message>The security token included in the request is invalid.</Message></Error><RequestId>r2</RequestId></ErrorResponse>';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('AwsProvider.verifyCredentials', () => {
  it('returns account and arn, once, with the regionctl user agent', async () => {
    const sts = await stsServer(200, identityXml);
    try {
      const p = new AwsProvider({ endpoint: sts.url, credentials: creds, env: {} });
      await expect(p.verifyCredentials('us-east-1')).resolves.toEqual({ account: '000000000000', arn: 'arn:aws:iam::000000000000:root' });
      expect(sts.seen).toHaveLength(1);
      expect(sts.seen[0].body).toContain('Action=GetCallerIdentity');
      expect(sts.seen[0].userAgent).toMatch(/regionctl\/\d+\.\d+\.\d+/);
    } finally {
      await sts.close();
    }
  });

  it('asks once per provider however many regions check, and asks again after a failure', async () => {
    const sts = await stsServer(200, identityXml);
    try {
      const p = new AwsProvider({ endpoint: sts.url, credentials: creds, env: {} });
      await Promise.all(['us-east-1', 'us-west-2', 'eu-west-1'].map((r) => p.verifyCredentials(r)));
      await p.verifyCredentials('us-east-1');
      expect(sts.seen).toHaveLength(1);
    } finally {
      await sts.close();
    }
    const rejecting = await stsServer(403, rejectedXml);
    try {
      const p = new AwsProvider({ endpoint: rejecting.url, credentials: creds, env: {} });
      await expect(p.verifyCredentials('us-east-1')).rejects.toBeInstanceOf(AwsAccessError);
      await expect(p.verifyCredentials('us-east-1')).rejects.toBeInstanceOf(AwsAccessError);
      expect(rejecting.seen).toHaveLength(2);
    } finally {
      await rejecting.close();
    }
  });

  it('maps rejected credentials to AwsAccessError without retrying or leaking the secret', async () => {
    const sts = await stsServer(403, rejectedXml);
    try {
      const p = new AwsProvider({ endpoint: sts.url, credentials: creds, env: {} });
      const err = await p.verifyCredentials('us-east-1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AwsAccessError);
      expect((err as AwsAccessError).code).toBe('CredentialsRejected');
      expect((err as AwsAccessError).message).toMatch(/^AWS rejected the credentials: InvalidClientTokenId/);
      expect((err as AwsAccessError).message).not.toContain(creds.secretAccessKey);
      expect(sts.seen).toHaveLength(1);
    } finally {
      await sts.close();
    }
  });

  it('maps a refused connection to "Cannot reach <endpoint>"', async () => {
    const sts = await stsServer(200, identityXml);
    const url = sts.url;
    await sts.close();
    const p = new AwsProvider({ endpoint: url, credentials: creds, env: {} });
    const err = await p.verifyCredentials('us-east-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsAccessError);
    expect((err as AwsAccessError).message).toBe(`Cannot reach ${url}: ECONNREFUSED`);
    expect((err as AwsAccessError).hint).toMatch(/regionctl local start/);
  });

  it('maps missing credentials to a hint about profiles and --local', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'regionctl-aws-'));
    await writeFile(path.join(dir, 'config'), '');
    await writeFile(path.join(dir, 'credentials'), '');
    vi.stubEnv('AWS_CONFIG_FILE', path.join(dir, 'config'));
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', path.join(dir, 'credentials'));
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']) {
      vi.stubEnv(name, undefined);
    }
    const p = new AwsProvider({ endpoint: 'http://127.0.0.1:9', profile: 'nobody', env: {} });
    const err = await p.verifyCredentials('us-east-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsAccessError);
    expect((err as AwsAccessError).code).toBe('NoCredentials');
    expect((err as AwsAccessError).message).toMatch(/^No AWS credentials found for profile "nobody"/);
    expect((err as AwsAccessError).hint).toBe('set AWS_PROFILE / --profile / aws configure, or use --local');
  });
});

describe('AwsProvider clients', () => {
  it('caches one client per service and region', () => {
    const p = new AwsProvider({ endpoint: 'http://127.0.0.1:4566', credentials: creds, env: {} });
    expect(p.lambda('us-east-1')).toBe(p.lambda('us-east-1'));
    expect(p.lambda('us-east-1')).not.toBe(p.lambda('eu-west-1'));
    expect(p.route53()).toBe(p.route53());
    p.close();
  });

  it('takes the endpoint from AWS_ENDPOINT_URL and uses path-style S3 with it', async () => {
    const p = new AwsProvider({ credentials: creds, env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4999' } });
    expect(p.endpoint).toBe('http://127.0.0.1:4999');
    const s3 = p.s3('eu-west-1');
    expect(s3.config.forcePathStyle).toBe(true);
    expect(await s3.config.region()).toBe('eu-west-1');
    p.close();
  });

  it('is patient with CloudFormation and impatient with STS', async () => {
    const p = new AwsProvider({ credentials: creds, env: {} });
    expect(await p.cloudFormation('us-east-1').config.maxAttempts()).toBe(8);
    expect(await p.sts('us-east-1').config.maxAttempts()).toBe(1);
    expect(await p.dynamodb('us-east-1').config.maxAttempts()).toBe(3);
    expect(await p.iam().config.region()).toBe('us-east-1');
    expect(p.endpoint).toBeUndefined();
    p.close();
  });
});

describe('AwsProvider credentials', () => {
  it('signs with keys from the injected env, and --profile takes precedence over them', async () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_PROFILE: 'ignored' };
    const p = new AwsProvider({ env });
    expect(await p.lambda('us-east-1').config.credentials()).toMatchObject({ accessKeyId: 'AKIDENV', secretAccessKey: 'env-secret' });
    expect(p.profile).toBeUndefined();
    expect(new AwsProvider({ env, profile: 'ops' }).profile).toBe('ops');
    expect(new AwsProvider({ env: { AWS_PROFILE: 'dev' } }).profile).toBe('dev');
    p.close();
  });
});

describe('requests nobody answers', () => {
  it('are abandoned after the request timeout and retried, instead of waiting forever', async () => {
    // A server that reads each request and never answers it (a hung endpoint).
    let requests = 0;
    const server = http.createServer((req) => {
      requests++;
      req.resume();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const provider = new AwsProvider({ endpoint: `http://127.0.0.1:${port}`, credentials: creds, env: {}, maxAttempts: 2, requestTimeoutMs: 200 });
    try {
      const started = Date.now();
      const error = await provider
        .cloudFormation('us-east-1')
        .send(new DescribeStacksCommand({}))
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(error, 'the call must fail, not hang or succeed').toBeInstanceOf(Error);
      expect(`${error!.name} ${error!.message}`).toMatch(/timeout|timed out/i);
      expect(requests, 'the timed-out attempt is retried').toBe(2);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      provider.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
