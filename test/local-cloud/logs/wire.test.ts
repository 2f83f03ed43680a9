import { describe, expect, it } from 'vitest';
import { createLogsService } from '../../../src/local-cloud/logs/index.js';
import type { CloudRequest } from '../../../src/local-cloud/types.js';
import { fakeCloud } from '../cloudformation/fake-cloud.js';

// No CloudWatch Logs SDK client is installed, so the wire adapter is driven with requests shaped like the SDK's.
function request(target: string, body: unknown, region = 'us-east-1'): CloudRequest {
  return {
    service: 'logs', region, accountId: '000000000000', method: 'POST', path: '/', query: new URLSearchParams(),
    headers: { 'x-amz-target': `Logs_20140328.${target}`, 'content-type': 'application/x-amz-json-1.1' },
    body: Buffer.from(JSON.stringify(body)), requestId: 'req-1',
  };
}

describe('CloudWatch Logs wire adapter', () => {
  it('speaks awsJson1_1 for groups and retention, with AWS error types', async () => {
    const svc = createLogsService(fakeCloud().ctx);
    expect((await svc.handle(request('CreateLogGroup', { logGroupName: '/aws/lambda/hello' }))).status).toBe(200);
    expect((await svc.handle(request('PutRetentionPolicy', { logGroupName: '/aws/lambda/hello', retentionInDays: 30 }))).status).toBe(200);
    const described = await svc.handle(request('DescribeLogGroups', { logGroupNamePrefix: '/aws/lambda' }));
    expect(JSON.parse(String(described.body)).logGroups).toEqual([
      expect.objectContaining({ logGroupName: '/aws/lambda/hello', retentionInDays: 30, arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/hello:*' }),
    ]);
    const duplicate = await svc.handle(request('CreateLogGroup', { logGroupName: '/aws/lambda/hello' }));
    expect(duplicate.status).toBe(400);
    expect(JSON.parse(String(duplicate.body))).toMatchObject({ __type: 'ResourceAlreadyExistsException', message: 'The specified log group already exists' });
    const missing = await svc.handle(request('DeleteLogGroup', { logGroupName: '/aws/lambda/hello' }, 'eu-west-1'));
    expect(JSON.parse(String(missing.body)).__type).toBe('ResourceNotFoundException');
  });
});
