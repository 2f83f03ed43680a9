// The wire-shaped views of CloudFormation records: what Describe*/List* answer, field by field as
// the API names them (epoch ms become ISO dates). Pure functions of the persisted records.
import type { ResourceRecord, StackRecord, Template } from './model.js';
import { declaredParameters, displayParameters } from './parameters.js';
import { requiredCapability } from './template.js';

export const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

/** DescribeStacks' Stack. */
export function stackView(s: StackRecord): Record<string, unknown> {
  return {
    StackId: s.stackId,
    StackName: s.stackName,
    ChangeSetId: s.changeSets.find((c) => c.executionStatus.startsWith('EXECUTE'))?.changeSetId,
    Description: s.description,
    Parameters: displayParameters(s.template, s.parameters),
    CreationTime: iso(s.createdAt),
    LastUpdatedTime: iso(s.updatedAt),
    DeletionTime: iso(s.deletedAt),
    StackStatus: s.status,
    StackStatusReason: s.statusReason,
    DisableRollback: s.disableRollback,
    Capabilities: s.capabilities,
    Outputs: s.outputs,
    Tags: s.tags,
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

/** ListStacks' StackSummary. */
export function stackSummary(s: StackRecord): Record<string, unknown> {
  return {
    StackId: s.stackId,
    StackName: s.stackName,
    TemplateDescription: s.description,
    CreationTime: iso(s.createdAt),
    LastUpdatedTime: iso(s.updatedAt),
    DeletionTime: iso(s.deletedAt),
    StackStatus: s.status,
    StackStatusReason: s.statusReason,
  };
}

/** DescribeStackEvents' StackEvents, newest first. */
export function stackEventsView(stack: StackRecord): Array<Record<string, unknown>> {
  return [...stack.events].reverse().map((e) => ({ ...e, Timestamp: iso(e.Timestamp) }));
}

/** DescribeStackResources' StackResource. */
export function stackResourceView(stack: StackRecord, r: ResourceRecord): Record<string, unknown> {
  return {
    StackName: stack.stackName,
    StackId: stack.stackId,
    LogicalResourceId: r.logicalId,
    PhysicalResourceId: r.physicalId,
    ResourceType: r.type,
    Timestamp: iso(r.updatedAt),
    ResourceStatus: r.status,
    ResourceStatusReason: r.statusReason,
  };
}

/** DescribeStackResource's StackResourceDetail. */
export function stackResourceDetail(stack: StackRecord, r: ResourceRecord): Record<string, unknown> {
  return {
    StackName: stack.stackName,
    StackId: stack.stackId,
    LogicalResourceId: r.logicalId,
    PhysicalResourceId: r.physicalId,
    ResourceType: r.type,
    LastUpdatedTimestamp: iso(r.updatedAt),
    ResourceStatus: r.status,
    ResourceStatusReason: r.statusReason,
    Metadata: JSON.stringify(stack.template.Resources?.[r.logicalId]?.Metadata ?? {}),
  };
}

/** ListStackResources' StackResourceSummary. */
export function stackResourceSummary(r: ResourceRecord): Record<string, unknown> {
  return {
    LogicalResourceId: r.logicalId,
    PhysicalResourceId: r.physicalId,
    ResourceType: r.type,
    LastUpdatedTimestamp: iso(r.updatedAt),
    ResourceStatus: r.status,
    ResourceStatusReason: r.statusReason,
  };
}

/** ValidateTemplate's answer. */
export function validateTemplateView(template: Template): Record<string, unknown> {
  const { capability, reason } = requiredCapability(template);
  return {
    Parameters: declaredParameters(template).map((p) => ({ ParameterKey: p.ParameterKey, DefaultValue: p.DefaultValue, NoEcho: p.NoEcho, Description: p.Description })),
    Description: template.Description,
    Capabilities: capability ? [capability] : [],
    CapabilitiesReason: reason,
  };
}

/** GetTemplateSummary's answer. */
export function templateSummaryView(template: Template): Record<string, unknown> {
  const { capability, reason } = requiredCapability(template);
  return {
    Parameters: declaredParameters(template),
    Description: template.Description,
    Capabilities: capability ? [capability] : [],
    CapabilitiesReason: reason,
    ResourceTypes: [...new Set(Object.values<{ Type?: unknown }>(template.Resources).map((r) => r.Type))],
    Version: template.AWSTemplateFormatVersion,
    Metadata: template.Metadata === undefined ? undefined : JSON.stringify(template.Metadata),
  };
}
