import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsError } from '../../../src/local-cloud/aws-error.js';
import { LambdaDomain } from '../../../src/local-cloud/lambda/domain.js';
import { fakeCloud, fixtureZip, ROLE, type FakeCloud } from './fake-cloud.js';

let cloud: FakeCloud;
let lambda: LambdaDomain;

beforeEach(() => {
  cloud = fakeCloud();
  lambda = new LambdaDomain(cloud.ctx);
});

afterEach(async () => {
  await lambda.stop();
  cloud.cleanup();
});

const create = (name: string, handler: string, extra: Record<string, unknown> = {}) =>
  lambda.createFunction('us-east-1', {
    FunctionName: name,
    Runtime: 'nodejs20.x',
    Role: ROLE,
    Handler: handler,
    Code: { ZipFile: fixtureZip('handlers.js', 'esm-handler.mjs').toString('base64') },
    ...extra,
  });

const json = (b: Buffer) => JSON.parse(b.toString('utf8'));

describe('Lambda invoke', () => {
  it('runs the handler in a worker and returns its result', async () => {
    create('echo', 'handlers.echo', { Environment: { Variables: { GREETING: 'hi' } } });
    const host = { ...process.env };
    Object.assign(process.env, { AWS_PROFILE: 'host-profile', AWS_SESSION_TOKEN: 'host-token', AWS_ACCESS_KEY_ID: 'AKIAHOST' });
    const res = await lambda.invoke('us-east-1', 'echo', JSON.stringify({ a: 1 })).finally(() => {
      for (const k of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID']) {
        if (host[k] === undefined) delete process.env[k];
        else process.env[k] = host[k];
      }
    });
    expect(res.statusCode).toBe(200);
    expect(res.functionError).toBeUndefined();
    const out = json(res.payload);
    expect(out.event).toEqual({ a: 1 });
    expect(out.functionName).toBe('echo');
    expect(out.remainingPositive).toBe(true);
    expect(out.env).toMatchObject({
      GREETING: 'hi',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'echo',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_SESSION_TOKEN: null,
      AWS_PROFILE: null,
    });
    expect(res.logs).toMatch(/^START RequestId: \S+ Version: \$LATEST\n/);
    expect(res.logs).toContain(`\t${out.requestId}\tINFO\techo called with {"a":1}\n`);
    expect(res.logs).toMatch(/REPORT RequestId: \S+\tDuration: [\d.]+ ms/);
  });

  it('keeps the worker warm between invocations and runs the arn form too', async () => {
    const cfg = create('echo', 'handlers.echo');
    const first = json((await lambda.invoke('us-east-1', 'echo', '{}')).payload);
    const second = json((await lambda.invoke('us-east-1', cfg.FunctionArn, '{}')).payload);
    expect([first.invocations, second.invocations]).toEqual([1, 2]);
    expect(lambda.workerCount('us-east-1', 'echo')).toBe(1);
  });

  it('runs concurrent invocations on up to four warm workers', async () => {
    create('busy', 'handlers.busy');
    const results = await Promise.all([0, 1, 2, 3, 4, 5].map((n) => lambda.invoke('us-east-1', 'busy', JSON.stringify({ n, ms: 80 }))));
    expect(results.map((r) => json(r.payload).done)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(lambda.workerCount('us-east-1', 'busy')).toBe(4);
  });

  it('reports a thrown error as FunctionError Unhandled with the AWS payload shape', async () => {
    create('fail', 'handlers.fail');
    const res = await lambda.invoke('us-east-1', 'fail', '{}');
    expect(res.statusCode).toBe(200);
    expect(res.functionError).toBe('Unhandled');
    const err = json(res.payload);
    expect(err.errorType).toBe('TypeError');
    expect(err.errorMessage).toBe('boom');
    expect(err.trace[0]).toBe('TypeError: boom');
    expect(res.logs).toContain('\tERROR\tabout to fail\n');
    expect(res.logs).toContain('\tERROR\tInvoke Error \t{"errorType":"TypeError"');
  });

  it('enforces the timeout on async waits and on a busy loop, then recovers with a fresh worker', async () => {
    lambda.timeoutFactor = 0.2; // a 1 s Timeout enforced after 200 ms of wall time
    create('slow', 'handlers.slow', { Timeout: 1 });
    const res = await lambda.invoke('us-east-1', 'slow', '{}');
    expect(res.functionError).toBe('Unhandled');
    expect(json(res.payload)).toMatchObject({ errorType: 'Sandbox.Timedout' });
    expect(json(res.payload).errorMessage).toMatch(/Task timed out after 1\.00 seconds$/);
    expect(res.logs).toMatch(/Task timed out after 1\.00 seconds\n$/);
    expect(lambda.workerCount('us-east-1', 'slow')).toBe(0);

    create('spin', 'handlers.spin', { Timeout: 1 });
    const spun = await lambda.invoke('us-east-1', 'spin', '{}');
    expect(json(spun.payload).errorType).toBe('Sandbox.Timedout');
  });

  it("kills a function that outgrows its MemorySize, as Lambda's runtime does, and the next call starts fresh", async () => {
    create('hog', 'handlers.hog', { MemorySize: 128, Timeout: 60 });
    const res = await lambda.invoke('us-east-1', 'hog', '{}');
    expect(res.functionError).toBe('Unhandled');
    expect(json(res.payload)).toMatchObject({ errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/Error: Runtime exited with error: signal: killed$/) });
    expect(lambda.workerCount('us-east-1', 'hog')).toBe(0);
    create('echo', 'handlers.echo', { MemorySize: 128 });
    expect(json((await lambda.invoke('us-east-1', 'echo', '{}')).payload).env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe('128'); // the SDK-free handler fits
  });

  it('applies a configuration change on the next invoke (Environment replaces the map)', async () => {
    create('echo', 'handlers.echo', { Environment: { Variables: { GREETING: 'hi', OTHER: 'x' } } });
    expect(json((await lambda.invoke('us-east-1', 'echo', '{}')).payload).env.GREETING).toBe('hi');
    const before = lambda.getFunctionConfiguration('us-east-1', 'echo').RevisionId;
    const updated = lambda.updateFunctionConfiguration('us-east-1', 'echo', { Environment: { Variables: { GREETING: 'bye' } } });
    expect(updated.Environment).toEqual({ Variables: { GREETING: 'bye' } });
    expect(updated.RevisionId).not.toBe(before);
    const out = json((await lambda.invoke('us-east-1', 'echo', '{}')).payload);
    expect(out.env.GREETING).toBe('bye');
    expect(out.invocations).toBe(1); // a cold start: the old worker was retired
  });

  it('resolves @aws-sdk/* from inside the function code directory', async () => {
    create('sdk', 'handlers.sdk');
    const res = await lambda.invoke('us-west-2', 'arn:aws:lambda:us-east-1:000000000000:function:sdk', '{}');
    expect(res.functionError).toBeUndefined();
    expect(json(res.payload)).toEqual({ client: 'function', command: 'function', region: 'us-east-1' });
  });

  it('supports .mjs handlers and callback-style handlers', async () => {
    create('esm', 'esm-handler.handler');
    expect(json((await lambda.invoke('us-east-1', 'esm', '{"x":1}')).payload)).toEqual({ esm: true, input: { x: 1 }, url: 'string' });
    create('cb', 'handlers.callback');
    expect(json((await lambda.invoke('us-east-1', 'cb', '{"value":7}')).payload)).toEqual({ viaCallback: true, value: 7 });
  });

  it('answers a missing handler export with Runtime.HandlerNotFound', async () => {
    create('missing', 'handlers.nope');
    const res = await lambda.invoke('us-east-1', 'missing', '{}');
    expect(res.functionError).toBe('Unhandled');
    expect(json(res.payload)).toEqual({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'handlers.nope is undefined or not exported' });
  });

  it('runs Event invocations in the background and DryRun not at all', async () => {
    create('echo', 'handlers.echo');
    const seen: string[] = [];
    lambda.onInvoke = (region, name) => seen.push(`${region}/${name}`);
    expect((await lambda.invoke('us-east-1', 'echo', '{}', { invocationType: 'DryRun' })).statusCode).toBe(204);
    const res = await lambda.invoke('us-east-1', 'echo', '{}', { invocationType: 'Event' });
    expect(res.statusCode).toBe(202);
    await lambda.settled();
    expect(seen).toEqual(['us-east-1/echo']);
  });

  it('rejects payloads that are not JSON', async () => {
    create('echo', 'handlers.echo');
    await expect(lambda.invoke('us-east-1', 'echo', 'not json')).rejects.toMatchObject({ code: 'InvalidRequestContentException' });
  });

  it('ships log lines to the Logs domain when one exists', async () => {
    const lines: string[] = [];
    cloud.services.logs = { appendLog: (region: string, group: string, line: string) => lines.push(`${region} ${group} ${line}`) };
    // Logs are written with the execution role's rights (see log-permissions.test.ts).
    const logsPolicy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] });
    cloud.services.iam = { getRole: () => ({ inlinePolicies: { logs: logsPolicy }, attachedPolicies: [] }), getPolicy: () => ({ document: '{}' }) };
    create('echo', 'handlers.echo');
    await lambda.invoke('us-east-1', 'echo', '{}');
    expect(lines[0]).toMatch(/^us-east-1 \/aws\/lambda\/echo START RequestId/);
    expect(lines.some((l) => l.includes('INFO\techo called with'))).toBe(true);
  });
});

