// Every provider outside the S3/Route 53/CloudWatch/SNS/API Gateway/DynamoDB/Lambda folders declares
// its type's property set: a wrong type, an unknown key and a missing required key each fail the way
// CloudFormation's registry words it, and scalars are coerced as CloudFormation coerces them.
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { certificateProperties } from '../../../src/local-cloud/acm/resources.js';
import { validateProperties } from '../../../src/local-cloud/cloudformation/resource-properties.js';
import { distributionProperties } from '../../../src/local-cloud/cloudfront/resources.js';
import { ruleProperties } from '../../../src/local-cloud/events/resources.js';
import { managedPolicyProperties, policyProperties, roleProperties } from '../../../src/local-cloud/iam/resources.js';
import { logGroupProperties } from '../../../src/local-cloud/logs/resources.js';

const ctx = { logicalId: 'Thing' };
const failure = (schema: z.ZodType, props: Record<string, unknown>): string => {
  try {
    validateProperties(schema, ctx, props);
  } catch (err) {
    return (err as Error).message.replace('Properties validation failed for resource Thing with message: ', '');
  }
  throw new Error('expected a validation failure');
};

const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
const origin = { Id: 'o', DomainName: 'origin.example.com', CustomOriginConfig: { OriginProtocolPolicy: 'https-only' } };
const behavior = { TargetOriginId: 'o', ViewerProtocolPolicy: 'redirect-to-https' };

describe('resource schemas (CloudFormation registry validation)', () => {
  it('AWS::IAM::Role', () => {
    expect(failure(roleProperties, { RoleName: 'r' })).toBe('#: required key [AssumeRolePolicyDocument] not found');
    expect(failure(roleProperties, { AssumeRolePolicyDocument: doc, RoleName: ['r'] })).toBe('#/RoleName: expected type: String, found: JSONArray');
    expect(failure(roleProperties, { AssumeRolePolicyDocument: doc, Policy: [] })).toBe('#: extraneous key [Policy] is not permitted');
    expect(failure(roleProperties, { AssumeRolePolicyDocument: doc, Policies: [{ PolicyDocument: doc }] })).toBe('#/Policies/0: required key [PolicyName] not found');
    // Scalars as CloudFormation coerces them: "7200" is the Integer 7200, a number tag value its text.
    expect(validateProperties(roleProperties, ctx, { AssumeRolePolicyDocument: JSON.stringify(doc), MaxSessionDuration: '7200', Tags: [{ Key: 'n', Value: 1 }] })).toMatchObject({ MaxSessionDuration: 7200, Tags: [{ Key: 'n', Value: '1' }] });
  });

  it('AWS::IAM::Policy and AWS::IAM::ManagedPolicy', () => {
    expect(failure(policyProperties, { PolicyDocument: doc, Roles: ['r'] })).toBe('#: required key [PolicyName] not found');
    expect(failure(policyProperties, { PolicyDocument: doc, PolicyName: 'p', Roles: 'r' })).toBe('#/Roles: expected type: JSONArray, found: String');
    expect(failure(policyProperties, { PolicyDocument: doc, PolicyName: 'p', Role: ['r'] })).toBe('#: extraneous key [Role] is not permitted');
    expect(failure(managedPolicyProperties, { Roles: ['r'] })).toBe('#: required key [PolicyDocument] not found');
    expect(failure(managedPolicyProperties, { PolicyDocument: 7 })).toBe('#/PolicyDocument: expected type: JSONObject, found: Integer');
    expect(failure(managedPolicyProperties, { PolicyDocument: doc, Name: 'x' })).toBe('#: extraneous key [Name] is not permitted');
  });

  it('AWS::Events::Rule', () => {
    expect(failure(ruleProperties, { Targets: [{ Id: 'a' }] })).toBe('#/Targets/0: required key [Arn] not found');
    expect(failure(ruleProperties, { State: 'ON' })).toBe('#/State: failed validation constraint for keyword [enum]');
    expect(failure(ruleProperties, { ScheduleExpression: 'rate(1 minute)', Target: [] })).toBe('#: extraneous key [Target] is not permitted');
    expect(failure(ruleProperties, { Targets: { Id: 'a', Arn: 'x' } })).toBe('#/Targets: expected type: JSONArray, found: JSONObject');
    expect(validateProperties(ruleProperties, ctx, { EventPattern: { source: ['x'] }, Targets: [{ Id: 1, Arn: 'arn' }] })).toMatchObject({ Targets: [{ Id: '1', Arn: 'arn' }] });
  });

  it('AWS::Logs::LogGroup', () => {
    expect(failure(logGroupProperties, { RetentionInDays: [7] })).toBe('#/RetentionInDays: expected type: Number, found: JSONArray');
    expect(failure(logGroupProperties, { LogGroupName: 'g', Retention: 7 })).toBe('#: extraneous key [Retention] is not permitted');
    expect(failure(logGroupProperties, { Tags: [{ Key: 'k' }] })).toBe('#/Tags/0: required key [Value] not found');
    expect(validateProperties(logGroupProperties, ctx, { RetentionInDays: '30', DeletionProtectionEnabled: 'false' })).toEqual({ RetentionInDays: 30, DeletionProtectionEnabled: false });
  });

  it('AWS::CertificateManager::Certificate', () => {
    expect(failure(certificateProperties, { ValidationMethod: 'DNS' })).toBe('#: required key [DomainName] not found');
    expect(failure(certificateProperties, { DomainName: 'a.example.com', DomainValidationOptions: [{ HostedZoneId: 'Z1' }] })).toBe('#/DomainValidationOptions/0: required key [DomainName] not found');
    expect(failure(certificateProperties, { DomainName: 'a.example.com', ValidationMethod: 'PHONE' })).toBe('#/ValidationMethod: failed validation constraint for keyword [enum]');
    expect(failure(certificateProperties, { DomainName: 'a.example.com', Domain: 'x' })).toBe('#: extraneous key [Domain] is not permitted');
  });

  it('AWS::CloudFront::Distribution', () => {
    const config = { Enabled: true, Origins: [origin], DefaultCacheBehavior: behavior };
    expect(failure(distributionProperties, {})).toBe('#: required key [DistributionConfig] not found');
    expect(failure(distributionProperties, { DistributionConfig: { Origins: [origin], DefaultCacheBehavior: behavior } })).toBe('#/DistributionConfig: required key [Enabled] not found');
    expect(failure(distributionProperties, { DistributionConfig: { ...config, DefaultCacheBehavior: { ...behavior, Ttl: 1 } } })).toBe('#/DistributionConfig/DefaultCacheBehavior: extraneous key [Ttl] is not permitted');
    expect(failure(distributionProperties, { DistributionConfig: { ...config, Aliases: 'www.example.com' } })).toBe('#/DistributionConfig/Aliases: expected type: JSONArray, found: String');
    expect(validateProperties(distributionProperties, ctx, { DistributionConfig: { ...config, Enabled: 'true', Origins: [{ ...origin, ConnectionAttempts: '3' }] } })).toMatchObject({
      DistributionConfig: { Enabled: true, Origins: [{ ConnectionAttempts: 3 }] },
    });
  });
});
