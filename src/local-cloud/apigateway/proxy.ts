// The Lambda proxy integration's contract for REST APIs: event format 1.0 in, {statusCode, headers,
// multiValueHeaders, body, isBase64Encoded} out.

export interface ProxyRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
  sourceIp?: string;
}

export interface ProxyEventInput {
  req: ProxyRequest;
  accountId: string;
  apiId: string;
  stage: string;
  resourceId: string;
  resourcePath: string;
  pathParameters: Record<string, string>;
  stageVariables: Record<string, string>;
  requestId: string;
  nowMs: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// requestContext.requestTime uses the CLF format: 01/Jan/2026:00:00:00 +0000.
function clfTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

const orNull = <T extends object>(o: T): T | null => (Object.keys(o).length > 0 ? o : null);

export function proxyEvent(i: ProxyEventInput): Record<string, unknown> {
  const { req } = i;
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const key of new Set(req.query.keys())) {
    const all = req.query.getAll(key);
    query[key] = all[all.length - 1];
    multiQuery[key] = all;
  }
  const multiHeaders = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, [v]]));
  const path = req.path === '' ? '/' : req.path;
  return {
    resource: i.resourcePath,
    path,
    httpMethod: req.method,
    headers: orNull({ ...req.headers }),
    multiValueHeaders: orNull(multiHeaders),
    queryStringParameters: orNull(query),
    multiValueQueryStringParameters: orNull(multiQuery),
    pathParameters: orNull(i.pathParameters),
    stageVariables: orNull(i.stageVariables),
    requestContext: {
      resourceId: i.resourceId,
      resourcePath: i.resourcePath,
      httpMethod: req.method,
      extendedRequestId: i.requestId,
      requestTime: clfTime(i.nowMs),
      path: `/${i.stage}${path === '/' ? '/' : path}`,
      accountId: i.accountId,
      protocol: 'HTTP/1.1',
      stage: i.stage,
      domainPrefix: i.apiId,
      requestTimeEpoch: i.nowMs,
      requestId: i.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: req.sourceIp ?? '127.0.0.1',
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: req.headers['user-agent'] ?? null,
        user: null,
      },
      domainName: req.headers.host ?? `${i.apiId}.execute-api.local`,
      apiId: i.apiId,
    },
    body: req.body.length > 0 ? req.body.toString('utf8') : null,
    isBase64Encoded: false,
  };
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const isStringMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The HTTP response for a proxy result, or undefined when API Gateway would call it malformed (502). */
export function proxyResponse(payload: unknown): ProxyResponse | undefined {
  if (!isStringMap(payload)) return undefined;
  const allowed = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);
  if (Object.keys(payload).some((k) => !allowed.has(k))) return undefined;
  const status = Number(payload.statusCode);
  if (payload.statusCode === undefined || !Number.isInteger(status) || status < 100 || status > 599) return undefined;
  if (payload.body !== undefined && payload.body !== null && typeof payload.body !== 'string') return undefined;
  if (payload.headers !== undefined && payload.headers !== null && !isStringMap(payload.headers)) return undefined;
  if (payload.multiValueHeaders !== undefined && payload.multiValueHeaders !== null && !isStringMap(payload.multiValueHeaders)) return undefined;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((payload.headers as Record<string, unknown>) ?? {})) headers[k.toLowerCase()] = String(v);
  for (const [k, v] of Object.entries((payload.multiValueHeaders as Record<string, unknown>) ?? {})) {
    if (!Array.isArray(v)) return undefined;
    const key = k.toLowerCase();
    const values = [...(headers[key] !== undefined ? [headers[key]] : []), ...v.map(String)];
    headers[key] = [...new Set(values)].join(', ');
  }
  const text = (payload.body as string | undefined) ?? '';
  const body = payload.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { status, headers, body };
}
