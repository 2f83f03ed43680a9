// Template loading and the checks CloudFormation makes before any resource is touched.

import { parseTemplate } from '../../cfn-yaml.js';
import { AwsError } from '../aws-error.js';
import type { Template } from './model.js';
import { referencedNames } from './graph.js';
import { PSEUDO_NAMES } from './intrinsics.js';

const TOP_LEVEL = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings',
  'Conditions', 'Transform', 'Resources', 'Outputs',
]);

export const validationError = (message: string): AwsError => new AwsError('ValidationError', message, 400);

export function loadTemplate(text: string): Template {
  let template: Template;
  try {
    template = parseTemplate(text);
  } catch (err) {
    const kind = text.trimStart().startsWith('{') ? 'JSON' : 'YAML';
    throw validationError(`Template format error: ${kind} not well-formed. (${(err as Error).message})`);
  }
  if (template === null || typeof template !== 'object' || Array.isArray(template)) {
    throw validationError('Template format error: JSON not well-formed.');
  }
  checkStructure(template);
  return template;
}

function checkStructure(template: Template): void {
  const unknown = Object.keys(template).filter((k) => !TOP_LEVEL.has(k));
  if (unknown.length > 0) throw validationError(`Template format error: Invalid template property or properties [${unknown.join(', ')}]`);
  const resources = template.Resources;
  if (!resources || typeof resources !== 'object' || Object.keys(resources).length === 0) {
    throw validationError('Template format error: At least one Resources member must be defined.');
  }
  for (const [id, decl] of Object.entries<any>(resources)) {
    if (!/^[A-Za-z0-9]+$/.test(id)) throw validationError(`Template format error: Resource name ${id} is non alphanumeric.`);
    if (!decl || typeof decl !== 'object' || typeof decl.Type !== 'string') {
      throw validationError(`Template format error: [/Resources/${id}] Every Resources object must contain a Type member.`);
    }
    if (decl.Condition !== undefined && !(decl.Condition in (template.Conditions ?? {}))) {
      throw validationError(`Template format error: Unresolved dependencies [${decl.Condition}]. Cannot reference resources in the Conditions block of the template`);
    }
  }
  const declared = new Set([...Object.keys(resources), ...Object.keys(template.Parameters ?? {}), ...PSEUDO_NAMES]);
  const unresolvedIn = (block: unknown): string[] => [...referencedNames(block)].filter((n) => !declared.has(n));
  const inResources = [...new Set(Object.values<any>(resources).flatMap((r) => [
    ...unresolvedIn(r.Properties),
    ...[r.DependsOn ?? []].flat().filter((d: string) => !Object.hasOwn(resources, d)),
  ]))];
  if (inResources.length > 0) {
    throw validationError(`Template format error: Unresolved resource dependencies [${inResources.join(', ')}] in the Resources block of the template`);
  }
  const inOutputs = unresolvedIn(template.Outputs ?? {});
  if (inOutputs.length > 0) {
    throw validationError(`Template format error: Unresolved resource dependencies [${inOutputs.join(', ')}] in the Outputs block of the template`);
  }
}

const IAM_TYPES: Record<string, string | undefined> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::Policy': undefined,
  'AWS::IAM::AccessKey': undefined,
  'AWS::IAM::UserToGroupAddition': undefined,
};

/** The capability a template needs (IAM resources; NAMED_IAM when they carry custom names). */
export function requiredCapability(template: Template): { capability?: string; reason?: string } {
  let needed: string | undefined;
  const names: string[] = [];
  for (const [id, decl] of Object.entries<any>(template.Resources ?? {})) {
    if (!Object.hasOwn(IAM_TYPES, decl.Type)) continue;
    names.push(id);
    const nameProp = IAM_TYPES[decl.Type];
    if (nameProp && decl.Properties?.[nameProp] !== undefined) needed = 'CAPABILITY_NAMED_IAM';
    else needed ??= 'CAPABILITY_IAM';
  }
  if (!needed) return {};
  return { capability: needed, reason: `The following resource(s) require capabilities: [${[...new Set(names.map((n) => template.Resources[n].Type))].join(', ')}]` };
}

export function checkCapabilities(template: Template, given: string[]): void {
  const { capability } = requiredCapability(template);
  if (!capability) return;
  const ok = capability === 'CAPABILITY_IAM'
    ? given.includes('CAPABILITY_IAM') || given.includes('CAPABILITY_NAMED_IAM')
    : given.includes('CAPABILITY_NAMED_IAM');
  if (!ok) throw new AwsError('InsufficientCapabilitiesException', `Requires capabilities : [${capability}]`, 400);
}
