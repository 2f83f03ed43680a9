// GetAccountSettings through the real AWS SDK v3 (regionctl doctor's Lambda quota check reads it).
import { CreateFunctionCommand, DeleteFunctionCommand, GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createLambdaService } from '../../../src/local-cloud/lambda/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { fixtureZip, ROLE } from './fake-cloud.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let cloud: LocalCloud;
let east: LambdaClient;
let west: LambdaClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createLambdaService] });
  east = new LambdaClient({ endpoint: cloud.url, region: 'us-east-1', credentials });
  west = new LambdaClient({ endpoint: cloud.url, region: 'eu-west-1', credentials });
});

afterAll(async () => {
  east.destroy();
  west.destroy();
  await cloud.close();
});

describe('GetAccountSettings', () => {
  it("answers AWS's default limits and this region's function count and code size", async () => {
    const empty = await east.send(new GetAccountSettingsCommand({}));
    expect(empty.AccountLimit).toEqual({
      TotalCodeSize: 80_530_636_800,
      CodeSizeUnzipped: 262_144_000,
      CodeSizeZipped: 52_428_800,
      ConcurrentExecutions: 1000,
      UnreservedConcurrentExecutions: 1000,
    });
    expect(empty.AccountUsage).toEqual({ TotalCodeSize: 0, FunctionCount: 0 });

    const zip = fixtureZip('handlers.js');
    const base = { Runtime: 'nodejs20.x' as const, Role: ROLE, Handler: 'handlers.echo', Code: { ZipFile: zip } };
    const a = await east.send(new CreateFunctionCommand({ ...base, FunctionName: 'quota-a' }));
    const b = await east.send(new CreateFunctionCommand({ ...base, FunctionName: 'quota-b' }));
    await west.send(new CreateFunctionCommand({ ...base, FunctionName: 'quota-west' }));

    const used = await east.send(new GetAccountSettingsCommand({}));
    expect(used.AccountUsage).toEqual({ TotalCodeSize: a.CodeSize! + b.CodeSize!, FunctionCount: 2 });
    expect(a.CodeSize).toBe(zip.length);

    await east.send(new DeleteFunctionCommand({ FunctionName: 'quota-a' }));
    expect((await east.send(new GetAccountSettingsCommand({}))).AccountUsage).toEqual({ TotalCodeSize: b.CodeSize, FunctionCount: 1 });
    expect((await west.send(new GetAccountSettingsCommand({}))).AccountUsage?.FunctionCount).toBe(1);
  });
});
