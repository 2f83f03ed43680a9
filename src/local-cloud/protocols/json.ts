import { AwsError } from '../aws-error.js';
import type { CloudRequest, CloudResponse } from '../types.js';
import { withWire, type WiredHandler } from './wire.js';
import { asAwsError } from './errors.js';

/**
 * One JSON-protocol operation. The protocol hands it the parsed body unchecked (`unknown`); an
 * operation declares the input it expects and binds a schema that makes it so (validation.ts:
 * withInput / validatedOps). Declared as a method type so that an operation written for its own
 * input type (`async (input: PutRuleInput, req) => …`) is accepted where ops are listed.
 */
export type JsonOp = { op(input: unknown, req: CloudRequest): Promise<unknown> }['op'];

// __type prefixes as the real services send them; the SDKs strip everything up to '#'.
const errorPrefixes: Record<string, string> = {
  dynamodb: 'com.amazonaws.dynamodb.v20120810#',
  monitoring: 'com.amazonaws.cloudwatch#',
};

/** awsJson1_0 / awsJson1_1: `X-Amz-Target: Prefix.Operation`, JSON body both ways. */
export function jsonProtocol(opts: {
  service: string;
  targetPrefix: string;
  version: '1.0' | '1.1';
  ops: Record<string, JsonOp>;
  /** CloudWatch: errors also carry x-amzn-query-error so query-mode clients map codes. */
  queryCompatible?: boolean;
}): WiredHandler {
  const contentType = `application/x-amz-json-${opts.version}`;
  const error = (req: CloudRequest, e: AwsError) => jsonError(opts, req, e);
  return withWire(async (req) => {
    try {
      const target = req.headers['x-amz-target'] ?? '';
      const [prefix, operation] = target.split('.');
      // Own keys only: `constructor` or `toString` must not dispatch to Object.prototype.
      const op = prefix === opts.targetPrefix && operation !== undefined && Object.hasOwn(opts.ops, operation) ? opts.ops[operation] : undefined;
      if (!op) {
        throw new AwsError(
          'UnknownOperationException',
          `The local cloud does not implement ${opts.service} operation ${operation || target || '(no X-Amz-Target)'}.`,
          400,
        );
      }
      let input: unknown = {};
      const text = req.body.toString('utf8');
      if (/\S/.test(text)) {
        try {
          input = JSON.parse(text);
        } catch {
          throw new AwsError('SerializationException', 'Start of structure or map found where not expected.', 400);
        }
      }
      const result = await op(input ?? {}, req);
      return {
        status: 200,
        headers: { 'content-type': contentType, 'x-amzn-requestid': req.requestId },
        body: JSON.stringify(result ?? {}),
      };
    } catch (e) {
      return error(req, asAwsError(e));
    }
  }, { name: opts.version === '1.0' ? 'awsJson1_0' : 'awsJson1_1', service: opts.service, error });
}

export function jsonError(opts: { service: string; version: '1.0' | '1.1'; queryCompatible?: boolean }, req: CloudRequest, e: AwsError): CloudResponse {
  const contentType = `application/x-amz-json-${opts.version}`;
  const prefix = Object.hasOwn(errorPrefixes, opts.service) ? errorPrefixes[opts.service] : '';
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-amzn-requestid': req.requestId,
    'x-amzn-errortype': e.code,
  };
  if (opts.queryCompatible) headers['x-amzn-query-error'] = `${e.code};${e.sender ? 'Sender' : 'Receiver'}`;
  const type = e.code === 'UnknownOperationException' && opts.service === 'dynamodb'
    ? 'com.amazon.coral.service#UnknownOperationException'
    : `${prefix}${e.code}`;
  return { status: e.status, headers, body: JSON.stringify({ __type: type, message: e.message, ...e.extra }) };
}
