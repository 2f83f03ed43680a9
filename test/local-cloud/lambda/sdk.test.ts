// Lambda through the real AWS SDK v3 client against the local cloud's front door.
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetPolicyCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createLambdaService } from '../../../src/local-cloud/lambda/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { fixtureZip, ROLE } from './fake-cloud.js';

let cloud: LocalCloud;
let client: LambdaClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createLambdaService] });
  client = new LambdaClient({ endpoint: cloud.url, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

afterAll(async () => {
  client.destroy();
  await cloud.close();
});

describe('Lambda over the wire', () => {
  it('creates, invokes with Tail logs, updates and deletes a function', async () => {
    const created = await client.send(
      new CreateFunctionCommand({
        FunctionName: 'wire',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'handlers.echo',
        Code: { ZipFile: fixtureZip('handlers.js') },
        Environment: { Variables: { GREETING: 'hello' } },
      }),
    );
    expect(created.FunctionArn).toBe('arn:aws:lambda:eu-west-1:000000000000:function:wire');
    expect(created.State).toBe('Active');

    const res = await client.send(new InvokeCommand({ FunctionName: 'wire', Payload: Buffer.from('{"k":"v"}'), LogType: 'Tail' }));
    expect(res.StatusCode).toBe(200);
    expect(res.FunctionError).toBeUndefined();
    expect(res.ExecutedVersion).toBe('$LATEST');
    const out = JSON.parse(Buffer.from(res.Payload!).toString());
    expect(out.event).toEqual({ k: 'v' });
    expect(out.env.GREETING).toBe('hello');
    // Functions call the cloud back on a listener of their own (their calls are not a client's).
    expect(out.env.AWS_ENDPOINT_URL).toBe(cloud.functionsUrl);
    expect(cloud.functionsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cloud.functionsUrl).not.toBe(cloud.url);
    expect(Buffer.from(res.LogResult!, 'base64').toString()).toContain('INFO\techo called with {"k":"v"}');

    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'wire', Environment: { Variables: { GREETING: 'changed' } } }));
    const again = await client.send(new InvokeCommand({ FunctionName: 'wire', Payload: Buffer.from('{}') }));
    expect(JSON.parse(Buffer.from(again.Payload!).toString()).env.GREETING).toBe('changed');

    const got = await client.send(new GetFunctionCommand({ FunctionName: 'wire' }));
    expect(got.Configuration?.CodeSha256).toBe(created.CodeSha256);

    await expect(
      client.send(new CreateFunctionCommand({ FunctionName: 'wire', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'handlers.echo', Code: { ZipFile: fixtureZip('handlers.js') } })),
    ).rejects.toBeInstanceOf(ResourceConflictException);

    await client.send(new DeleteFunctionCommand({ FunctionName: 'wire' }));
    const missing = await client.send(new GetFunctionCommand({ FunctionName: 'wire' })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toBe('Function not found: arn:aws:lambda:eu-west-1:000000000000:function:wire');
  });

  it('reports handler errors, event invocations, policies and listings', async () => {
    await client.send(
      new CreateFunctionCommand({ FunctionName: 'failing', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'handlers.fail', Code: { ZipFile: fixtureZip('handlers.js') } }),
    );
    const res = await client.send(new InvokeCommand({ FunctionName: 'failing', Payload: Buffer.from('{}') }));
    expect(res.StatusCode).toBe(200);
    expect(res.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(res.Payload!).toString())).toMatchObject({ errorType: 'TypeError', errorMessage: 'boom' });

    const event = await client.send(new InvokeCommand({ FunctionName: 'failing', InvocationType: 'Event', Payload: Buffer.from('{}') }));
    expect(event.StatusCode).toBe(202);

    const added = await client.send(
      new AddPermissionCommand({ FunctionName: 'failing', StatementId: 's1', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' }),
    );
    expect(JSON.parse(added.Statement!).Principal).toEqual({ Service: 'sns.amazonaws.com' });
    const policy = await client.send(new GetPolicyCommand({ FunctionName: 'failing' }));
    expect(JSON.parse(policy.Policy!).Statement).toHaveLength(1);

    const list = await client.send(new ListFunctionsCommand({ MaxItems: 10 }));
    expect(list.Functions?.map((f) => f.FunctionName)).toContain('failing');
  });
});
