// Region and service come from the SigV4 credential scope:
//   Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, ...
// or, for presigned URLs, the X-Amz-Credential query parameter. Signatures are not verified:
// the local cloud is a loopback-only emulator with static credentials.
export interface CredentialScope {
  accessKeyId: string;
  region: string;
  service: string;
}

export function credentialScope(authorization: string | undefined, query: URLSearchParams): CredentialScope | undefined {
  const fromHeader = authorization ? /Credential=([^,\s]+)/.exec(authorization)?.[1] : undefined;
  const credential = fromHeader ?? query.get('X-Amz-Credential') ?? undefined;
  if (!credential) return undefined;
  const parts = credential.split('/');
  if (parts.length < 5) return undefined;
  return { accessKeyId: parts[0], region: parts[2], service: parts[3] };
}
