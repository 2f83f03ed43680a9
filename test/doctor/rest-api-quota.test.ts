import type { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REGIONAL_REST_APIS, REST_API_QUOTA, restApiQuota } from '../../src/doctor/checks/rest-api-quota.js';

// The local cloud has no Service Quotas (test/doctor/local-cloud.test.ts covers that fallback), so
// the answers only AWS gives come from a stand-in client here.
function answering(answer: () => unknown): ServiceQuotasClient & { sent: unknown[] } {
  const sent: unknown[] = [];
  return {
    sent,
    send: async (command: { input: unknown }) => {
      sent.push(command.input);
      return answer();
    },
  } as unknown as ServiceQuotasClient & { sent: unknown[] };
}

const failing = (name: string) => () => {
  throw Object.assign(new Error(`${name} happened`), { name });
};

describe("doctor's REST API quota", () => {
  it("uses the account's applied value from GetServiceQuota", async () => {
    const client = answering(() => ({ Quota: { Value: 750 } }));
    expect(await restApiQuota(client)).toEqual({ value: 750, code: REST_API_QUOTA.quotaCode });
    expect(client.sent).toEqual([{ ServiceCode: 'apigateway', QuotaCode: 'L-AA0FF27B' }]);
  });

  it('falls back to the documented default and says access was denied', async () => {
    const quota = await restApiQuota(answering(failing('AccessDeniedException')));
    expect(quota.value).toBe(DEFAULT_REGIONAL_REST_APIS);
    expect(quota.note).toBe("the quota cannot be read from Service Quotas: access denied (servicequotas:GetServiceQuota); assumed AWS's documented default of 600");
  });

  it('names any other failure instead of hiding it', async () => {
    const quota = await restApiQuota(answering(failing('ThrottlingException')));
    expect(quota).toMatchObject({ value: 600, note: expect.stringContaining('(ThrottlingException)') });
  });
});
