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
