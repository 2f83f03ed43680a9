// The Route 53, API Gateway custom domain, ACM and CloudFront resource providers through real CloudFormation.
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStacksCommand, waitUntilStackCreateComplete, waitUntilStackDeleteComplete } from '@aws-sdk/client-cloudformation';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAcmService } from '../../../src/local-cloud/acm/index.js';
import { createApiGatewayService } from '../../../src/local-cloud/apigateway/index.js';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createCloudFormationService } from '../../../src/local-cloud/cloudformation/index.js';
import { createCloudFrontService } from '../../../src/local-cloud/cloudfront/index.js';
import { createRoute53Service } from '../../../src/local-cloud/route53/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { FakeAlarms, fakeMonitoring } from './fake-services.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const alarms = new FakeAlarms();
let cloud: LocalCloud;
let cfn: CloudFormationClient;
let r53: Route53Client;

const template = `
Resources:
  Zone:
    Type: AWS::Route53::HostedZone
    Properties: { Name: cfn.example.com }
  Cert:
    Type: AWS::CertificateManager::Certificate
    Properties: { DomainName: api.cfn.example.com, ValidationMethod: DNS }
  Check:
    Type: AWS::Route53::HealthCheck
    Properties:
      HealthCheckConfig:
        Type: CLOUDWATCH_METRIC
        AlarmIdentifier: { Region: !Ref AWS::Region, Name: api-5xx }
        InsufficientDataHealthStatus: Healthy
  Domain:
    Type: AWS::ApiGateway::DomainName
    Properties:
      DomainName: api.cfn.example.com
      RegionalCertificateArn: !Ref Cert
      EndpointConfiguration: { Types: [REGIONAL] }
  Record:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneId: !Ref Zone
      Name: api.cfn.example.com
      Type: A
      SetIdentifier: !Sub Region=\${AWS::Region}
      Region: !Ref AWS::Region
      HealthCheckId: !Ref Check
      AliasTarget:
        DNSName: !GetAtt Domain.RegionalDomainName
        HostedZoneId: !GetAtt Domain.RegionalHostedZoneId
        EvaluateTargetHealth: false
  Extra:
    Type: AWS::Route53::RecordSetGroup
    DependsOn: Zone
    Properties:
      HostedZoneName: cfn.example.com.
      RecordSets:
        - { Name: txt.cfn.example.com, Type: TXT, TTL: '300', ResourceRecords: ['"v=1"'] }
  Edge:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Aliases: [www.cfn.example.com]
        Origins: [{ Id: api, DomainName: api.cfn.example.com, CustomOriginConfig: { OriginProtocolPolicy: https-only } }]
        DefaultCacheBehavior: { TargetOriginId: api, ViewerProtocolPolicy: redirect-to-https }
        ViewerCertificate: { AcmCertificateArn: !Ref Cert, SslSupportMethod: sni-only }
Outputs:
  CheckId: { Value: !GetAtt Check.HealthCheckId }
  ZoneId: { Value: !Ref Zone }
  EdgeDomain: { Value: !GetAtt Edge.DomainName }
  RegionalName: { Value: !GetAtt Domain.RegionalDomainName }
`;

beforeAll(async () => {
  cloud = await startLocalCloud({
    port: 0,
    clock: new ManualClock(),
    services: [fakeMonitoring(alarms), createCloudFormationService, createApiGatewayService, createRoute53Service, createAcmService, createCloudFrontService],
  });
  cfn = new CloudFormationClient({ endpoint: cloud.url, region: 'eu-west-1', credentials });
  r53 = new Route53Client({ endpoint: cloud.url, region: 'us-east-1', credentials });
});

afterAll(async () => {
  cfn.destroy();
  r53.destroy();
  await cloud.close();
});

describe('CloudFormation providers', () => {
  it('creates zones, checks, custom domains, latency aliases, record groups and distributions, and deletes them', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'edge', TemplateBody: template }));
    const waited = await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { StackName: 'edge' });
    expect(waited.state, JSON.stringify(waited.reason)).toBe('SUCCESS');
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: 'edge' }))).Stacks!;
    const out = Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    expect(out.CheckId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.EdgeDomain).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);
    expect(out.RegionalName).toMatch(/^d-[a-z0-9]{10}\.execute-api\.eu-west-1\.amazonaws\.com$/);

    const records = (await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: out.ZoneId }))).ResourceRecordSets!;
    expect(records.map((r) => `${r.Name} ${r.Type}`)).toEqual(['cfn.example.com. NS', 'cfn.example.com. SOA', 'api.cfn.example.com. A', 'txt.cfn.example.com. TXT']);
    expect(records[2]).toMatchObject({ SetIdentifier: 'Region=eu-west-1', Region: 'eu-west-1', HealthCheckId: out.CheckId, AliasTarget: { HostedZoneId: 'ZLY8HYME6SFDD', DNSName: `${out.RegionalName}.` } });
    const answer = cloud.service('route53').resolve('api.cfn.example.com', 'A', '10.8.0.1');
    expect(answer).toMatchObject({ records: ['127.1.5.1'], chosen: { region: 'eu-west-1', setIdentifier: 'Region=eu-west-1' } });

    await cfn.send(new DeleteStackCommand({ StackName: 'edge' }));
    const deleted = await waitUntilStackDeleteComplete({ client: cfn, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { StackName: 'edge' });
    expect(deleted.state).toBe('SUCCESS');
    expect(cloud.service('route53').zones.list()).toEqual([]);
    expect(cloud.service('route53').healthChecks.list()).toEqual([]);
  }, 30_000);
});
