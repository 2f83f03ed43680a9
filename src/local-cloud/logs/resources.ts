// CloudFormation provider for AWS::Logs::LogGroup, with the type's full property set
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-loggroup.html).
// Encryption, data protection, field indexes, bearer tokens and the log group class are accepted as
// AWS accepts them and have no effect on the local cloud's log groups. Deletion protection would
// make deletes fail on AWS; the local cloud does not implement it and refuses it rather than ignore it.

import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { notImplemented } from '../aws-error.js';
import { cfnBoolean, cfnInteger, cfnJson, cfnString, cfnTags } from '../cloudformation/property-types.js';
import { defineResource } from '../cloudformation/resource-properties.js';
import type { ResourceProvider } from '../types.js';
import type { Logs } from './domain.js';

export const logGroupProperties = z.strictObject({
  DataProtectionPolicy: cfnJson().optional(),
  DeletionProtectionEnabled: cfnBoolean().optional(),
  FieldIndexPolicies: z.array(cfnJson()).optional(),
  KmsKeyId: cfnString().optional(),
  LogGroupClass: z.enum(['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY']).optional(),
  LogGroupName: cfnString().optional(),
  ResourcePolicyDocument: cfnJson().optional(),
  RetentionInDays: cfnInteger().optional(),
  Tags: cfnTags().optional(),
  BearerTokenAuthenticationEnabled: cfnBoolean().optional(),
});

export function logsResources(logs: Logs): ResourceProvider[] {
  const logGroup = defineResource({
    type: 'AWS::Logs::LogGroup',
    properties: logGroupProperties,
    replaceOn: ['LogGroupName'],
    async create(ctx, props) {
      if (props.DeletionProtectionEnabled) throw notImplemented('logs', 'AWS::Logs::LogGroup DeletionProtectionEnabled');
      const name = props.LogGroupName ?? `${ctx.stackName}-${ctx.logicalId}-${randomBytes(6).toString('hex').toUpperCase()}`;
      const tags = Object.fromEntries((props.Tags ?? []).map((t) => [t.Key, t.Value]));
      logs.createLogGroup(ctx.region, name, { retentionInDays: props.RetentionInDays, tags });
      return { physicalId: name, attributes: { Arn: logs.arn(ctx.region, name) } };
    },
    async update(ctx, name, props) {
      if (props.DeletionProtectionEnabled) throw notImplemented('logs', 'AWS::Logs::LogGroup DeletionProtectionEnabled');
      const days = props.RetentionInDays;
      if (days === undefined) logs.deleteRetentionPolicy(ctx.region, name);
      else logs.putRetentionPolicy(ctx.region, name, days);
      return { physicalId: name, attributes: { Arn: logs.arn(ctx.region, name) } };
    },
    async delete(ctx, name) {
      if (logs.describeLogGroups(ctx.region, name).some((g) => g.logGroupName === name)) logs.deleteLogGroup(ctx.region, name);
    },
  });
  return [logGroup];
}
