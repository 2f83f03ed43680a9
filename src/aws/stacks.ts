import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import { sdk } from './sdk.js';

/** The stack, or undefined when it does not exist (never created, or deleted). */
export async function describeStack(cfn: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    const out = await cfn.send(new (sdk('@aws-sdk/client-cloudformation').DescribeStacksCommand)({ StackName: stackName }));
    const stack = out.Stacks?.[0];
    return stack && stack.StackStatus !== 'DELETE_COMPLETE' ? stack : undefined;
  } catch (error) {
    if (isMissingStack(error)) return undefined;
    throw error;
  }
}

// CloudFormation has no NotFound error: a missing stack is a ValidationError saying so.
export function isMissingStack(error: unknown): boolean {
  return (error as { name?: string }).name === 'ValidationError' && /does not exist/.test((error as Error).message);
}

export function stackOutputs(stack: Stack | undefined): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const o of stack?.Outputs ?? []) if (o.OutputKey) outputs[o.OutputKey] = o.OutputValue ?? '';
  return outputs;
}
