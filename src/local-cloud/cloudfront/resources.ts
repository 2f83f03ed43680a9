// CloudFormation provider for AWS::CloudFront::Distribution, with the type's full property set
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudfront-distribution.html,
// DistributionConfig: aws-properties-cloudfront-distribution-distributionconfig.html, Origin,
// DefaultCacheBehavior, CustomOriginConfig and ViewerCertificate on their own pages). The local
// cloud keeps aliases, origins, the default origin, the certificate and the price class; the other
// settings are accepted as AWS accepts them and do not change how the global entry answers.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AwsError } from '../aws-error.js';
import { cfnBoolean, cfnInteger, cfnString, cfnStrings, cfnTags, ignored } from '../cloudformation/property-types.js';
import { defineResource } from '../cloudformation/resource-properties.js';
import { sleepOn } from '../realism.js';
import type { ResourceContext, ResourceProvider } from '../types.js';
import { distributionInput } from './config.js';
import type { Distributions } from './domain.js';

const customOriginConfig = z.strictObject({
  HTTPPort: cfnInteger().optional(),
  HTTPSPort: cfnInteger().optional(),
  IpAddressType: cfnString().optional(),
  OriginKeepaliveTimeout: cfnInteger().optional(),
  OriginProtocolPolicy: z.enum(['http-only', 'match-viewer', 'https-only']),
  OriginReadTimeout: cfnInteger().optional(),
  OriginSSLProtocols: z.array(z.enum(['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'])).optional(),
  OriginMtlsConfig: ignored(),
});

const origin = z.strictObject({
  ConnectionAttempts: cfnInteger().optional(),
  ConnectionTimeout: cfnInteger().optional(),
  CustomOriginConfig: customOriginConfig.optional(),
  DomainName: cfnString(),
  Id: cfnString(),
  OriginAccessControlId: cfnString().optional(),
  OriginCustomHeaders: z.array(z.strictObject({ HeaderName: cfnString(), HeaderValue: cfnString() })).optional(),
  OriginPath: cfnString().optional(),
  OriginShield: ignored(),
  ResponseCompletionTimeout: cfnInteger().optional(),
  S3OriginConfig: ignored(),
  VpcOriginConfig: ignored(),
});

const METHODS = z.array(z.enum(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']));

const defaultCacheBehavior = z.strictObject({
  AllowedMethods: METHODS.optional(),
  CachedMethods: METHODS.optional(),
  CachePolicyId: cfnString().optional(),
  Compress: cfnBoolean().optional(),
  DefaultTTL: z.union([z.number(), z.string()]).optional(),
  FieldLevelEncryptionId: cfnString().optional(),
  ForwardedValues: ignored(),
  FunctionAssociations: ignored(),
  GrpcConfig: ignored(),
  LambdaFunctionAssociations: ignored(),
  MaxTTL: z.union([z.number(), z.string()]).optional(),
  MinTTL: z.union([z.number(), z.string()]).optional(),
  OriginRequestPolicyId: cfnString().optional(),
  RealtimeLogConfigArn: cfnString().optional(),
  ResponseHeadersPolicyId: cfnString().optional(),
  SmoothStreaming: cfnBoolean().optional(),
  TargetOriginId: cfnString(),
  TrustedKeyGroups: cfnStrings().optional(),
  TrustedSigners: cfnStrings().optional(),
  ViewerProtocolPolicy: z.enum(['allow-all', 'https-only', 'redirect-to-https']),
});

const viewerCertificate = z.strictObject({
  AcmCertificateArn: cfnString().optional(),
  CloudFrontDefaultCertificate: cfnBoolean().optional(),
  IamCertificateId: cfnString().optional(),
  MinimumProtocolVersion: cfnString().optional(),
  SslSupportMethod: z.enum(['sni-only', 'vip', 'static-ip']).optional(),
});

const distributionConfig = z.strictObject({
  Aliases: cfnStrings().optional(),
  AnycastIpListId: cfnString().optional(),
  CacheBehaviors: ignored(),
  CNAMEs: cfnStrings().optional(),
  Comment: cfnString().optional(),
  ConnectionMode: cfnString().optional(),
  ContinuousDeploymentPolicyId: cfnString().optional(),
  CustomErrorResponses: ignored(),
  CustomOrigin: ignored(),
  DefaultCacheBehavior: defaultCacheBehavior,
  DefaultRootObject: cfnString().optional(),
  Enabled: cfnBoolean(),
  HttpVersion: z.enum(['http1.1', 'http2', 'http3', 'http2and3']).optional(),
  IPV6Enabled: cfnBoolean().optional(),
  Logging: ignored(),
  OriginGroups: ignored(),
  Origins: z.array(origin).optional(),
  PriceClass: z.enum(['PriceClass_100', 'PriceClass_200', 'PriceClass_All', 'None']).optional(),
  Restrictions: ignored(),
  S3Origin: ignored(),
  Staging: cfnBoolean().optional(),
  TenantConfig: ignored(),
  ViewerCertificate: viewerCertificate.optional(),
  WebACLId: cfnString().optional(),
});

export const distributionProperties = z.strictObject({ DistributionConfig: distributionConfig, Tags: cfnTags().optional() });
type DistributionConfig = z.output<typeof distributionConfig>;

function inputFrom(config: DistributionConfig, callerReference: string) {
  // The legacy CustomOrigin / S3Origin form has no Origins list; the local cloud needs one.
  if (!config.Origins || config.Origins.length === 0) throw new AwsError('InvalidArgument', 'The local cloud needs DistributionConfig.Origins (the legacy CustomOrigin / S3Origin form is not implemented).', 400);
  return distributionInput(
    {
      comment: config.Comment,
      enabled: config.Enabled,
      aliases: config.Aliases ?? config.CNAMEs ?? [],
      origins: config.Origins,
      defaultOriginId: config.DefaultCacheBehavior.TargetOriginId,
      viewerCertificate: config.ViewerCertificate,
      priceClass: config.PriceClass,
    },
    callerReference,
  );
}

/** CloudFormation completes a distribution only once it is Deployed (realism aws: minutes). */
function deployed(ctx: ResourceContext): Promise<void> {
  return sleepOn(ctx.cloud.clock, ctx.cloud.realism?.cloudFrontDeployMs ?? 0);
}

export function distributionResource(cf: Distributions): ResourceProvider {
  const attributes = (id: string) => ({ DomainName: cf.get(id).domainName, Id: id });
  return defineResource({
    type: 'AWS::CloudFront::Distribution',
    properties: distributionProperties,
    async create(ctx, props) {
      const d = cf.create(inputFrom(props.DistributionConfig, `${ctx.stackName}-${ctx.logicalId}-${randomUUID()}`));
      await deployed(ctx);
      return { physicalId: d.id, attributes: attributes(d.id) };
    },
    async update(ctx, physicalId, props) {
      const current = cf.get(physicalId);
      cf.update(physicalId, inputFrom(props.DistributionConfig, current.callerReference), current.etag);
      await deployed(ctx);
      return { physicalId, attributes: attributes(physicalId) };
    },
    async delete(_ctx, physicalId) {
      try {
        cf.delete(physicalId, undefined, true);
      } catch (err) {
        if (!(err instanceof AwsError && err.code === 'NoSuchDistribution')) throw err;
      }
    },
  });
}
