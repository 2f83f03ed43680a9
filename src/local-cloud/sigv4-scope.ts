// Region and service come from the SigV4 credential scope:
//   Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, ...
// or, for a presigned URL, the X-Amz-Credential query parameter. The query is only believed for a
// genuinely presigned URL (algorithm, credential and signature all present): otherwise a plain
// link or form on any web page could name a service and region. Signatures are verified only
// with --require-auth (sigv4-verify.ts).
export interface CredentialScope {
  accessKeyId: string;
  region: string;
  service: string;
  /** From the X-Amz-* query parameters rather than the Authorization header. */
  presigned: boolean;
}

export function isPresigned(query: URLSearchParams): boolean {
  return query.has('X-Amz-Algorithm') && query.has('X-Amz-Credential') && query.has('X-Amz-Signature');
}

export function credentialScope(authorization: string | undefined, query: URLSearchParams): CredentialScope | undefined {
  const fromHeader = authorization ? /Credential=([^,\s]+)/.exec(authorization)?.[1] : undefined;
  const presigned = !fromHeader && isPresigned(query);
  const credential = fromHeader ?? (presigned ? query.get('X-Amz-Credential') : undefined);
  if (!credential) return undefined;
  const parts = credential.split('/');
  if (parts.length < 5 || !parts[2] || !parts[3]) return undefined;
  return { accessKeyId: parts[0], region: parts[2], service: parts[3], presigned };
}
