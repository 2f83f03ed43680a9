// Lambda writes logs with its execution role's rights, as AWS does: no logs:CreateLogGroup → no
// group created; no logs:CreateLogStream + PutLogEvents → nothing written; silently (issue 7, defect 7).
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AttachRolePolicyCommand, CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import type { Logs } from '../../../src/local-cloud/logs/domain.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { fixtureZip } from './fake-cloud.js';

const region = 'eu-west-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let cloud: LocalCloud;
let lambda: LambdaClient;
let iam: IAMClient;
let logs: Logs;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
  lambda = new LambdaClient({ endpoint: cloud.url, region, credentials });
  iam = new IAMClient({ endpoint: cloud.url, region: 'us-east-1', credentials });
  logs = cloud.service('logs');
});
afterAll(async () => {
  lambda.destroy();
  iam.destroy();
  await cloud.close();
});

const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const groupArn = (fn: string) => `arn:aws:logs:${region}:000000000000:log-group:/aws/lambda/${fn}`;

async function fn(name: string, setup: (role: string) => Promise<void>): Promise<void> {
  const role = (await iam.send(new CreateRoleCommand({ RoleName: `${name}-role`, AssumeRolePolicyDocument: trust }))).Role!;
  await setup(role.RoleName!);
  await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: role.Arn, Handler: 'handlers.echo', Code: { ZipFile: fixtureZip('handlers.js') } }));
}
const invoke = (name: string) => lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"n":1}') }));
const group = (name: string) => logs.describeLogGroups(region, `/aws/lambda/${name}`).find((g) => g.logGroupName === `/aws/lambda/${name}`);

describe('Lambda logs follow the execution role', () => {
  it('creates the group and writes with AWSLambdaBasicExecutionRole', async () => {
    await fn('basic', (role) => iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' })).then(() => undefined));
    expect((await invoke('basic')).StatusCode).toBe(200);
    expect(logs.lines(region, '/aws/lambda/basic').some((l) => l.message.includes('echo called with'))).toBe(true);
  });

  it('without logs:CreateLogGroup, does not create the group (the call still succeeds)', async () => {
    await fn('nogroup', (role) =>
      iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'own-logs', PolicyDocument: policy({ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${groupArn('nogroup')}:*` }) })).then(() => undefined),
    );
    const out = await invoke('nogroup');
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(group('nogroup')).toBeUndefined();
    // Once the group exists (the stack creates it), the same role writes into it.
    logs.createLogGroup(region, '/aws/lambda/nogroup');
    await invoke('nogroup');
    expect(logs.lines(region, '/aws/lambda/nogroup').some((l) => l.message.includes('echo called with'))).toBe(true);
  });

  it('writes nothing without PutLogEvents, under an explicit deny, or once the role is gone', async () => {
    await fn('readonly', (role) =>
      iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'p', PolicyDocument: policy({ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream'], Resource: '*' }) })).then(() => undefined),
    );
    await invoke('readonly');
    expect(group('readonly')).toBeUndefined();

    await fn('denied', async (role) => {
      await iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }));
      await iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'deny', PolicyDocument: policy({ Effect: 'Deny', Action: 'logs:*', Resource: '*' }) }));
    });
    await invoke('denied');
    expect(group('denied')).toBeUndefined();

    // The role deleted under a running function (a stack being deleted): its lines go nowhere.
    await fn('orphan', (role) => iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'all', PolicyDocument: policy({ Effect: 'Allow', Action: 'logs:*', Resource: '*' }) })).then(() => undefined));
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'orphan-role', PolicyName: 'all' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'orphan-role' }));
    expect((await invoke('orphan')).StatusCode).toBe(200);
    expect(group('orphan')).toBeUndefined();
  });
});
