import { restXmlProtocol } from '../protocols/rest.js';
import type { ServiceFactory } from '../types.js';
import { bucketRoutes } from './bucket-routes.js';
import { bucketPolicyResource, bucketResource } from './resources.js';
import { configRoutes } from './config-routes.js';
import { withErrorHeaders } from './header-errors.js';
import { S3Domain } from './domain.js';
import { s3Matcher } from './dispatch.js';
import { checkDestinations, deliverObjectCreated } from './event-notifications.js';
import { listRoutes } from './list-routes.js';
import { objectRoutes } from './object-routes.js';
import { S3Replication } from './replication.js';

export { S3Domain } from './domain.js';
export type { DeleteOutcome, ObjectCreatedHook, ObjectEvent, PutObjectOptions } from './domain.js';

export const createS3Service: ServiceFactory<'s3'> = (ctx) => {
  const domain = new S3Domain(ctx);
  domain.onObjectCreated = (region, bucket, key, event) => deliverObjectCreated(ctx, domain, region, bucket, key, event);
  domain.checkNotification = (region, bucket, config) => checkDestinations(ctx, region, bucket, config);
  const replication = new S3Replication(ctx, domain);
  domain.onVersionAdded = (bucket, entry) => replication.onVersionAdded(bucket, entry);
  domain.replication = replication;
  return {
    names: ['s3'],
    // Dispatched by (method, target, sub-resource) in dispatch.ts, not by route order.
    handle: restXmlProtocol({
      service: 's3',
      errors: 's3',
      match: s3Matcher,
      routes: withErrorHeaders([...configRoutes(domain), ...objectRoutes(domain), ...bucketRoutes(domain), ...listRoutes(domain)]),
    }),
    resources: [bucketResource(domain), bucketPolicyResource(domain)],
    domain,
    start: () => replication.start(),
    stop: async () => replication.stop(),
  };
};
