import type { ResolvedConfig } from '../config/schema.js';
import type { CloudTarget } from '../aws/target.js';
import { RegionctlError } from '../errors.js';
import type { Io } from '../io/types.js';
import { regionStatus, type StatusClients, type StatusReport } from '../observe/region-status.js';
import { faultEndpoint, faultMatches, isLegacy, type Journal } from './journal.js';

export class DrillRefused extends RegionctlError {
  constructor(message: string, hint?: string) {
    super('DrillRefused', message, 1, { hint });
  }
}

export interface GuardOptions {
  config: ResolvedConfig;
  clients: StatusClients;
  journal: Journal;
  target: CloudTarget;
  io: Io;
  dnsPort?: number;
}

/**
 * "Never take down the last healthy region", asked afresh: the regions' status now,
 * minus every region with a fault still journaled against this cloud (its check may not answer 503
 * yet, but it is broken on purpose). Run under the stage lock right before an injection, so no
 * other regionctl can break a region between this check and the fault.
 */
export async function guardInjection(opts: GuardOptions & { region: string; requireHealthy: boolean }): Promise<StatusReport> {
  const { config, region } = opts;
  const status = await regionStatus({ config: opts.config, clients: opts.clients, io: opts.io, dnsPort: opts.dnsPort });
  const faulted = new Set(
    opts.journal
      .list()
      .filter(({ fault }) => fault.service === config.service && fault.stage === config.stage)
      // A replication pause or added latency leaves the region serving; an outage does not.
      .filter(({ fault }) => fault.kind !== 'local-fault' || fault.fault === 'region-outage')
      .filter(({ fault }) => faultMatches(fault, opts.target) || (isLegacy(fault) && faultEndpoint(fault) === opts.target.endpoint))
      .map(({ fault }) => fault.region),
  );
  const mine = status.regions.find((r) => r.region === region);
  if (opts.requireHealthy && (!mine?.healthy || faulted.has(region))) {
    const why = faulted.has(region) ? 'a journaled fault is still in place' : (mine?.reasons ?? []).join('; ') || 'its status could not be read';
    throw new DrillRefused(`${region} is not healthy now (${why}); a failover drill needs it healthy first`, 'run `regionctl status` and fix or restore the region first');
  }
  const others = status.regions.filter((r) => r.region !== region && r.healthy && !faulted.has(r.region)).map((r) => r.region);
  if (others.length < config.minHealthyRegions) {
    throw new DrillRefused(
      `breaking ${region} would leave ${others.length} healthy region(s)${others.length ? ` (${others.join(', ')})` : ''}, fewer than minHealthyRegions (${config.minHealthyRegions})`,
      'never take down the last healthy region: restore or fix the other regions, deploy more regions, or lower minHealthyRegions',
    );
  }
  return status;
}
