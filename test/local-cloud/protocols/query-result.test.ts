import { describe, expect, it } from 'vitest';
import { queryProtocol } from '../../../src/local-cloud/protocols/query.js';
import type { CloudRequest } from '../../../src/local-cloud/types.js';

// Found by the AWS CLI v2 conformance suite: botocore reads <ActionResult> for every operation that
// has an output shape, so an op with nothing to return must still send the empty wrapper.
describe('awsQuery result wrapper', () => {
  const handle = queryProtocol({
    service: 'cloudformation',
    xmlns: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
    ops: { ExecuteChangeSet: async () => undefined, DescribeThing: async () => ({ Name: 'x' }) },
  });
  const request = (action: string) =>
    ({ method: 'POST', path: '/', query: new URLSearchParams(), headers: {}, body: Buffer.from(`Action=${action}&Version=2010-05-15`), region: 'us-east-1', service: 'cloudformation', accountId: '000000000000', requestId: 'req-1' }) satisfies CloudRequest;

  it('sends an empty <ActionResult/> when the op returns nothing', async () => {
    const res = await handle(request('ExecuteChangeSet'));
    expect(String(res.body)).toContain('<ExecuteChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ExecuteChangeSetResult></ExecuteChangeSetResult><ResponseMetadata>');
  });

  it('still wraps returned members', async () => {
    const res = await handle(request('DescribeThing'));
    expect(String(res.body)).toContain('<DescribeThingResult><Name>x</Name></DescribeThingResult>');
  });
});
