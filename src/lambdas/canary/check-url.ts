// Kept in step with src/aws/endpoints.ts executeApiUrl (a test compares them): the package ships
// src/lambdas as source but not src/aws, so the bundle cannot import it from there.
/** The /check URL of this region's health API, on AWS or behind AWS_ENDPOINT_URL (the local cloud). */
export function checkUrl(env: Record<string, string | undefined>): string {
  const apiId = required(env, 'API_ID');
  const stage = required(env, 'STAGE');
  const endpoint = env.AWS_ENDPOINT_URL?.trim();
  if (endpoint) return `${endpoint.replace(/\/$/, '')}/restapis/${apiId}/${stage}/_user_request_/check`;
  const region = required(env, 'AWS_REGION');
  return `https://${apiId}.execute-api.${region}.amazonaws.com/${stage}/check`;
}

function required(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
