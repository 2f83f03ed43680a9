import { RegionctlError } from '../../errors.js';
import type { CheckContext, Finding } from '../types.js';

// verifyCredentials already turns rejected keys and unreachable endpoints into messages that say what to do.
export async function checkCredentials(ctx: CheckContext, region: string): Promise<Finding> {
  try {
    const who = await ctx.clients.verifyCredentials(region);
    return { region, check: 'credentials', status: 'pass', message: `account ${who.account} as ${who.arn}` };
  } catch (err) {
    const message = String((err as Error)?.message ?? err);
    const hint = err instanceof RegionctlError ? err.hint : undefined;
    return {
      region,
      check: 'credentials',
      status: 'fail',
      message: `credentials rejected or endpoint unreachable: ${message}`,
      fix: hint ?? 'configure credentials (aws configure, or --profile NAME / AWS_PROFILE) and check the endpoint',
    };
  }
}
