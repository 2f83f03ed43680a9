import { AwsError } from '../aws-error.js';
import type { Clock } from '../clock.js';
import { isKnownRegion } from '../../regions.js';

export type RegionOptStatus = 'ENABLED' | 'ENABLING' | 'DISABLING' | 'DISABLED' | 'ENABLED_BY_DEFAULT';

// Regions launched after 20 March 2019 must be opted into; the rest are enabled for every account and
// cannot be disabled. The local account starts opted into all of them so a fresh local cloud deploys anywhere.
const OPT_IN_REGIONS = new Set([
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
  'ap-southeast-7', 'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1',
  'me-south-1', 'mx-central-1',
]);

// AWS documents enabling as "a few minutes" (sometimes hours); the local account takes five virtual minutes.
export const TRANSITION_MS = 5 * 60_000;

export interface AccountState {
  /** Opt-in regions the caller changed: target status and when the change was requested (epoch ms). */
  changes: Record<string, { target: 'ENABLED' | 'DISABLED'; at: number }>;
}

/** Region opt-in status of the local account, derived from the clock so transitions survive restarts. */
export class AccountRegions {
  constructor(
    private readonly state: AccountState,
    private readonly clock: Clock,
  ) {}

  status(regionName: unknown): RegionOptStatus {
    const region = this.validRegion(regionName);
    if (!OPT_IN_REGIONS.has(region)) return 'ENABLED_BY_DEFAULT';
    const change = this.state.changes[region];
    if (!change) return 'ENABLED';
    const done = this.clock.now() - change.at >= TRANSITION_MS;
    if (change.target === 'ENABLED') return done ? 'ENABLED' : 'ENABLING';
    return done ? 'DISABLED' : 'DISABLING';
  }

  enable(regionName: unknown): void {
    this.change(regionName, 'ENABLED');
  }

  disable(regionName: unknown): void {
    this.change(regionName, 'DISABLED');
  }

  list(): Array<{ RegionName: string; RegionOptStatus: RegionOptStatus }> {
    return [...OPT_IN_REGIONS].sort().map((r) => ({ RegionName: r, RegionOptStatus: this.status(r) }));
  }

  private change(regionName: unknown, target: 'ENABLED' | 'DISABLED'): void {
    const region = this.validRegion(regionName);
    if (!OPT_IN_REGIONS.has(region)) {
      throw new AwsError('ValidationException', `The region ${region} is enabled by default and cannot be enabled or disabled.`, 400);
    }
    const current = this.status(region);
    // AWS rejects a new request while the previous one is still in flight.
    if (current === 'ENABLING' || current === 'DISABLING') {
      throw new AwsError('ConflictException', `The region ${region} is currently ${current.toLowerCase()}; try again later.`, 409);
    }
    this.state.changes[region] = { target, at: this.clock.now() };
  }

  private validRegion(regionName: unknown): string {
    if (typeof regionName !== 'string' || regionName === '') {
      throw new AwsError('ValidationException', 'Invalid input: RegionName is required.', 400);
    }
    if (!isKnownRegion(regionName) && !OPT_IN_REGIONS.has(regionName)) {
      throw new AwsError('ValidationException', `Invalid Region: ${regionName}`, 400);
    }
    return regionName;
  }
}
