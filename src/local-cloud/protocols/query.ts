import { AwsError } from '../aws-error.js';
import type { CloudRequest, CloudResponse } from '../types.js';
import { asAwsError } from './errors.js';
import { dict } from '../keyed.js';
import { withWire, type WiredHandler } from './wire.js';
import { escapeXml, xmlChildren } from './xml.js';

/** awsQuery input after unflatten: every leaf is a string; lists are arrays, structures and maps objects. */
export type QueryValue = string | QueryValue[] | QueryMap;
export interface QueryMap {
  [member: string]: QueryValue;
}

/**
 * One awsQuery operation: it receives the unflattened parameters and parses them with its schema
 * (validation.ts: withInput, queryString/queryInteger/… for the string-typed leaves).
 */
export type QueryOp = (input: QueryMap, req: CloudRequest) => Promise<Record<string, unknown> | void>;

/**
 * awsQuery: form-encoded Action + flattened parameters in, XML out. Lists arrive as
 * `Name.member.N[.Field]`, maps as `Name.entry.N.key/value`; both are rebuilt here so that
 * operations see plain nested objects whose leaves are strings.
 */
export function queryProtocol(opts: { service: string; xmlns: string; ops: Record<string, QueryOp> }): WiredHandler {
  const error = (req: CloudRequest, e: AwsError) => queryError(opts.xmlns, req, e);
  return withWire(async (req) => {
    let action = '';
    try {
      const params = queryParams(req);
      action = params.get('Action') ?? '';
      const op = Object.hasOwn(opts.ops, action) ? opts.ops[action] : undefined;
      if (!op) {
        throw new AwsError(
          'InvalidAction',
          action
            ? `The action ${action} is not valid for this web service (the local cloud does not implement ${opts.service} ${action}).`
            : 'Could not find operation: the request has no Action parameter.',
          400,
        );
      }
      const input = unflatten(params);
      delete input.Action;
      delete input.Version;
      const result = await op(input, req);
      // AWS always sends the <ActionResult> wrapper, empty when the output has no members
      // (ExecuteChangeSet, DeleteChangeSet); botocore fails with KeyError 'ActionResult' without it.
      const resultXml = `<${action}Result>${result ? xmlChildren(result, 'member') : ''}</${action}Result>`;
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${opts.xmlns}">${resultXml}` +
        `<ResponseMetadata><RequestId>${req.requestId}</RequestId></ResponseMetadata></${action}Response>`;
      return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': req.requestId }, body };
    } catch (e) {
      return error(req, asAwsError(e));
    }
  }, { name: 'awsQuery', service: opts.service, error });
}

export function queryError(xmlns: string, req: CloudRequest, e: AwsError): CloudResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${xmlns}"><Error>` +
    `<Type>${e.sender ? 'Sender' : 'Receiver'}</Type><Code>${escapeXml(e.code)}</Code>` +
    `<Message>${escapeXml(e.message)}</Message></Error><RequestId>${req.requestId}</RequestId></ErrorResponse>`;
  return { status: e.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': req.requestId }, body };
}

function queryParams(req: CloudRequest): URLSearchParams {
  const params = new URLSearchParams(req.query);
  if (req.body.length > 0) {
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.append(k, v);
  }
  return params;
}

/** The flattened tree before lists and maps are recognised: every node an object, every leaf a string. */
interface Flat {
  [part: string]: string | Flat;
}

/** Rebuild nested structure from awsQuery's flattened keys. */
export function unflatten(params: URLSearchParams): QueryMap {
  // Null-prototype nodes: a parameter named `__proto__.x` must build data, not reach Object.prototype.
  const root: Flat = dict();
  for (const [key, value] of params) {
    const parts = key.split('.');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i];
      const child = node[part];
      if (typeof child === 'object') node = child;
      else {
        const created: Flat = dict();
        node[part] = created;
        node = created;
      }
    }
    node[parts[parts.length - 1]] = value;
  }
  return normalizeMap(root);
}

function normalize(node: string | Flat): QueryValue {
  return typeof node === 'string' ? node : normalizeFlat(node);
}

function normalizeFlat(node: Flat): QueryValue {
  const keys = Object.keys(node);
  const only = keys.length === 1 ? node[keys[0]] : undefined;
  if (keys[0] === 'member' && typeof only === 'object') {
    return Object.keys(only)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => normalize(only[k]));
  }
  if (keys[0] === 'entry' && typeof only === 'object') {
    const map: QueryMap = dict();
    for (const entry of Object.values(only)) {
      if (typeof entry !== 'object') continue;
      const k = entry.key ?? entry.Key ?? entry.Name;
      const v = entry.value ?? entry.Value;
      if (typeof k === 'string' && v !== undefined) map[k] = normalize(v);
    }
    return map;
  }
  return normalizeMap(node);
}

// A list that the SDK sent empty arrives as "Name=" (empty string): it stays a string here, and
// the operation's schema reads it as [] (validation.ts: queryList).
function normalizeMap(node: Flat): QueryMap {
  const out: QueryMap = dict();
  for (const k of Object.keys(node)) out[k] = normalize(node[k]);
  return out;
}
