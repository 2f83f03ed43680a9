import { UsageError } from '../errors.js';
import type { PolicyDocument } from '../iam-policy/policy.js';
import type { CommandContext } from './context.js';
import type { IamPolicyOptions as IamPolicyCommandOptions } from './options.js';

// Prints the policy document itself on stdout in both modes, so `regionctl iam-policy > policy.json` works.
export async function iamPolicyCommand(ctx: CommandContext, opts: IamPolicyCommandOptions = {}): Promise<PolicyDocument | PolicyDocument[]> {
  const hostedZoneId = opts.hostedZoneId?.replace(/^\/hostedzone\//, '');
  if (hostedZoneId !== undefined && !/^Z[A-Z0-9]{1,31}$/.test(hostedZoneId)) {
    throw new UsageError('BadHostedZoneId', `--hosted-zone-id must be a Route 53 zone id such as Z0123456789ABCDEFGHIJ (got "${opts.hostedZoneId}")`);
  }
  const config = await ctx.loadConfig();
  const { buildBoundaryPolicy, buildIamPolicy, MANAGED_POLICY_MAX_CHARS, policySize, splitPolicy } = await import('../iam-policy/policy.js');
  const { boundaryArn, policyTarget } = await import('../iam-policy/target.js');
  const target = policyTarget(config, { hostedZoneId });
  if (!config.permissionsBoundary) {
    ctx.io.emit({
      kind: 'warn',
      message:
        `regionctl.yml sets no permissionsBoundary: this policy creates roles only with the boundary ${boundaryArn(target)}. ` +
        'Create it from `regionctl iam-policy --boundary` and set permissionsBoundary to its ARN.',
    });
  }
  const document = opts.boundary ? buildBoundaryPolicy(target) : buildIamPolicy(target);
  if (opts.split) {
    const parts = splitPolicy(document);
    ctx.io.result(`${JSON.stringify(parts, null, 2)}\n`, parts);
    return parts;
  }
  const size = policySize(document);
  if (size > MANAGED_POLICY_MAX_CHARS) {
    // A role's inline policies may total 10,240 characters; a managed policy 6,144.
    const inline = size <= 10_240 ? 'attach it to the deploying role as an inline policy, or ' : '';
    ctx.io.emit({
      kind: 'warn',
      message: `the policy has ${size} characters, more than the ${MANAGED_POLICY_MAX_CHARS} IAM allows in one managed policy: ${inline}print it with --split as several managed policies.`,
    });
  }
  ctx.io.result(`${JSON.stringify(document, null, 2)}\n`, document);
  return document;
}
