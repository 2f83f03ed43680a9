// Every resource type of S3, Route 53, CloudWatch, SNS, API Gateway, DynamoDB and Lambda validates its
// template properties with the type's schema before touching the service, failing as CloudFormation's
// registry does: an unknown property, a property of the wrong type and a missing required one.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { validateProperties } from '../../src/local-cloud/cloudformation/resource-properties.js';
import { domainNameResources } from '../../src/local-cloud/apigateway/domain-name-resources.js';
import { apiGatewayResources } from '../../src/local-cloud/apigateway/resources.js';
import { cloudWatchResources } from '../../src/local-cloud/cloudwatch/resources.js';
import { globalTableResource } from '../../src/local-cloud/dynamodb/global-tables/resources.js';
import { tableResource } from '../../src/local-cloud/dynamodb/resources.js';
import { eventSourceMappingResource } from '../../src/local-cloud/lambda/event-source-mappings/resources.js';
import { lambdaResources } from '../../src/local-cloud/lambda/resources.js';
import { cfnBoolean, cfnEnum, cfnInteger, cfnNumber, cfnString } from '../../src/local-cloud/cloudformation/property-types.js';
import { route53Resources } from '../../src/local-cloud/route53/resources.js';
import { bucketPolicyResource, bucketResource } from '../../src/local-cloud/s3/resources.js';
import { snsResources } from '../../src/local-cloud/sns/resources.js';
import type { ResourceContext, ResourceProvider } from '../../src/local-cloud/types.js';

// Validation happens before the provider reaches its service: a domain that throws on any use proves it.
const untouched = new Proxy({}, { get: () => { throw new Error('the service was reached'); } }) as never;
const providers: ResourceProvider[] = [
  bucketResource(untouched),
  bucketPolicyResource(untouched),
  ...route53Resources(untouched),
  ...cloudWatchResources(untouched),
  ...snsResources(untouched),
  ...apiGatewayResources(untouched),
  ...domainNameResources(untouched),
  tableResource(untouched),
  globalTableResource(untouched, untouched),
  ...lambdaResources(untouched),
  eventSourceMappingResource(untouched),
];
const ctx = { logicalId: 'R', region: 'us-east-1', stackName: 's' } as ResourceContext;
const provider = (type: string): ResourceProvider => {
  const p = providers.find((x) => x.type === type);
  if (!p) throw new Error(`no provider for ${type}`);
  return p;
};

// Per type: minimal valid properties, a String property to break, and a required property (if any).
const cases: Array<{ type: string; valid: Record<string, unknown>; text?: string; required?: string }> = [
  { type: 'AWS::S3::Bucket', valid: {}, text: 'BucketName' },
  { type: 'AWS::S3::BucketPolicy', valid: { Bucket: 'b', PolicyDocument: {} }, text: 'Bucket', required: 'PolicyDocument' },
  { type: 'AWS::Route53::HostedZone', valid: { Name: 'example.com' }, text: 'Name', required: 'Name' },
  { type: 'AWS::Route53::RecordSet', valid: { HostedZoneId: 'Z1', Name: 'a.example.com', Type: 'A' }, text: 'SetIdentifier', required: 'Type' },
  { type: 'AWS::Route53::RecordSetGroup', valid: {}, text: 'HostedZoneName' },
  { type: 'AWS::Route53::HealthCheck', valid: { HealthCheckConfig: { Type: 'HTTP' } }, required: 'HealthCheckConfig' },
  { type: 'AWS::CloudWatch::Alarm', valid: { ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 }, text: 'AlarmName', required: 'EvaluationPeriods' },
  { type: 'AWS::SNS::Topic', valid: {}, text: 'TopicName' },
  { type: 'AWS::SNS::Subscription', valid: { Protocol: 'lambda', TopicArn: 'arn' }, text: 'Endpoint', required: 'TopicArn' },
  { type: 'AWS::SNS::TopicPolicy', valid: { PolicyDocument: {}, Topics: ['arn'] }, required: 'Topics' },
  { type: 'AWS::ApiGateway::RestApi', valid: {}, text: 'Name' },
  { type: 'AWS::ApiGateway::Resource', valid: { ParentId: 'p', PathPart: 'x', RestApiId: 'a' }, text: 'PathPart', required: 'ParentId' },
  { type: 'AWS::ApiGateway::Method', valid: { HttpMethod: 'GET', ResourceId: 'r', RestApiId: 'a' }, text: 'AuthorizationType', required: 'HttpMethod' },
  { type: 'AWS::ApiGateway::Deployment', valid: { RestApiId: 'a' }, text: 'StageName', required: 'RestApiId' },
  { type: 'AWS::ApiGateway::Stage', valid: { RestApiId: 'a' }, text: 'DeploymentId', required: 'RestApiId' },
  { type: 'AWS::ApiGateway::DomainName', valid: { DomainName: 'api.example.com' }, text: 'RegionalCertificateArn' },
  { type: 'AWS::ApiGateway::BasePathMapping', valid: { DomainName: 'api.example.com' }, text: 'BasePath', required: 'DomainName' },
  { type: 'AWS::DynamoDB::Table', valid: { KeySchema: [] }, text: 'TableName', required: 'KeySchema' },
  { type: 'AWS::DynamoDB::GlobalTable', valid: { AttributeDefinitions: [], KeySchema: [], Replicas: [] }, text: 'TableName', required: 'Replicas' },
  { type: 'AWS::Lambda::Function', valid: { Code: {}, Role: 'r' }, text: 'Handler', required: 'Role' },
  { type: 'AWS::Lambda::Permission', valid: { Action: 'lambda:InvokeFunction', FunctionName: 'f', Principal: 'sns.amazonaws.com' }, text: 'SourceArn', required: 'Principal' },
  { type: 'AWS::Lambda::EventSourceMapping', valid: { FunctionName: 'f' }, text: 'EventSourceArn', required: 'FunctionName' },
];

