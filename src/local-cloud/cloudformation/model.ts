// The CloudFormation engine's persisted state: plain JSON (epoch ms, arrays, records), one
// document for every region, so a restarted local cloud sees the same stacks.

/** A template as loadTemplate checked it (template.ts): the sections the engine reads, typed. */
export interface Template {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Metadata?: unknown;
  Parameters?: Record<string, ParameterDecl>;
  Rules?: unknown;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Transform?: unknown;
  Resources: Record<string, ResourceDecl>;
  Outputs?: Record<string, OutputDecl>;
}

export interface ResourceDecl {
  Type: string;
  /** Unresolved: intrinsics are resolved by the runner, the result validated by the type's schema. */
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: unknown;
  CreationPolicy?: unknown;
  UpdatePolicy?: unknown;
}

/** A parameter declaration; scalars may be written as numbers or strings (CloudFormation reads them as text). */
export interface ParameterDecl {
  Type: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  MinLength?: string | number;
  MaxLength?: string | number;
  MinValue?: string | number;
  MaxValue?: string | number;
  NoEcho?: unknown;
  Description?: string;
  ConstraintDescription?: string;
}

export interface OutputDecl {
  Value: unknown;
  Description?: string;
  Condition?: string;
  Export?: { Name: unknown };
}

export interface ResourceRecord {
  logicalId: string;
  type: string;
  physicalId?: string;
  status: string;
  statusReason?: string;
  /** Properties as last applied, with every intrinsic resolved. */
  props: Record<string, unknown>;
  attributes: Record<string, unknown>;
  updatedAt: number;
  deletionPolicy?: string;
}

export interface StackEvent {
  EventId: string;
  StackName: string;
  StackId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Timestamp: number;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  ResourceProperties?: string;
}

export interface StackOutput {
  OutputKey: string;
  OutputValue: string;
  Description?: string;
  ExportName?: string;
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface ResourceChange {
  Action: 'Add' | 'Modify' | 'Remove';
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Replacement?: 'True' | 'False' | 'Conditional';
  Scope: string[];
  Details: Array<{ Target: { Attribute: string; Name?: string; RequiresRecreation: string }; Evaluation: string; ChangeSource: string }>;
}

export interface ChangeSetRecord {
  changeSetId: string;
  changeSetName: string;
  type: 'CREATE' | 'UPDATE';
  status: string;
  statusReason?: string;
  executionStatus: string;
  createdAt: number;
  description?: string;
  templateBody: string;
  template: Template;
  parameters: Record<string, string>;
  capabilities: string[];
  tags: Tag[];
  imports: string[];
  changes: ResourceChange[];
}

export interface StackRecord {
  stackId: string;
  stackName: string;
  status: string;
  statusReason?: string;
  createdAt: number;
  updatedAt?: number;
  deletedAt?: number;
  description?: string;
  templateBody: string;
  template: Template;
  /** Resolved parameter values, by key (lists kept as their comma-joined text). */
  parameters: Record<string, string>;
  capabilities: string[];
  tags: Tag[];
  outputs: StackOutput[];
  resources: Record<string, ResourceRecord>;
  events: StackEvent[];
  changeSets: ChangeSetRecord[];
  disableRollback: boolean;
  /** Export names this stack imports with Fn::ImportValue. */
  imports: string[];
  /** What an update rollback that ended UPDATE_ROLLBACK_FAILED still has to do (ContinueUpdateRollback). */
  pendingRollback?: PendingRollback;
}

export interface StackRevision {
  template: Template;
  templateBody: string;
  parameters: Record<string, string>;
  capabilities: string[];
  tags: Tag[];
  description?: string;
  /** Export names the template imports (an export in use cannot be deleted). */
  imports: string[];
}

/** The stack as it was before the failed update, and the in-place restores that have not succeeded yet. */
export interface PendingRollback {
  before: StackRevision & { outputs: StackOutput[] };
  /** Template of the failed update: the dependency order for deleting its replacements. */
  nextTemplate: Template;
  /** Resources to restore in place to `previous` (logical id → record before the update). */
  restores: Array<{ id: string; previous: ResourceRecord }>;
  /** Replacement resources the failed update created, deleted once the rollback completes. */
  replacements: ResourceRecord[];
}

export interface RegionState {
  stacks: StackRecord[];
}

export interface CloudFormationState {
  regions: Record<string, RegionState>;
}

export const IN_PROGRESS = /_IN_PROGRESS$/;
