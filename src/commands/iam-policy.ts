import type { PolicyDocument } from '../iam-policy/policy.js';
import type { CommandContext } from './context.js';

export type IamPolicyCommandOptions = Record<string, never>;

// Prints the policy document itself on stdout in both modes, so `regionctl iam-policy > policy.json` works.
export async function iamPolicyCommand(ctx: CommandContext, _opts: IamPolicyCommandOptions = {}): Promise<PolicyDocument> {
  const config = await ctx.loadConfig();
  const { buildIamPolicy } = await import('../iam-policy/policy.js');
  const { bundledResourceTypes } = await import('../iam-policy/template-types.js');
  const policy = buildIamPolicy({ service: config.service, stage: config.stage }, bundledResourceTypes());
  ctx.io.result(`${JSON.stringify(policy, null, 2)}\n`, policy);
  return policy;
}
