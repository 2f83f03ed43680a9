import { AwsError } from '../aws-error.js';
import type { CloudRequest, CloudResponse, ServiceHandler } from '../types.js';
import { asAwsError } from './errors.js';
import { withWire, type WiredHandler } from './wire.js';
import { escapeXml, parseXml, xmlDocument } from './xml.js';

export interface RestCall {
  req: CloudRequest;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Buffer;
  /**
   * The JSON body, unchecked: T is what the caller's schema or domain call expects (inferred from
   * where the value goes); parse it with a zod schema (validation.ts) to make that true.
   */
  json<T = unknown>(): T;
  /** The XML body, unchecked, as parseXml shapes it: T is what the caller narrows it to (or parse it with a schema). */
  xml<T = unknown>(): T;
}

export interface RestResult {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  xml?: { root: string; value: unknown; xmlns?: string };
  body?: Buffer | string;
}

export interface RestRoute {
  method: string;
  path: string;
  op: string;
  when?: (q: URLSearchParams) => boolean;
  handler: (call: RestCall) => Promise<RestResult>;
}

/** The route a request was dispatched to, with its path parameters. */
export interface RestMatch {
  route: RestRoute;
  params: Record<string, string>;
}

/** Finds the route for a request; the default tries each route's method, path and `when` in order. */
export type RestMatcher = (routes: RestRoute[]) => (req: CloudRequest) => RestMatch | undefined;

interface CompiledRoute extends RestRoute {
  regex: RegExp;
  names: string[];
}

// '/2015-03-31/functions/{FunctionName}/invocations' → regex with named groups; '{Key+}' is greedy.
function compile(route: RestRoute): CompiledRoute {
  const names: string[] = [];
  let pattern = '';
  const path = route.path.length > 1 ? route.path.replace(/\/$/, '') : route.path;
  for (const piece of path.split(/(\{[^}]+\})/)) {
    const m = /^\{([^}+]+)(\+?)\}$/.exec(piece);
    if (m) {
      names.push(m[1]);
      pattern += m[2] ? '(.+)' : '([^/]+)';
    } else {
      pattern += piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return { ...route, names, regex: new RegExp(`^${pattern}/?$`) };
}

function inOrder(routes: RestRoute[]) {
  const compiled = routes.map(compile);
  return (req: CloudRequest): RestMatch | undefined => {
    for (const route of compiled) {
      if (route.method !== req.method) continue;
      const m = route.regex.exec(req.path);
      if (!m) continue;
      if (route.when && !route.when(req.query)) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = m[i + 1];
      });
      return { route, params };
    }
    return undefined;
  };
}

function makeCall(req: CloudRequest, params: Record<string, string>): RestCall {
  return {
    req,
    params,
    query: req.query,
    body: req.body,
    json<T>(): T {
      const text = req.body.toString('utf8');
      if (text.trim() === '') return {} as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new AwsError('SerializationException', 'Could not parse request body into json.', 400);
      }
    },
    xml<T>(): T {
      try {
        return parseXml(req.body) as T;
      } catch {
        throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
      }
    },
  };
}

function render(req: CloudRequest, result: RestResult, style: 'json' | 'xml'): CloudResponse {
  const headers: Record<string, string> = { 'x-amzn-requestid': req.requestId, ...(result.headers ?? {}) };
  let body: Buffer | string | undefined = result.body;
  if (result.json !== undefined) {
    body = JSON.stringify(result.json);
    headers['content-type'] ??= 'application/json';
  } else if (result.xml) {
    body = xmlDocument(result.xml.root, result.xml.value, 'repeat', result.xml.xmlns);
    headers['content-type'] ??= 'application/xml';
  } else if (body === undefined && style === 'json' && (result.status ?? 200) !== 204) {
    body = '';
  }
  return { status: result.status ?? 200, headers, body: req.method === 'HEAD' ? undefined : body };
}

function dispatch(
  opts: { service: string; routes: RestRoute[]; match?: RestMatcher },
  style: 'json' | 'xml',
  renderError: (req: CloudRequest, e: AwsError) => CloudResponse,
): ServiceHandler {
  const match = (opts.match ?? inOrder)(opts.routes);
  return async (req) => {
    try {
      const found = match(req);
      if (!found) {
        throw new AwsError(
          style === 'json' ? 'UnknownOperationException' : 'NotImplemented',
          `The local cloud does not implement ${opts.service} ${req.method} ${req.path}${req.query.toString() ? '?' + req.query.toString() : ''}.`,
          style === 'json' ? 404 : 501,
        );
      }
      const result = await found.route.handler(makeCall(req, found.params));
      return render(req, result, style);
    } catch (error) {
      return renderError(req, asAwsError(error));
    }
  };
}

/** restJson1 (Lambda, API Gateway): errors are {"message"} plus x-amzn-ErrorType. */
export function restJsonError(req: CloudRequest, e: AwsError): CloudResponse {
  return {
    status: e.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': req.requestId,
      'x-amzn-errortype': e.code,
    },
    body: JSON.stringify({ message: e.message, ...e.extra }),
  };
}

export function restJsonProtocol(opts: { service: string; routes: RestRoute[] }): WiredHandler {
  return withWire(dispatch(opts, 'json', restJsonError), { name: 'restJson1', service: opts.service, error: restJsonError });
}

/** restXml (S3, Route 53, CloudFront), each with its own error envelope. */
export function restXmlError(errors: 's3' | 'route53', req: CloudRequest, e: AwsError): CloudResponse {
  const extra = Object.entries(e.extra)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  const body =
    errors === 's3'
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message>${extra}<RequestId>${req.requestId}</RequestId><HostId>${req.requestId}</HostId></Error>`
      : `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>${e.sender ? 'Sender' : 'Receiver'}</Type><Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message>${extra}</Error><RequestId>${req.requestId}</RequestId></ErrorResponse>`;
  return {
    status: e.status,
    headers: { 'content-type': 'application/xml', 'x-amzn-requestid': req.requestId, 'x-amz-request-id': req.requestId },
    body: req.method === 'HEAD' ? undefined : body,
  };
}

export function restXmlProtocol(opts: { service: string; routes: RestRoute[]; errors: 's3' | 'route53'; match?: RestMatcher }): WiredHandler {
  const error = (req: CloudRequest, e: AwsError) => restXmlError(opts.errors, req, e);
  return withWire(dispatch(opts, 'xml', error), { name: 'restXml', service: opts.service, error });
}
