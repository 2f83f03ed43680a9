// Template loading and the checks CloudFormation makes before any resource is touched.

import { z } from 'zod';
import { parseTemplate } from '../../cfn-yaml.js';
import { AwsError } from '../aws-error.js';
import type { OutputDecl, ParameterDecl, ResourceDecl, Template } from './model.js';
import { referencedNames } from './graph.js';
import { PSEUDO_NAMES } from './intrinsics.js';

const TOP_LEVEL = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings',
  'Conditions', 'Transform', 'Resources', 'Outputs',
]);

export const validationError = (message: string): AwsError => new AwsError('ValidationError', message, 400);

// The sections' shapes, with CloudFormation's "Template format error" for each broken rule
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html).
const object = z.record(z.string(), z.unknown());
const text = z.union([z.string(), z.number()]);
const sectionError = (message: string) => ({ error: `Template format error: ${message}` });

const parameterDecl: z.ZodType<ParameterDecl> = z.looseObject({
  Type: z.string(sectionError('Every Parameters object must contain a Type member.')),
  Default: z.unknown().optional(),
  AllowedValues: z.array(z.unknown(), sectionError('Every AllowedValues member must be a list.')).optional(),
  AllowedPattern: z.string(sectionError('Every AllowedPattern member must be a string.')).optional(),
  MinLength: text.optional(),
  MaxLength: text.optional(),
  MinValue: text.optional(),
  MaxValue: text.optional(),
  NoEcho: z.unknown().optional(),
  Description: z.string(sectionError('Every Description member must be a string.')).optional(),
  ConstraintDescription: z.string().optional(),
}, sectionError('Every Parameters object must contain a Type member.'));

const resourceDecl: z.ZodType<ResourceDecl> = z.looseObject({
  Type: z.string(sectionError('Every Resources object must contain a Type member.')),
  Properties: z.record(z.string(), z.unknown(), sectionError('Every Properties member must be an object.')).optional(),
  DependsOn: z.union([z.string(), z.array(z.string())], sectionError('DependsOn must be a string or list of strings.')).optional(),
  Condition: z.string(sectionError('Every Condition member must be a string.')).optional(),
  DeletionPolicy: z.string(sectionError('Every DeletionPolicy member must be a string.')).optional(),
  UpdateReplacePolicy: z.string(sectionError('Every UpdateReplacePolicy member must be a string.')).optional(),
  Metadata: z.unknown().optional(),
  CreationPolicy: z.unknown().optional(),
  UpdatePolicy: z.unknown().optional(),
}, sectionError('Every Resources object must contain a Type member.'));

const outputDecl: z.ZodType<OutputDecl> = z.looseObject({
  Value: z.custom<unknown>((v) => v !== undefined, sectionError('Every Outputs member must contain a Value object')),
  Description: z.string(sectionError('Every Description member must be a string.')).optional(),
  Condition: z.string(sectionError('Every Condition member must be a string.')).optional(),
  Export: z.looseObject({ Name: z.custom<unknown>((v) => v !== undefined, sectionError('Every Export member must contain a Name object')) }).optional(),
});

const section = <T extends z.ZodType>(name: string, value: T) =>
  z.record(z.string(), value, sectionError(`Every ${name} member must be an object.`));

const templateSchema: z.ZodType<Template> = z.looseObject({
  AWSTemplateFormatVersion: z.string(sectionError('AWSTemplateFormatVersion must be a string.')).optional(),
  Description: z.string(sectionError('Every Description member must be a string.')).optional(),
  Metadata: z.unknown().optional(),
  Parameters: section('Parameters', parameterDecl).optional(),
  Rules: z.unknown().optional(),
  Mappings: section('Mappings', z.record(z.string(), object)).optional(),
  Conditions: object.optional(),
  Transform: z.unknown().optional(),
  Resources: section('Resources', resourceDecl),
  Outputs: section('Outputs', outputDecl).optional(),
});

export function loadTemplate(text: string): Template {
  let parsed: unknown;
  try {
    parsed = parseTemplate(text);
  } catch (err) {
    const kind = text.trimStart().startsWith('{') ? 'JSON' : 'YAML';
    throw validationError(`Template format error: ${kind} not well-formed. (${(err as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw validationError('Template format error: JSON not well-formed.');
  }
  const raw = parsed as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((k) => !TOP_LEVEL.has(k));
  if (unknown.length > 0) throw validationError(`Template format error: Invalid template property or properties [${unknown.join(', ')}]`);
  const resources = raw.Resources;
  if (!resources || typeof resources !== 'object' || Object.keys(resources).length === 0) {
    throw validationError('Template format error: At least one Resources member must be defined.');
  }
  for (const id of Object.keys(resources)) {
    if (!/^[A-Za-z0-9]+$/.test(id)) throw validationError(`Template format error: Resource name ${id} is non alphanumeric.`);
  }
  const result = templateSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    // Located as CloudFormation locates it: the section member, e.g. [/Resources/Bucket].
    const where = issue.path.length > 0 ? `[/${issue.path.slice(0, 2).map(String).join('/')}] ` : '';
    const message = issue.message.startsWith('Template format error: ') ? issue.message.slice('Template format error: '.length) : issue.message;
    throw validationError(`Template format error: ${where}${message}`);
  }
  checkStructure(result.data);
  return result.data;
}

function checkStructure(template: Template): void {
  const resources = template.Resources;
  for (const decl of Object.values(resources)) {
    if (decl.Condition !== undefined && !Object.hasOwn(template.Conditions ?? {}, decl.Condition)) {
      throw validationError(`Template format error: Unresolved dependencies [${decl.Condition}]. Cannot reference resources in the Conditions block of the template`);
    }
  }
  const declared = new Set([...Object.keys(resources), ...Object.keys(template.Parameters ?? {}), ...PSEUDO_NAMES]);
  const unresolvedIn = (block: unknown): string[] => [...referencedNames(block)].filter((n) => !declared.has(n));
  const inResources = [...new Set(Object.values(resources).flatMap((r) => [
    ...unresolvedIn(r.Properties),
    ...[r.DependsOn ?? []].flat().filter((d) => !Object.hasOwn(resources, d)),
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
  for (const [id, decl] of Object.entries(template.Resources)) {
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
