import { AwsError } from '../aws-error.js';

// S3 errors with the extra elements S3 puts beside <Message>.
export const noSuchBucket = (bucket: string) => new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, true, { BucketName: bucket });
export const noSuchKey = (key: string) => new AwsError('NoSuchKey', 'The specified key does not exist.', 404, true, { Key: key });
export const invalidBucketName = (bucket: string) => new AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400, true, { BucketName: bucket });
export const bucketNotEmpty = (bucket: string) => new AwsError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, true, { BucketName: bucket });
export const malformedPolicy = (message: string) => new AwsError('MalformedPolicy', message, 400);
export const malformedXml = () =>
  new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
export const permanentRedirect = (bucket: string, region: string) =>
  new AwsError(
    'PermanentRedirect',
    'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
    301,
    true,
    { Endpoint: `s3.${region}.amazonaws.com`, Bucket: bucket },
  );

/** An S3 error that also answers with headers (delete markers: x-amz-delete-marker, x-amz-version-id). */
export class S3HeaderError extends AwsError {
  constructor(code: string, message: string, status: number, extra: Record<string, string>, readonly headers: Record<string, string>) {
    super(code, message, status, true, extra);
  }
}

export const noSuchVersion = (key: string, versionId: string) =>
  new AwsError('NoSuchVersion', 'The specified version does not exist.', 404, true, { Key: key, VersionId: versionId });
// GET/HEAD of a key whose latest version is a delete marker: a plain NoSuchKey, plus the marker's headers.
export const noSuchKeyDeleted = (key: string, markerVersionId: string) =>
  new S3HeaderError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': markerVersionId });
// GET/HEAD naming a delete marker's version id: 405, as a marker has no body or metadata to read.
export const deleteMarkerNotAllowed = (versionId: string, lastModified: number) =>
  new S3HeaderError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: 'GET', ResourceType: 'DeleteMarker' }, {
    'x-amz-delete-marker': 'true',
    'x-amz-version-id': versionId,
    'last-modified': new Date(lastModified).toUTCString(),
    allow: 'DELETE',
  });