describe('Lambda function management', () => {
  it('fills the configuration as AWS does', () => {
    const cfg = create('echo', 'handlers.echo');
    expect(cfg).toMatchObject({
      FunctionName: 'echo',
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
      Runtime: 'nodejs20.x',
      Timeout: 3,
      MemorySize: 128,
      Version: '$LATEST',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      LastModified: '2026-01-01T00:00:00.000+0000',
    });
    expect(cfg.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(cfg.CodeSize).toBeGreaterThan(0);
  });

  it('uses the AWS error codes and messages', () => {
    create('echo', 'handlers.echo');
    const err = (fn: () => unknown): AwsError => {
      try {
        fn();
      } catch (e) {
        return e as AwsError;
      }
      throw new Error('expected an error');
    };
    expect(err(() => create('echo', 'handlers.echo'))).toMatchObject({ code: 'ResourceConflictException', message: 'Function already exist: echo', status: 409 });
    expect(err(() => lambda.getFunction('us-east-1', 'nope'))).toMatchObject({
      code: 'ResourceNotFoundException',
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope',
      status: 404,
    });
    expect(err(() => create('x', 'handlers.echo', { Runtime: 'python3.12' })).code).toBe('ValidationException');
    expect(err(() => create('x', 'handlers.echo', { Role: 'lambda-role' })).message).toContain("at 'role' failed to satisfy constraint");
    expect(err(() => create('x', 'handlers.echo', { Timeout: 901 })).message).toContain('less than or equal to 900');
    expect(err(() => create('x', 'handlers.echo', { MemorySize: 64 })).message).toContain('greater than or equal to 128');
    expect(err(() => create('x', 'nodot')).message).toContain("at 'handler'");
    expect(err(() => create('x', 'handlers.echo', { Code: { ZipFile: Buffer.from('not a zip').toString('base64') } })).message).toBe(
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
  });

  it('reads code from S3 through the S3 domain', () => {
    const zip = fixtureZip('handlers.js');
    cloud.services.s3 = {
      getObjectBody: (region: string, bucket: string, key: string) => {
        expect([region, bucket, key]).toEqual(['us-east-1', 'artifacts', 'fn.zip']);
        return zip;
      },
    };
    const cfg = create('s3fn', 'handlers.echo', { Code: { S3Bucket: 'artifacts', S3Key: 'fn.zip' } });
    expect(cfg.CodeSize).toBe(zip.length);
  });

  it('pages ListFunctions with NextMarker', () => {
    for (const n of ['c', 'a', 'b']) create(n, 'handlers.echo');
    const p1 = lambda.listFunctions('us-east-1', undefined, 2);
    expect(p1.Functions.map((f) => f.FunctionName)).toEqual(['a', 'b']);
    const p2 = lambda.listFunctions('us-east-1', p1.NextMarker, 2);
    expect(p2.Functions.map((f) => f.FunctionName)).toEqual(['c']);
    expect(p2.NextMarker).toBeUndefined();
  });

  it('deletes functions', async () => {
    create('echo', 'handlers.echo');
    await lambda.deleteFunction('us-east-1', 'echo');
    expect(lambda.findFunction('us-east-1', 'echo')).toBeUndefined();
    await expect(lambda.invoke('us-east-1', 'echo', '{}')).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
  });
});

describe('Lambda permissions', () => {
  it('matches statements by principal and SourceArn wildcards', () => {
    create('echo', 'handlers.echo');
    expect(lambda.hasPermission('us-east-1', 'echo', 'apigateway.amazonaws.com', 'arn:aws:execute-api:us-east-1:000000000000:abc/prod/GET/check')).toBe(false);
    lambda.addPermission('us-east-1', 'echo', {
      StatementId: 'apigw',
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: 'arn:aws:execute-api:us-east-1:000000000000:abc/*/GET/*',
    });
    expect(lambda.hasPermission('us-east-1', 'echo', 'apigateway.amazonaws.com', 'arn:aws:execute-api:us-east-1:000000000000:abc/prod/GET/check')).toBe(true);
    expect(lambda.hasPermission('us-east-1', 'echo', 'apigateway.amazonaws.com', 'arn:aws:execute-api:us-east-1:000000000000:abc/prod/POST/check')).toBe(false);
    expect(lambda.hasPermission('us-east-1', 'echo', 'sns.amazonaws.com', 'arn:aws:execute-api:us-east-1:000000000000:abc/prod/GET/check')).toBe(false);
    const policy = JSON.parse(lambda.getPolicy('us-east-1', 'echo').Policy);
    expect(policy.Statement[0]).toEqual({
      Sid: 'apigw',
      Effect: 'Allow',
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: 'arn:aws:lambda:us-east-1:000000000000:function:echo',
      Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:000000000000:abc/*/GET/*' } },
    });
    expect(() => lambda.addPermission('us-east-1', 'echo', { StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'x' })).toThrow(
      'The statement id (apigw) provided already exists. Please provide a new statement id, or remove the existing statement.',
    );
    lambda.removePermission('us-east-1', 'echo', 'apigw');
    expect(() => lambda.getPolicy('us-east-1', 'echo')).toThrow('The resource you requested does not exist.');
    expect(() => lambda.removePermission('us-east-1', 'echo', 'apigw')).toThrow('Statement apigw is not found in resource policy.');
  });

  it('refuses a service-principal invoke without a matching statement', async () => {
    create('echo', 'handlers.echo');
    await expect(lambda.invoke('us-east-1', 'echo', '{}', { principal: 'sns.amazonaws.com', sourceArn: 'arn:aws:sns:us-east-1:000000000000:t' })).rejects.toMatchObject({
      code: 'AccessDeniedException',
    });
  });
});
