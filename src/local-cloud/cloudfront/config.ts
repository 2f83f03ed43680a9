import { z } from 'zod';
import { AwsError } from '../aws-error.js';
import type { DistributionInput, DistributionRecord, OriginRecord } from './domain.js';

// DistributionConfig from the restXml wire: leaves are text, lists sit in <Items> with one element per
// item (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html).
// CloudFormation's plain-array shape is parsed by the resource's schema (resources.ts).

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The items of an XML list: <Name><Quantity/><Items><Element/>…</Items></Name>. */
function xmlItems(list: unknown, element: string): unknown[] {
  // An empty list is <Name><Quantity>0</Quantity></Name>, without <Items>.
  if (isObject(list) && !('Items' in list) && !(element in list) && 'Quantity' in list) return [];
  let v = isObject(list) && 'Items' in list ? list.Items : list;
  if (isObject(v) && element in v) v = v[element];
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

const malformed = (): AwsError => new AwsError('MalformedInput', 'Unexpected list element termination', 400);

const xmlOrigin = z.looseObject({ Id: z.string(), DomainName: z.string(), OriginPath: z.string().optional() });
const xmlConfig = z.looseObject({
  CallerReference: z.string().optional(),
  Comment: z.string().optional(),
  Enabled: z.enum(['true', 'false']).optional(),
  Aliases: z.unknown().optional(),
  Origins: z.unknown().optional(),
  DefaultCacheBehavior: z.looseObject({ TargetOriginId: z.string().optional() }).optional(),
  ViewerCertificate: z.record(z.string(), z.unknown()).optional(),
  PriceClass: z.string().optional(),
});

/** The parts of a DistributionConfig the local cloud keeps, from either shape. */
export interface DistributionConfigParts {
  comment?: string;
  enabled: boolean;
  aliases: string[];
  origins: Array<{ Id: string; DomainName: string; OriginPath?: string }>;
  defaultOriginId?: string;
  viewerCertificate?: Record<string, unknown>;
  priceClass?: string;
}

export function distributionInput(parts: DistributionConfigParts, callerReference: string): DistributionInput {
  const origins: OriginRecord[] = parts.origins.map((o) => ({ id: o.Id, domainName: o.DomainName.toLowerCase(), originPath: o.OriginPath || undefined }));
  return {
    callerReference,
    comment: parts.comment,
    enabled: parts.enabled,
    aliases: parts.aliases,
    origins,
    defaultOriginId: parts.defaultOriginId,
    viewerCertificate: parts.viewerCertificate,
    priceClass: parts.priceClass,
  };
}

/** DistributionConfig from the wire (XML: Items wrappers, text leaves). */
export function distributionInputFromXml(raw: unknown, callerReference?: string): DistributionInput {
  const parsed = xmlConfig.safeParse(raw);
  if (!parsed.success) throw malformed();
  const config = parsed.data;
  const origins = xmlItems(config.Origins, 'Origin').map((o) => {
    const origin = xmlOrigin.safeParse(o);
    if (!origin.success) throw malformed();
    return origin.data;
  });
  const aliases = xmlItems(config.Aliases, 'CNAME').map((a) => {
    if (typeof a !== 'string') throw malformed();
    return a;
  });
  const ref = callerReference ?? config.CallerReference;
  if (!ref) throw new AwsError('InvalidArgument', 'The parameter CallerReference is required.', 400);
  return distributionInput(
    {
      comment: config.Comment,
      enabled: config.Enabled === undefined ? true : config.Enabled === 'true',
      aliases,
      origins,
      defaultOriginId: config.DefaultCacheBehavior?.TargetOriginId,
      viewerCertificate: config.ViewerCertificate,
      priceClass: config.PriceClass,
    },
    ref,
  );
}

/** The DistributionConfig element as GetDistribution returns it. */
export function distributionConfigView(d: DistributionRecord) {
  return {
    CallerReference: d.callerReference,
    Aliases: { Quantity: d.aliases.length, Items: d.aliases.length ? { CNAME: d.aliases } : undefined },
    DefaultRootObject: '',
    Origins: {
      Quantity: d.origins.length,
      Items: {
        Origin: d.origins.map((o) => ({
          Id: o.id,
          DomainName: o.domainName,
          OriginPath: o.originPath ?? '',
          CustomHeaders: { Quantity: 0 },
          CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' },
          ConnectionAttempts: 3,
          ConnectionTimeout: 10,
        })),
      },
    },
    DefaultCacheBehavior: { TargetOriginId: d.defaultOriginId, ViewerProtocolPolicy: 'redirect-to-https', Compress: true },
    Comment: d.comment,
    PriceClass: d.priceClass ?? 'PriceClass_All',
    Enabled: d.enabled,
    ViewerCertificate: d.viewerCertificate ?? { CloudFrontDefaultCertificate: true },
    HttpVersion: 'http2',
    IsIPV6Enabled: true,
  };
}

export function distributionView(d: DistributionRecord, accountId: string, status: 'InProgress' | 'Deployed' = 'Deployed') {
  return {
    Id: d.id,
    ARN: `arn:aws:cloudfront::${accountId}:distribution/${d.id}`,
    Status: status,
    LastModifiedTime: new Date(d.lastModified).toISOString(),
    InProgressInvalidationBatches: 0,
    DomainName: d.domainName,
    DistributionConfig: distributionConfigView(d),
  };
}
