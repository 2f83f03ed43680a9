// awsQuery adapter: form parameters (all strings) → typed domain calls → result objects.

import type { QueryOp } from '../protocols/query.js';
import { describeAccountLimits } from './account-limits.js';
import type { CloudFormation, ChangeSetInput, StackInput } from './domain.js';

const bool = (v: unknown): boolean | undefined => (v === undefined ? undefined : String(v).toLowerCase() === 'true');
// An empty list arrives as "Name=" (empty string), a populated one as an array.
const list = <T>(v: unknown): T[] | undefined => (Array.isArray(v) ? (v as T[]) : v === undefined ? undefined : []);

function stackInput(input: Record<string, any>): StackInput {
  return {
    StackName: input.StackName,
    TemplateBody: input.TemplateBody,
    TemplateURL: input.TemplateURL,
    UsePreviousTemplate: bool(input.UsePreviousTemplate),
    Parameters: list<Record<string, string>>(input.Parameters)?.map((p) => ({
      ParameterKey: p.ParameterKey,
      ParameterValue: p.ParameterValue,
      UsePreviousValue: bool(p.UsePreviousValue),
    })),
    Capabilities: list<string>(input.Capabilities),
    Tags: list<{ Key: string; Value: string }>(input.Tags)?.map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
    DisableRollback: bool(input.DisableRollback),
    OnFailure: input.OnFailure,
    Description: input.Description,
  };
}

export function cloudFormationOps(cfn: CloudFormation): Record<string, QueryOp> {
  return {
    CreateStack: async (input, req) => cfn.createStack(req.region, stackInput(input)),
    UpdateStack: async (input, req) => cfn.updateStack(req.region, stackInput(input)),
    DeleteStack: async (input, req) => cfn.deleteStack(req.region, { StackName: input.StackName }),
    ContinueUpdateRollback: async (input, req) => cfn.continueUpdateRollback(req.region, { StackName: input.StackName, ResourcesToSkip: list<string>(input.ResourcesToSkip) }),
    DescribeStacks: async (input, req) => cfn.describeStacks(req.region, { StackName: input.StackName }),
    ListStacks: async (input, req) => cfn.listStacks(req.region, { StackStatusFilter: list<string>(input.StackStatusFilter) }),
    DescribeStackEvents: async (input, req) => cfn.describeStackEvents(req.region, { StackName: input.StackName }),
    DescribeStackResource: async (input, req) => cfn.describeStackResource(req.region, { StackName: input.StackName, LogicalResourceId: input.LogicalResourceId }),
    DescribeStackResources: async (input, req) => cfn.describeStackResources(req.region, input),
    ListStackResources: async (input, req) => cfn.listStackResources(req.region, { StackName: input.StackName }),
    GetTemplate: async (input, req) => cfn.getTemplate(req.region, input),
    ValidateTemplate: async (input, req) => cfn.validateTemplate(req.region, input),
    GetTemplateSummary: async (input, req) => cfn.getTemplateSummary(req.region, input),
    CreateChangeSet: async (input, req) => {
      const changeSet: ChangeSetInput = { ...stackInput(input), ChangeSetName: input.ChangeSetName, ChangeSetType: input.ChangeSetType };
      return cfn.createChangeSet(req.region, changeSet);
    },
    DescribeChangeSet: async (input, req) => cfn.describeChangeSet(req.region, { ChangeSetName: input.ChangeSetName, StackName: input.StackName }),
    ExecuteChangeSet: async (input, req) => cfn.executeChangeSet(req.region, { ChangeSetName: input.ChangeSetName, StackName: input.StackName, DisableRollback: bool(input.DisableRollback) }),
    DeleteChangeSet: async (input, req) => cfn.deleteChangeSet(req.region, { ChangeSetName: input.ChangeSetName, StackName: input.StackName }),
    ListChangeSets: async (input, req) => cfn.listChangeSets(req.region, { StackName: input.StackName }),
    DescribeAccountLimits: async () => describeAccountLimits(),
  };
}
