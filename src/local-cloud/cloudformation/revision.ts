// A stack operation's input, and the revision it will run with: template text (body, URL or the
// previous one), parameters, capabilities, resource types, imports and exports, all validated the
// way CloudFormation does before an operation starts (errors are ValidationError, nothing runs).
import type { CloudContext } from '../types.js';
import { evaluateConditions, Resolver, TemplateError } from './intrinsics.js';
import type { StackRecord, Tag, Template } from './model.js';
import { resolveParameters, type ParameterInput } from './parameters.js';
import { plan, resolveEnv, type RunContext, type StackRevision } from './runner.js';
import { readTemplateUrl } from './template-source.js';
import { checkCapabilities, loadTemplate, validationError } from './template.js';

export interface TemplateInput {
  TemplateBody?: string;
  TemplateURL?: string;
  UsePreviousTemplate?: boolean;
}

export interface StackInput extends TemplateInput {
  StackName: string;
  Parameters?: ParameterInput[];
  Capabilities?: string[];
  Tags?: Tag[];
  DisableRollback?: boolean;
  OnFailure?: 'DO_NOTHING' | 'ROLLBACK' | 'DELETE';
  Description?: string;
}

export interface ChangeSetInput extends StackInput {
  ChangeSetName: string;
  ChangeSetType?: 'CREATE' | 'UPDATE';
}

/** The region's exports by name, with the stack that exports each. */
export type Exports = Record<string, { value: string; stack: StackRecord }>;

/** Everything an operation will run with, validated the way CloudFormation does before it starts. */
export function stackRevision(rc: RunContext, exports: () => Exports, stack: StackRecord, input: StackInput): StackRevision {
  let templateBody: string;
  if (input.UsePreviousTemplate) {
    if (!stack.templateBody) throw validationError('UsePreviousTemplate can only be used with an existing stack.');
    templateBody = stack.templateBody;
  } else templateBody = templateText(rc.cloud, rc.region, input);
  const template = loadTemplate(templateBody);
  const parameters = resolveParameters(template, input.Parameters ?? [], stack.parameters);
  const capabilities = input.Capabilities ?? [];
  checkCapabilities(template, capabilities);
  checkResourceTypes(rc, template);
  templateErrors(() => plan(rc, stack, template, parameters, true));
  const imports = templateErrors(() => checkImportsAndExports(rc, exports(), stack, template, parameters));
  return { template, templateBody, parameters, capabilities, tags: input.Tags ?? stack.tags, description: template.Description, imports };
}

/** The template text of an input: exactly one of TemplateBody and TemplateURL. */
export function templateText(cloud: CloudContext, region: string, input: TemplateInput): string {
  if (input.TemplateBody !== undefined && input.TemplateURL !== undefined) throw validationError('Specify exactly one of TemplateBody or TemplateUrl.');
  if (input.TemplateBody !== undefined) return input.TemplateBody;
  if (input.TemplateURL !== undefined) return readTemplateUrl(cloud, region, input.TemplateURL);
  throw validationError('Either Template URL or Template Body must be specified.');
}

/** Run `fn`, answering a template error as the ValidationError CloudFormation returns for it. */
export function templateErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TemplateError) throw validationError(err.message);
    throw err;
  }
}

/**
 * CloudFormation rejects unknown resource types before anything runs ("Unrecognized resource
 * types"). The local cloud cannot tell a type that does not exist from one it does not
 * implement, so both are refused here, up front, with AWS's wording plus which case it may be.
 */
function checkResourceTypes(rc: RunContext, template: Template): void {
  const resources = Object.values<{ Type?: unknown }>(template.Resources ?? {});
  const unknown = [...new Set(resources.map((r) => String(r.Type)))].filter((type) => !rc.provider(type));
  if (unknown.length > 0) {
    throw validationError(`Template format error: Unrecognized resource types: [${unknown.join(', ')}] (not an AWS type, or not implemented by the local cloud)`);
  }
}

// Every Fn::ImportValue must name an existing export; an export name may not be another stack's.
function checkImportsAndExports(rc: RunContext, exports: Exports, stack: StackRecord, template: Template, parameters: Record<string, string>): string[] {
  const env = resolveEnv(rc, stack, template, parameters, true);
  const resolver = new Resolver(env, evaluateConditions(env));
  const imports = [...importArgs(template.Resources), ...importArgs(template.Outputs)].map((arg) => String(resolver.resolve(arg)));
  for (const name of imports) if (!(name in exports)) throw validationError(`No export named ${name} found.`);
  for (const output of Object.values<{ Export?: { Name?: unknown } } | undefined>(template.Outputs ?? {})) {
    if (output?.Export?.Name === undefined) continue;
    const name = String(resolver.resolve(output.Export.Name));
    const owner = exports[name]?.stack;
    if (owner && owner.stackId !== stack.stackId) throw validationError(`Export with name ${name} is already exported by stack ${owner.stackName}`);
  }
  return imports;
}

function importArgs(block: unknown, into: unknown[] = []): unknown[] {
  if (Array.isArray(block)) for (const v of block) importArgs(v, into);
  else if (block && typeof block === 'object') {
    for (const [k, v] of Object.entries(block)) {
      if (k === 'Fn::ImportValue') into.push(v);
      else importArgs(v, into);
    }
  }
  return into;
}
