import type { RestRoute } from '../protocols/rest.js';
import { record } from '../protocols/narrow.js';
import type { S3Domain } from './domain.js';
import { malformedXml } from './errors.js';
import { notificationFromXml, notificationToXml } from './notification-xml.js';
import { replicationFromXml, replicationToXml } from './replication-config.js';
import { asArray, rootElement, S3_XMLNS } from './xml-input.js';

const PAB_FIELDS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'];

type Sub = { name: string; op: string };

// The sub-resource name documents the route; dispatch.ts picks the route by its op.
function route(method: string, sub: Sub, handler: RestRoute['handler']): RestRoute {
  return { method, path: `/{Bucket}?${sub.name}`, op: sub.op, handler };
}

/** Bucket sub-resources: encryption, publicAccessBlock, policy, versioning, tagging, notification, replication. */
export function configRoutes(s3: S3Domain): RestRoute[] {
  const region = (call: { req: { region: string }; params: Record<string, string> }) => [call.req.region, call.params.Bucket!] as const;
  return [
    route('GET', { name: 'encryption', op: 'GetBucketEncryption' }, async (call) => ({
      xml: { root: 'ServerSideEncryptionConfiguration', xmlns: S3_XMLNS, value: s3.getEncryption(...region(call)) },
    })),
    route('PUT', { name: 'encryption', op: 'PutBucketEncryption' }, async (call) => {
      const doc = rootElement(call.xml(), 'ServerSideEncryptionConfiguration');
      if (asArray(doc.Rule).length === 0) throw malformedXml();
      s3.putEncryption(...region(call), doc);
      return {};
    }),
    route('DELETE', { name: 'encryption', op: 'DeleteBucketEncryption' }, async (call) => {
      s3.deleteEncryption(...region(call));
      return { status: 204 };
    }),

    route('GET', { name: 'publicAccessBlock', op: 'GetPublicAccessBlock' }, async (call) => ({
      xml: { root: 'PublicAccessBlockConfiguration', xmlns: S3_XMLNS, value: s3.getPublicAccessBlock(...region(call)) },
    })),
    route('PUT', { name: 'publicAccessBlock', op: 'PutPublicAccessBlock' }, async (call) => {
      const doc = rootElement(call.xml(), 'PublicAccessBlockConfiguration');
      s3.putPublicAccessBlock(...region(call), Object.fromEntries(PAB_FIELDS.map((f) => [f, String(doc[f]) === 'true'])));
      return {};
    }),
    route('DELETE', { name: 'publicAccessBlock', op: 'DeletePublicAccessBlock' }, async (call) => {
      s3.deletePublicAccessBlock(...region(call));
      return { status: 204 };
    }),

    route('GET', { name: 'policy', op: 'GetBucketPolicy' }, async (call) => ({
      headers: { 'content-type': 'application/json' },
      body: s3.getPolicy(...region(call)),
    })),
    route('PUT', { name: 'policy', op: 'PutBucketPolicy' }, async (call) => {
      s3.putPolicy(...region(call), call.body.toString('utf8'));
      return { status: 204 };
    }),
    route('DELETE', { name: 'policy', op: 'DeleteBucketPolicy' }, async (call) => {
      s3.deletePolicy(...region(call));
      return { status: 204 };
    }),

    route('GET', { name: 'versioning', op: 'GetBucketVersioning' }, async (call) => {
      const status = s3.getVersioning(...region(call));
      return { xml: { root: 'VersioningConfiguration', xmlns: S3_XMLNS, value: status ? { Status: status } : {} } };
    }),
    route('PUT', { name: 'versioning', op: 'PutBucketVersioning' }, async (call) => {
      s3.putVersioning(...region(call), String(rootElement(call.xml(), 'VersioningConfiguration').Status ?? ''));
      return {};
    }),

    route('GET', { name: 'tagging', op: 'GetBucketTagging' }, async (call) => {
      const tags = s3.getTags(...region(call));
      return { xml: { root: 'Tagging', xmlns: S3_XMLNS, value: { TagSet: { Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } } } };
    }),
    route('PUT', { name: 'tagging', op: 'PutBucketTagging' }, async (call) => {
      const doc = rootElement(call.xml(), 'Tagging');
      const tags: Record<string, string> = {};
      for (const tag of asArray(record(doc.TagSet).Tag).map(record)) tags[String(tag.Key)] = String(tag.Value ?? '');
      s3.putTags(...region(call), tags);
      return { status: 204 };
    }),
    route('DELETE', { name: 'tagging', op: 'DeleteBucketTagging' }, async (call) => {
      s3.deleteTags(...region(call));
      return { status: 204 };
    }),

    route('GET', { name: 'notification', op: 'GetBucketNotificationConfiguration' }, async (call) => ({
      xml: { root: 'NotificationConfiguration', xmlns: S3_XMLNS, value: notificationToXml(s3.getNotification(...region(call))) },
    })),
    route('PUT', { name: 'notification', op: 'PutBucketNotificationConfiguration' }, async (call) => {
      await s3.configureNotification(...region(call), notificationFromXml(rootElement(call.xml(), 'NotificationConfiguration')));
      return {};
    }),

    route('GET', { name: 'replication', op: 'GetBucketReplication' }, async (call) => ({
      xml: { root: 'ReplicationConfiguration', xmlns: S3_XMLNS, value: replicationToXml(s3.getReplication(...region(call))) },
    })),
    route('PUT', { name: 'replication', op: 'PutBucketReplication' }, async (call) => {
      s3.putReplication(...region(call), replicationFromXml(rootElement(call.xml(), 'ReplicationConfiguration')));
      return {};
    }),
    route('DELETE', { name: 'replication', op: 'DeleteBucketReplication' }, async (call) => {
      s3.deleteReplication(...region(call));
      return { status: 204 };
    }),
  ];
}
