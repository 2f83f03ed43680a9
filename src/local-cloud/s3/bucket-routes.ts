import type { RestRoute } from '../protocols/rest.js';
import type { S3Domain } from './domain.js';
import { LOCAL_OWNER } from './owner.js';
import { rootElement, S3_XMLNS } from './xml-input.js';

/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation. */
export function bucketRoutes(s3: S3Domain): RestRoute[] {
  return [
    {
      method: 'GET',
      path: '/',
      op: 'ListBuckets',
      handler: async () => ({
        xml: {
          root: 'ListAllMyBucketsResult',
          xmlns: S3_XMLNS,
          value: {
            Owner: LOCAL_OWNER,
            Buckets: { Bucket: s3.listBuckets().map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt).toISOString(), BucketRegion: b.region })) },
          },
        },
      }),
    },
    {
      method: 'GET',
      path: '/{Bucket}',
      op: 'GetBucketLocation',
      handler: async ({ params }) => {
        const region = s3.bucket(params.Bucket!).region;
        return { xml: { root: 'LocationConstraint', xmlns: S3_XMLNS, value: region === 'us-east-1' ? '' : region } };
      },
    },
    {
      method: 'PUT',
      path: '/{Bucket}',
      op: 'CreateBucket',
      handler: async (call) => {
        const config = call.body.length ? rootElement(call.xml(), 'CreateBucketConfiguration') : {};
        const constraint = typeof config.LocationConstraint === 'string' ? config.LocationConstraint : undefined;
        s3.createBucket(call.req.region, call.params.Bucket!, constraint);
        return { headers: { location: `/${call.params.Bucket}` } };
      },
    },
    {
      method: 'HEAD',
      path: '/{Bucket}',
      op: 'HeadBucket',
      handler: async ({ req, params }) => {
        const bucket = s3.headBucket(req.region, params.Bucket!);
        return { headers: { 'x-amz-bucket-region': bucket.region } };
      },
    },
    {
      method: 'DELETE',
      path: '/{Bucket}',
      op: 'DeleteBucket',
      handler: async ({ req, params }) => {
        s3.deleteBucket(req.region, params.Bucket!);
        return { status: 204 };
      },
    },
  ];
}
