// CloudFormation's per-operation input constraints, checked at the wire before the domain runs. The
// constraints are each operation's Request Parameters in the API reference
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html and its
// siblings; Tag: API_Tag.html, Parameter: API_Parameter.html); CloudFormation refuses a broken one
// with ValidationError, "1 validation error detected: Value 'a_b' at 'stackName' failed to satisfy
// constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*".
import { z } from 'zod';
import { STACK_STATUSES } from './stack-status.js';
import { awsEnum, awsInput, awsString, queryBoolean, queryInteger, queryList } from '../protocols/validation.js';

export const CFN_VALIDATION = 'ValidationError';

const NAME = '[a-zA-Z][-a-zA-Z0-9]*';
const anchored = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`);

/** CreateStack's StackName: a new name, never an ARN. */
const NEW_STACK_NAME = awsString({ pattern: [anchored(NAME), NAME], min: 1, max: 128 });
/** Every other StackName: the name or the stack's ARN. */
const STACK = `${NAME}|arn:[-a-zA-Z0-9:/._+]*`;
const STACK_NAME_OR_ID = awsString({ pattern: [anchored(STACK), STACK], min: 1 });
const CHANGE_SET_NAME = awsString({ pattern: [anchored(NAME), NAME], min: 1, max: 128 });
const CHANGE_SET = `${NAME}|arn:[-a-zA-Z0-9:/]*`;
const CHANGE_SET_NAME_OR_ID = awsString({ pattern: [anchored(CHANGE_SET), CHANGE_SET], min: 1, max: 1600 });
const TOKEN = '[a-zA-Z0-9][-a-zA-Z0-9]*';
const CLIENT_REQUEST_TOKEN = awsString({ pattern: [anchored(TOKEN), TOKEN], min: 1, max: 128 });
const NEXT_TOKEN = awsString({ min: 1, max: 1024 });

const template = {
  TemplateBody: awsString({ min: 1 }).optional(),
  TemplateURL: awsString({ min: 1, max: 5120 }).optional(),
};

const parameter = awsInput({
  ParameterKey: z.string().optional(),
  ParameterValue: z.string().optional(),
  UsePreviousValue: queryBoolean().optional(),
  ResolvedValue: z.string().optional(),
});
const tag = awsInput({ Key: awsString({ min: 1, max: 128 }), Value: awsString({ min: 1, max: 256 }) });
const CAPABILITIES = queryList(awsEnum(['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND']));

/** What CreateStack, UpdateStack and CreateChangeSet share. */
const stackInput = {
  ...template,
  UsePreviousTemplate: queryBoolean().optional(),
  Parameters: queryList(parameter).optional(),
  Capabilities: CAPABILITIES.optional(),
  ResourceTypes: queryList(awsString({ min: 1, max: 256 })).optional(),
  RoleARN: awsString({ min: 20, max: 2048 }).optional(),
  NotificationARNs: queryList(z.string(), { max: 5 }).optional(),
  Tags: queryList(tag, { max: 50 }).optional(),
  ClientRequestToken: CLIENT_REQUEST_TOKEN.optional(),
  RollbackConfiguration: z.unknown().optional(),
};


export const cfnInputs = {
  CreateStack: awsInput({
    StackName: NEW_STACK_NAME,
    ...stackInput,
    DisableRollback: queryBoolean().optional(),
    TimeoutInMinutes: queryInteger({ min: 1 }).optional(),
    OnFailure: awsEnum(['DO_NOTHING', 'ROLLBACK', 'DELETE']).optional(),
    StackPolicyBody: awsString({ min: 1, max: 16384 }).optional(),
    StackPolicyURL: awsString({ min: 1, max: 1350 }).optional(),
    EnableTerminationProtection: queryBoolean().optional(),
    RetainExceptOnCreate: queryBoolean().optional(),
  }),
  UpdateStack: awsInput({
    StackName: STACK_NAME_OR_ID,
    ...stackInput,
    DisableRollback: queryBoolean().optional(),
    StackPolicyBody: awsString({ min: 1, max: 16384 }).optional(),
    StackPolicyURL: awsString({ min: 1, max: 1350 }).optional(),
    RetainExceptOnCreate: queryBoolean().optional(),
  }),
  DeleteStack: awsInput({
    StackName: STACK_NAME_OR_ID,
    RetainResources: queryList(z.string()).optional(),
    RoleARN: awsString({ min: 20, max: 2048 }).optional(),
    ClientRequestToken: CLIENT_REQUEST_TOKEN.optional(),
    DeletionMode: awsEnum(['STANDARD', 'FORCE_DELETE_STACK']).optional(),
  }),
  ContinueUpdateRollback: awsInput({
    StackName: STACK_NAME_OR_ID,
    RoleARN: awsString({ min: 20, max: 2048 }).optional(),
    ResourcesToSkip: queryList(z.string()).optional(),
    ClientRequestToken: CLIENT_REQUEST_TOKEN.optional(),
  }),
  DescribeStacks: awsInput({ StackName: STACK_NAME_OR_ID.optional(), NextToken: NEXT_TOKEN.optional() }),
  ListStacks: awsInput({ StackStatusFilter: queryList(awsEnum(STACK_STATUSES as [string, ...string[]])).optional(), NextToken: NEXT_TOKEN.optional() }),
  DescribeStackEvents: awsInput({ StackName: STACK_NAME_OR_ID, NextToken: NEXT_TOKEN.optional() }),
  DescribeStackResource: awsInput({ StackName: STACK_NAME_OR_ID, LogicalResourceId: awsString() }),
  DescribeStackResources: awsInput({ StackName: STACK_NAME_OR_ID.optional(), LogicalResourceId: z.string().optional(), PhysicalResourceId: z.string().optional() }),
  ListStackResources: awsInput({ StackName: STACK_NAME_OR_ID, NextToken: NEXT_TOKEN.optional() }),
  GetTemplate: awsInput({ StackName: STACK_NAME_OR_ID.optional(), ChangeSetName: CHANGE_SET_NAME_OR_ID.optional(), TemplateStage: awsEnum(['Original', 'Processed']).optional() }),
  ValidateTemplate: awsInput({ ...template }),
  GetTemplateSummary: awsInput({ ...template, StackName: awsString({ min: 1 }).optional(), StackSetName: z.string().optional(), CallAs: z.string().optional() }),
  CreateChangeSet: awsInput({
    StackName: STACK_NAME_OR_ID,
    ChangeSetName: CHANGE_SET_NAME,
    ChangeSetType: awsEnum(['CREATE', 'UPDATE', 'IMPORT']).optional(),
    Description: awsString({ min: 1, max: 1024 }).optional(),
    ClientToken: awsString({ min: 1, max: 128 }).optional(),
    IncludeNestedStacks: queryBoolean().optional(),
    OnStackFailure: awsEnum(['DO_NOTHING', 'ROLLBACK', 'DELETE']).optional(),
    ImportExistingResources: queryBoolean().optional(),
    ...stackInput,
  }),
  DescribeChangeSet: awsInput({ ChangeSetName: CHANGE_SET_NAME_OR_ID, StackName: STACK_NAME_OR_ID.optional(), NextToken: NEXT_TOKEN.optional() }),
  ExecuteChangeSet: awsInput({
    ChangeSetName: CHANGE_SET_NAME_OR_ID,
    StackName: STACK_NAME_OR_ID.optional(),
    ClientRequestToken: CLIENT_REQUEST_TOKEN.optional(),
    DisableRollback: queryBoolean().optional(),
    RetainExceptOnCreate: queryBoolean().optional(),
  }),
  DeleteChangeSet: awsInput({ ChangeSetName: CHANGE_SET_NAME_OR_ID, StackName: STACK_NAME_OR_ID.optional() }),
  ListChangeSets: awsInput({ StackName: STACK_NAME_OR_ID, NextToken: NEXT_TOKEN.optional() }),
  DescribeAccountLimits: awsInput({ NextToken: NEXT_TOKEN.optional() }),
};
