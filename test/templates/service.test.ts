import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/deploy/render-template.js';

const t = JSON.parse(renderTemplate('service'));
const R = t.Resources;

describe('service template', () => {
  it('serves GET /hello from the hello function on a REGIONAL API not named like the health API', () => {
    expect(R.Api.Properties.Name).toEqual({ 'Fn::Sub': '${Stage}-${Service}-service' });
    expect(R.Api.Properties.EndpointConfiguration).toEqual({ Types: ['REGIONAL'] });
    expect(R.HelloResource.Properties.PathPart).toBe('hello');
    expect(R.HelloMethod.Properties.Integration.Uri['Fn::Sub']).toContain('${HelloFunction.Arn}');
    expect(R.HelloFunction.Properties.Code).toEqual({ S3Bucket: { Ref: 'ArtifactBucket' }, S3Key: { Ref: 'HelloCodeKey' } });
    expect(R.HelloInvokePermission.Properties.SourceArn['Fn::Sub']).toMatch(/\$\{Api\}\/\$\{Stage\}\/GET\/hello$/);
  });

  it('uses the given certificate, or creates *.<zone> validated in the hosted zone', () => {
    expect(t.Conditions.CreateCertificate).toEqual({ 'Fn::Equals': [{ Ref: 'CertificateArn' }, ''] });
    expect(t.Parameters.CertificateArn.Default).toBe('');
    expect(R.Certificate.Condition).toBe('CreateCertificate');
    expect(R.Certificate.Properties).toEqual({
      DomainName: { 'Fn::Sub': '*.${ZoneName}' },
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: { 'Fn::Sub': '*.${ZoneName}' }, HostedZoneId: { Ref: 'HostedZoneId' } }],
    });
    expect(R.DomainName.Properties.RegionalCertificateArn).toEqual({ 'Fn::If': ['CreateCertificate', { Ref: 'Certificate' }, { Ref: 'CertificateArn' }] });
  });

  it('maps <stage>-<service>.<zone> (REGIONAL) to the stage', () => {
    expect(R.DomainName.Properties.DomainName).toEqual({ 'Fn::Sub': '${Stage}-${Service}.${ZoneName}' });
    expect(R.DomainName.Properties.EndpointConfiguration).toEqual({ Types: ['REGIONAL'] });
    expect(R.BasePathMapping.Properties).toEqual({ DomainName: { Ref: 'DomainName' }, RestApiId: { Ref: 'Api' }, Stage: { Ref: 'ApiStage' } });
  });

  it('writes the latency alias record with SetIdentifier = Region = this region and the health check parameter', () => {
    expect(R.LatencyRecord.Properties).toEqual({
      HostedZoneId: { Ref: 'HostedZoneId' },
      Name: { 'Fn::Sub': '${Stage}-${Service}.${ZoneName}.' },
      Type: 'A',
      SetIdentifier: { Ref: 'AWS::Region' },
      Region: { Ref: 'AWS::Region' },
      HealthCheckId: { Ref: 'HealthCheckId' },
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': ['DomainName', 'RegionalDomainName'] },
        HostedZoneId: { 'Fn::GetAtt': ['DomainName', 'RegionalHostedZoneId'] },
        EvaluateTargetHealth: false,
      },
    });
    expect(t.Parameters.HealthCheckId.Default).toBeUndefined();
  });

  it('declares the parameters and outputs of the contract', () => {
    expect(Object.keys(t.Parameters).sort()).toEqual(
      ['ArtifactBucket', 'CertificateArn', 'HealthCheckId', 'HelloCodeKey', 'HostedZoneId', 'LogRetentionDays', 'NodeRuntime', 'PermissionsBoundary', 'Service', 'Stage', 'ZoneName'],
    );
    expect(Object.keys(t.Outputs).sort()).toEqual(['HelloFunctionName', 'RegionalDomainName', 'RegionalName', 'RegionctlTemplateHash', 'RestApiId', 'StageName']);
  });
});

describe('dns template', () => {
  const d = JSON.parse(renderTemplate('dns'));
  it('creates the zone and outputs its id', () => {
    expect(d.Resources.HostedZone.Type).toBe('AWS::Route53::HostedZone');
    expect(d.Resources.HostedZone.Properties.Name).toEqual({ Ref: 'ZoneName' });
    expect(d.Outputs.HostedZoneId.Value).toEqual({ Ref: 'HostedZone' });
  });
});

describe('edge template', () => {
  const e = JSON.parse(renderTemplate('edge'));
  const config = e.Resources.Distribution.Properties.DistributionConfig;
  it('puts CloudFront in front of the latency name over HTTPS, caching nothing', () => {
    expect(config.Origins).toEqual([
      { Id: 'regional', DomainName: { 'Fn::Sub': '${Stage}-${Service}.${ZoneName}' }, CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] } },
    ]);
    expect(config.DefaultCacheBehavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(config.DefaultCacheBehavior.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    expect(config.Aliases).toEqual([{ 'Fn::Sub': '${Service}.${ZoneName}' }]);
    expect(config.ViewerCertificate.AcmCertificateArn).toEqual({ 'Fn::If': ['CreateCertificate', { Ref: 'Certificate' }, { Ref: 'CertificateArn' }] });
    expect(e.Resources.Certificate.Properties.DomainName).toEqual({ 'Fn::Sub': '${Service}.${ZoneName}' });
  });
  it('aliases <service>.<zone> to the distribution in the CloudFront hosted zone', () => {
    expect(e.Resources.GlobalRecord.Properties).toEqual({
      HostedZoneId: { Ref: 'HostedZoneId' },
      Name: { 'Fn::Sub': '${Service}.${ZoneName}.' },
      Type: 'A',
      AliasTarget: { DNSName: { 'Fn::GetAtt': ['Distribution', 'DomainName'] }, HostedZoneId: 'Z2FDTNDATAQYW2', EvaluateTargetHealth: false },
    });
    expect(Object.keys(e.Outputs)).toEqual(expect.arrayContaining(['DistributionDomainName', 'GlobalName']));
  });
});
