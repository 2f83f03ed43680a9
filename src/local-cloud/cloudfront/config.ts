import { AwsError } from '../aws-error.js';
import { listOf } from '../route53/record-input.js';
import type { DistributionInput, DistributionRecord } from './domain.js';

const bool = (v: unknown, dflt: boolean): boolean => (v === undefined ? dflt : v === true || String(v).toLowerCase() === 'true');

/** DistributionConfig from the wire (XML: Items wrappers) or CloudFormation (plain arrays). */
export function distributionInputFrom(raw: Record<string, any>, callerReference?: string): DistributionInput {
  if (!raw) throw new AwsError('MalformedInput', 'Unexpected list element termination', 400);
  const origins = listOf<any>(raw.Origins?.Items ?? raw.Origins, 'Origin').map((o) => ({
    id: String(o.Id),
    domainName: String(o.DomainName).toLowerCase(),
    originPath: o.OriginPath ? String(o.OriginPath) : undefined,
  }));
  const aliases = listOf<string>(raw.Aliases?.Items ?? raw.Aliases, 'CNAME').map(String);
  const ref = callerReference ?? raw.CallerReference;
  if (!ref) throw new AwsError('InvalidArgument', 'The parameter CallerReference is required.', 400);
  return {
    callerReference: String(ref),
    comment: raw.Comment === undefined ? undefined : String(raw.Comment),
    enabled: bool(raw.Enabled, true),
    aliases,
    origins,
    defaultOriginId: raw.DefaultCacheBehavior?.TargetOriginId,
    viewerCertificate: raw.ViewerCertificate,
    priceClass: raw.PriceClass,
  };
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
