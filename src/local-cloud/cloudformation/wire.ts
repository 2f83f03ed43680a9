// awsQuery adapter: form parameters (all strings) → each operation's schema (validations.ts) →
// typed domain calls → result objects.

import type { z } from 'zod';
import { notImplemented } from '../aws-error.js';
import type { QueryOp } from '../protocols/query.js';
import { withInput } from '../protocols/validation.js';
import type { CloudRequest } from '../types.js';
import { describeAccountLimits } from './account-limits.js';
import type { CloudFormation, StackInput } from './domain.js';
import { CFN_VALIDATION, cfnInputs } from './validations.js';

type Inputs = typeof cfnInputs;

/** An operation bound to its schema; CloudFormation refuses broken input with ValidationError. */
const op = <S extends z.ZodType>(schema: S, fn: (input: z.output<S>, req: CloudRequest) => Record<string, unknown> | void): QueryOp =>
  withInput(schema, async (input: z.output<S>, req: CloudRequest) => fn(input, req), CFN_VALIDATION);

type StackShaped = z.output<Inputs['CreateStack']> | z.output<Inputs['UpdateStack']> | z.output<Inputs['CreateChangeSet']>;

function stackInput(input: StackShaped, only: Pick<StackInput, 'DisableRollback' | 'OnFailure' | 'Description'> = {}): StackInput {
  return {
    StackName: input.StackName,
    TemplateBody: input.TemplateBody,
    TemplateURL: input.TemplateURL,
    UsePreviousTemplate: input.UsePreviousTemplate,
    Parameters: input.Parameters?.map((p) => ({
      ParameterKey: p.ParameterKey ?? '',
      ParameterValue: p.ParameterValue,
      UsePreviousValue: p.UsePreviousValue,
    })),
    Capabilities: input.Capabilities,
    Tags: input.Tags?.map((t) => ({ Key: t.Key, Value: t.Value })),
    ...only,
  };
}

export function cloudFormationOps(cfn: CloudFormation): Record<string, QueryOp> {
  return {
    CreateStack: op(cfnInputs.CreateStack, (input, req) => cfn.createStack(req.region, stackInput(input, { DisableRollback: input.DisableRollback, OnFailure: input.OnFailure }))),
    UpdateStack: op(cfnInputs.UpdateStack, (input, req) => cfn.updateStack(req.region, stackInput(input, { DisableRollback: input.DisableRollback }))),
    DeleteStack: op(cfnInputs.DeleteStack, (input, req) => cfn.deleteStack(req.region, { StackName: input.StackName })),
    ContinueUpdateRollback: op(cfnInputs.ContinueUpdateRollback, (input, req) => cfn.continueUpdateRollback(req.region, { StackName: input.StackName, ResourcesToSkip: input.ResourcesToSkip })),
    DescribeStacks: op(cfnInputs.DescribeStacks, (input, req) => cfn.describeStacks(req.region, { StackName: input.StackName })),
    ListStacks: op(cfnInputs.ListStacks, (input, req) => cfn.listStacks(req.region, { StackStatusFilter: input.StackStatusFilter })),
    DescribeStackEvents: op(cfnInputs.DescribeStackEvents, (input, req) => cfn.describeStackEvents(req.region, { StackName: input.StackName })),
    DescribeStackResource: op(cfnInputs.DescribeStackResource, (input, req) => cfn.describeStackResource(req.region, { StackName: input.StackName, LogicalResourceId: input.LogicalResourceId })),
    DescribeStackResources: op(cfnInputs.DescribeStackResources, (input, req) => cfn.describeStackResources(req.region, input)),
    ListStackResources: op(cfnInputs.ListStackResources, (input, req) => cfn.listStackResources(req.region, { StackName: input.StackName })),
    GetTemplate: op(cfnInputs.GetTemplate, (input, req) => cfn.getTemplate(req.region, input)),
    ValidateTemplate: op(cfnInputs.ValidateTemplate, (input, req) => cfn.validateTemplate(req.region, input)),
    GetTemplateSummary: op(cfnInputs.GetTemplateSummary, (input, req) => cfn.getTemplateSummary(req.region, input)),
    CreateChangeSet: op(cfnInputs.CreateChangeSet, (input, req) => {
      const type = input.ChangeSetType;
      if (type === 'IMPORT') throw notImplemented('cloudformation', 'CreateChangeSet with ChangeSetType IMPORT');
      return cfn.createChangeSet(req.region, { ...stackInput(input, { Description: input.Description }), ChangeSetName: input.ChangeSetName, ChangeSetType: type });
    }),
    DescribeChangeSet: op(cfnInputs.DescribeChangeSet, (input, req) => cfn.describeChangeSet(req.region, { ChangeSetName: input.ChangeSetName, StackName: input.StackName })),
    ExecuteChangeSet: op(cfnInputs.ExecuteChangeSet, (input, req) => cfn.executeChangeSet(req.region, { ChangeSetName: input.ChangeSetName, StackName: input.StackName, DisableRollback: input.DisableRollback })),
    DeleteChangeSet: op(cfnInputs.DeleteChangeSet, (input, req) => cfn.deleteChangeSet(req.region, { ChangeSetName: input.ChangeSetName, StackName: input.StackName })),
    ListChangeSets: op(cfnInputs.ListChangeSets, (input, req) => cfn.listChangeSets(req.region, { StackName: input.StackName })),
    DescribeAccountLimits: op(cfnInputs.DescribeAccountLimits, () => describeAccountLimits()),
  };
}
