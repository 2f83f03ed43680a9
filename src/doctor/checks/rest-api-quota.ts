import { GetServiceQuotaCommand, type ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { errorName, isUnsupported } from '../errors.js';

// API Gateway's "Regional APIs per account per Region" (adjustable), as Service Quotas names it.
export const REST_API_QUOTA = { serviceCode: 'apigateway', quotaCode: 'L-AA0FF27B' } as const;
// AWS's documented default, for when the account's own value cannot be read:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
export const DEFAULT_REGIONAL_REST_APIS = 600;

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

/**
 * The account's REST API quota in a region from Service Quotas (GetServiceQuota: the applied value,
 * raised or not). When it cannot be read, AWS's documented default, with a note that says why, since
 * an account whose quota was raised or lowered may differ.
 */
export async function restApiQuota(client: ServiceQuotasClient): Promise<{ value: number; code: string; note?: string }> {
  const code = REST_API_QUOTA.quotaCode;
  const fallback = (why: string) => ({ value: DEFAULT_REGIONAL_REST_APIS, code, note: `${why}; assumed AWS's documented default of ${DEFAULT_REGIONAL_REST_APIS}` });
  try {
    const out = await client.send(new GetServiceQuotaCommand({ ServiceCode: REST_API_QUOTA.serviceCode, QuotaCode: code }));
    const value = out.Quota?.Value;
    return value === undefined ? fallback('Service Quotas reported no value for the REST API quota') : { value, code };
  } catch (err) {
    const name = errorName(err);
    if (DENIED.has(name)) return fallback('the quota cannot be read from Service Quotas: access denied (servicequotas:GetServiceQuota)');
    if (isUnsupported(err)) return fallback("the endpoint does not implement Service Quotas (regionctl's local cloud does not)");
    if (name === 'NoSuchResourceException') return fallback(`Service Quotas knows no quota ${code} for apigateway here`);
    return fallback(`the quota cannot be read from Service Quotas (${name})`);
  }
}
