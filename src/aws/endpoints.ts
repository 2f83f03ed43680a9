/**
 * The URL that reaches an API Gateway stage. On AWS: the execute-api host of the region. Behind a
 * custom endpoint (the local cloud, LocalStack, a VPC proxy): the endpoint's /restapis path form,
 * which is how AWS-compatible emulators expose stages without wildcard DNS.
 */
export function executeApiUrl(opts: { endpoint?: string; apiId: string; region: string; stage: string; path: string }): string {
  const path = opts.path.startsWith('/') ? opts.path : `/${opts.path}`;
  if (!opts.endpoint) return `https://${opts.apiId}.execute-api.${opts.region}.amazonaws.com/${opts.stage}${path}`;
  return `${opts.endpoint.replace(/\/$/, '')}/restapis/${opts.apiId}/${opts.stage}/_user_request_${path}`;
}
