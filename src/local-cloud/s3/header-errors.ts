import { escapeXml } from '../protocols/xml.js';
import type { RestRoute } from '../protocols/rest.js';
import { S3HeaderError } from './errors.js';

// The restXml codec renders AwsError without headers; errors about delete markers need theirs
// (x-amz-delete-marker, x-amz-version-id), so routes render those themselves in S3's envelope.
export function withErrorHeaders(routes: RestRoute[]): RestRoute[] {
  return routes.map((route) => ({
    ...route,
    handler: async (call) => {
      try {
        return await route.handler(call);
      } catch (error) {
        if (!(error instanceof S3HeaderError)) throw error;
        const id = call.req.requestId;
        const extra = Object.entries(error.extra)
          .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
          .join('');
        return {
          status: error.status,
          headers: { ...error.headers, 'content-type': 'application/xml', 'x-amz-request-id': id },
          body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${extra}<RequestId>${id}</RequestId><HostId>${id}</HostId></Error>`,
        };
      }
    },
  }));
}
