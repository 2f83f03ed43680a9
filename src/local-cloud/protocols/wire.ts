import type { AwsError } from '../aws-error.js';
import type { CloudRequest, CloudResponse, ServiceHandler } from '../types.js';

export type WireName = 'awsQuery' | 'awsJson1_0' | 'awsJson1_1' | 'restJson1' | 'restXml';

/**
 * What the front door needs to know about a service's protocol before the service sees a request:
 * how that protocol shapes an error, so a refusal (browser origin, content type, size, signature)
 * parses in the caller's SDK like any other error of that service.
 */
export interface Wire {
  name: WireName;
  /** Signing name of the service (s3 has its own rules for object bodies). */
  service: string;
  error(req: CloudRequest, e: AwsError): CloudResponse;
}

export type WiredHandler = ServiceHandler & { wire?: Wire | ((req: CloudRequest) => Wire) };

export function withWire(handler: ServiceHandler, wire: Wire | ((req: CloudRequest) => Wire)): WiredHandler {
  return Object.assign(handler, { wire });
}

export function wireOf(handler: ServiceHandler, req: CloudRequest): Wire | undefined {
  const wire = (handler as WiredHandler).wire;
  return typeof wire === 'function' ? wire(req) : wire;
}
