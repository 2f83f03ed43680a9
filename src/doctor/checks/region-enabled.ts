import { sdk } from '../../aws/sdk.js';
import { couldNotCheck } from '../errors.js';
import type { CheckContext, Finding } from '../types.js';

export async function checkRegionEnabled(ctx: CheckContext, region: string): Promise<Finding> {
  const check = 'region-enabled';
  let status: string | undefined;
  try {
    status = (await ctx.clients.account().send(new (sdk('@aws-sdk/client-account').GetRegionOptStatusCommand)({ RegionName: region }))).RegionOptStatus;
  } catch (err) {
    return couldNotCheck(region, check, 'whether the region is enabled', err);
  }
  switch (status) {
    case 'ENABLED':
    case 'ENABLED_BY_DEFAULT':
      return { region, check, status: 'pass', message: `region ${status === 'ENABLED' ? 'enabled (opted in)' : 'enabled by default'}` };
    case 'ENABLING':
      return { region, check, status: 'warn', message: 'region is still being enabled; deploys fail until it is ENABLED', fix: `wait, then re-run doctor (aws account get-region-opt-status --region-name ${region})` };
    default:
      return {
        region,
        check,
        status: 'fail',
        message: `region is ${status ?? 'in an unknown state'}: nothing can be deployed there`,
        fix: `enable it (aws account enable-region --region-name ${region}) and wait until it is ENABLED, or remove ${region} from regions in regionctl.yml`,
      };
  }
}
