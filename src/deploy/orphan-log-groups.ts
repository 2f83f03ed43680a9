import { DeleteLogGroupCommand, DescribeLogGroupsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Change } from '@aws-sdk/client-cloudformation';
import type { Io } from '../io/types.js';

export interface OrphanLogGroupOptions {
  logs: CloudWatchLogsClient;
  region: string;
  stackName: string;
  templateBody: string;
  parameters: Record<string, string>;
  /** The change set about to run: only log groups it adds can collide with a leftover. */
  changes: Change[];
  io: Io;
}

/**
 * A template that declares `/aws/lambda/<fn>` for its own function fails to create it when the
 * group already exists — which happens after a destroy while invocations were still running
 * (Lambda recreates the group if the role may), or after an older version let Lambda create it.
 * Such a group belongs to no stack: the change set is about to add it, and the function it logs
 * for is declared by this very template, so nothing else can own it. Delete it (its leftover
 * lines with it), say so, and let the stack create it with its retention. Returns the names deleted.
 */
export async function removeOrphanLogGroups(opts: OrphanLogGroupOptions): Promise<string[]> {
  const template = parse(opts.templateBody);
  if (!template) return [];
  const resources: Record<string, { Type?: string; Properties?: Record<string, unknown> }> = template.Resources ?? {};
  const added = new Set(opts.changes.filter((c) => c.ResourceChange?.Action === 'Add' && c.ResourceChange.ResourceType === 'AWS::Logs::LogGroup').map((c) => c.ResourceChange!.LogicalResourceId));
  if (added.size === 0) return [];
  const values = parameterValues(template, opts.parameters, opts.region, opts.stackName);
  const functions = new Set(
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => resolve(r.Properties?.FunctionName, values))
      .filter((n): n is string => n !== undefined),
  );
  const deleted: string[] = [];
  for (const [logicalId, r] of Object.entries(resources)) {
    if (!added.has(logicalId) || r.Type !== 'AWS::Logs::LogGroup') continue;
    const name = resolve(r.Properties?.LogGroupName, values);
    if (!name?.startsWith('/aws/lambda/') || !functions.has(name.slice('/aws/lambda/'.length))) continue;
    const found = await opts.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    if (!(found.logGroups ?? []).some((g: { logGroupName?: string }) => g.logGroupName === name)) continue;
    opts.io.emit({
      kind: 'warn',
      region: opts.region,
      message: `${opts.stackName}: log group ${name} already exists outside the stack (left by the function after an earlier delete); deleting it so the stack can create it`,
    });
    await opts.logs.send(new DeleteLogGroupCommand({ logGroupName: name })).catch((error: { name?: string }) => {
      if (error.name !== 'ResourceNotFoundException') throw error;
    });
    deleted.push(name);
  }
  return deleted;
}

function parse(body: string): { Parameters?: Record<string, { Default?: unknown }>; Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> } | undefined {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function parameterValues(template: NonNullable<ReturnType<typeof parse>>, given: Record<string, string>, region: string, stackName: string): Map<string, string> {
  const values = new Map<string, string>([
    ['AWS::Region', region],
    ['AWS::StackName', stackName],
    ['AWS::Partition', region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws'],
  ]);
  for (const [key, decl] of Object.entries(template.Parameters ?? {})) {
    const value = given[key] ?? (decl.Default === undefined ? undefined : String(decl.Default));
    if (value !== undefined) values.set(key, value);
  }
  return values;
}

// A literal, or Fn::Sub over parameters and pseudo parameters; anything else is not resolved here.
function resolve(value: unknown, values: Map<string, string>): string | undefined {
  if (typeof value === 'string') return value;
  const sub = (value as { 'Fn::Sub'?: unknown } | undefined)?.['Fn::Sub'];
  if (typeof sub !== 'string') return undefined;
  let unresolved = false;
  const out = sub.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
    const v = values.get(name);
    if (v === undefined) unresolved = true;
    return v ?? '';
  });
  return unresolved ? undefined : out.replace(/\$\{!/g, '${');
}