const failure = (detail: string) => `Properties validation failed for resource R with message: ${detail}`;

describe('resource type schemas (CloudFormation registry validation)', () => {
  it.each(cases)('$type: unknown property, wrong type, missing required key', async ({ type, valid, text, required }) => {
    const p = provider(type);
    await expect(p.create(ctx, { ...valid, Extra: 1 })).rejects.toThrow(failure('#: extraneous key [Extra] is not permitted'));
    if (text) {
      await expect(p.create(ctx, { ...valid, [text]: ['x'] })).rejects.toThrow(failure(`#/${text}: expected type: String, found: JSONArray`));
      await expect(p.create(ctx, { ...valid, [text]: { a: 1 } })).rejects.toThrow(failure(`#/${text}: expected type: String, found: JSONObject`));
    }
    if (required) {
      const { [required]: _gone, ...rest } = valid;
      await expect(p.create(ctx, rest)).rejects.toThrow(failure(`#: required key [${required}] not found`));
    }
    // Valid properties pass validation and go on to the provider's own checks or the service (here: the untouchable one).
    await expect(p.create(ctx, valid)).rejects.not.toThrow(/Properties validation failed/);
  });

  it('reports nested members by their JSON pointer', async () => {
    await expect(provider('AWS::S3::Bucket').create(ctx, { VersioningConfiguration: { Status: 'On' } })).rejects.toThrow(
      failure('#/VersioningConfiguration/Status: failed validation constraint for keyword [enum]'),
    );
    await expect(provider('AWS::DynamoDB::Table').create(ctx, { KeySchema: [{ AttributeName: 'pk' }] })).rejects.toThrow(failure('#/KeySchema/0: required key [KeyType] not found'));
    await expect(provider('AWS::S3::BucketPolicy').create(ctx, { Bucket: 'b', PolicyDocument: ['x'] })).rejects.toThrow(failure('#/PolicyDocument: expected type: JSONObject, found: JSONArray'));
    await expect(provider('AWS::Route53::HealthCheck').create(ctx, { HealthCheckConfig: { Type: 'HTTP', Port: [80] } })).rejects.toThrow(
      failure('#/HealthCheckConfig/Port: expected type: Number, found: JSONArray'),
    );
  });
});

describe('CloudFormation scalar conversions', () => {
  const schema = z.strictObject({ S: cfnString().optional(), I: cfnInteger().optional(), N: cfnNumber().optional(), B: cfnBoolean().optional(), E: cfnEnum(['A', 'B']).optional() });
  const check = (props: Record<string, unknown>) => validateProperties(schema, ctx, props);

  it('converts what CloudFormation converts: numbers and booleans to String, numeric strings to numbers, "true"/"false" to Boolean', () => {
    expect(check({ S: 60, I: '60', N: '1.5', B: 'true', E: 'A' })).toEqual({ S: '60', I: 60, N: 1.5, B: true, E: 'A' });
    expect(check({ S: false, B: 'false' })).toEqual({ S: 'false', B: false });
  });

  it('converts nothing else', () => {
    expect(() => check({ B: 'yes' })).toThrow(failure('#/B: expected type: Boolean, found: String'));
    expect(() => check({ B: 1 })).toThrow(failure('#/B: expected type: Boolean, found: Integer'));
    expect(() => check({ I: '1.5' })).toThrow(failure('#/I: expected type: Integer, found: String'));
    expect(() => check({ I: 'sixty' })).toThrow(/#\/I: expected type: Number, found: String/);
    expect(() => check({ S: null })).toThrow(failure('#/S: expected type: String, found: null'));
  });
});
