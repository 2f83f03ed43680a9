import { RegionctlError } from '../errors.js';
import type { CloudTarget } from '../aws/target.js';
import type { Io } from '../io/types.js';
import { faultId, faultMatches, type Journal, type LocalCloudFault, type LocalFaultSpec } from './journal.js';

// The local cloud's own faults (a whole region out, a replication pause, added latency), applied
// through its /_localcloud/faults endpoint and journaled first like every other injected fault, so
// `drill restore` lifts them after a crash or a kill -9 of the command that set them.

/** The local cloud's fault switches (POST /_localcloud/faults replaces them all, so changes merge). */
export interface FaultControl {
  get(): Promise<Record<string, unknown>>;
  set(state: Record<string, unknown>): Promise<void>;
}

export function localFaults(endpoint: string): FaultControl {
  const url = `${endpoint.replace(/\/$/, '')}/_localcloud/faults`;
  const call = async (init?: RequestInit): Promise<Record<string, unknown>> => {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status === 404) throw new RegionctlError('NotLocalCloud', `${endpoint} is not the local cloud (no /_localcloud/faults): faults can only be injected there`, 2);
    if (!res.ok) throw new RegionctlError('FaultRejected', `the local cloud refused the fault: ${String(body.message ?? res.status)}`);
    return body;
  };
  return {
    get: () => call(),
    set: async (state) => {
      await call({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(state) });
    },
  };
}

/** The fault's key in the local cloud's `until` map ("outage:R", "pause:A>B", "latency:R"). */
export function localFaultKey(spec: LocalFaultSpec): string {
  return spec.fault === 'region-outage' ? `outage:${spec.region}` : spec.fault === 'replication-pause' ? `pause:${spec.region}>${spec.to}` : `latency:${spec.region}`;
}

/** The record's file-name-safe name (in the place of the function name of an unhealthy fault). */
export function localFaultSlug(spec: LocalFaultSpec): string {
  return `localcloud-${spec.fault}${spec.fault === 'replication-pause' ? `-to-${spec.to}` : ''}`;
}

/** One line for people: "region-outage us-west-2", "replication-pause us-east-1 → us-west-2", "latency eu-west-1 +200 ms". */
export function describeLocalFault(spec: LocalFaultSpec): string {
  if (spec.fault === 'region-outage') return `region-outage ${spec.region}`;
  if (spec.fault === 'replication-pause') return `replication-pause ${spec.region} → ${spec.to}`;
  return `latency ${spec.region} +${spec.ms} ms`;
}

type State = { regionOutages?: string[]; latencyMs?: Record<string, number>; replicationPaused?: string[]; until?: Record<string, string> } & Record<string, unknown>;

/** The state with the fault added (and its end, when it has one). */
function withFault(state: State, spec: LocalFaultSpec, expiresInMs?: number): Record<string, unknown> {
  const next: Record<string, unknown> = { ...state };
  if (spec.fault === 'region-outage') next.regionOutages = [...new Set([...(state.regionOutages ?? []), spec.region])];
  if (spec.fault === 'replication-pause') next.replicationPaused = [...new Set([...(state.replicationPaused ?? []), `${spec.region}>${spec.to}`])];
  if (spec.fault === 'latency') next.latencyMs = { ...(state.latencyMs ?? {}), [spec.region]: spec.ms ?? 0 };
  const until = { ...(state.until ?? {}) };
  delete until[localFaultKey(spec)];
  next.until = until;
  if (expiresInMs !== undefined) next.expiresInMs = { [localFaultKey(spec)]: expiresInMs };
  return next;
}

/** The state with the fault removed (other faults, and their ends, kept). */
function withoutFault(state: State, spec: LocalFaultSpec): Record<string, unknown> {
  const next: Record<string, unknown> = { ...state };
  if (spec.fault === 'region-outage') next.regionOutages = (state.regionOutages ?? []).filter((r) => r !== spec.region);
  if (spec.fault === 'replication-pause') next.replicationPaused = (state.replicationPaused ?? []).filter((p) => p !== `${spec.region}>${spec.to}`);
  if (spec.fault === 'latency') {
    const latency = { ...(state.latencyMs ?? {}) };
    delete latency[spec.region];
    next.latencyMs = latency;
  }
  const until = { ...(state.until ?? {}) };
  delete until[localFaultKey(spec)];
  next.until = until;
  return next;
}

export interface LocalFaultOptions {
  journal: Journal;
  /** The local cloud the faults go to (its endpoint) and its account. */
  target: CloudTarget;
  /** Whose fault it is: `drill restore` for this service/stage lifts it. */
  service: string;
  stage: string;
  control: FaultControl;
  io: Io;
  /** Cloud time, for the record's appliedAt. */
  now: () => number;
}

/** Journal the fault, then apply it. Returns the journal id. */
export async function injectLocalFault(opts: LocalFaultOptions, spec: LocalFaultSpec, expiresInMs?: number): Promise<string> {
  const fault: LocalCloudFault & { target: CloudTarget } = {
    kind: 'local-fault',
    ...spec,
    service: opts.service,
    stage: opts.stage,
    functionName: localFaultSlug(spec),
    appliedAt: new Date(opts.now()).toISOString(),
    target: opts.target,
    ...(opts.target.endpoint ? { endpoint: opts.target.endpoint } : {}),
  };
  const id = opts.journal.record(fault);
  await opts.control.set(withFault((await opts.control.get()) as State, spec, expiresInMs));
  opts.io.emit({ kind: 'info', region: spec.region, message: `local cloud: ${describeLocalFault(spec)}${expiresInMs ? ` for ${Math.round(expiresInMs / 1000)} s` : ''} (journaled as ${id})` });
  return id;
}

/** Lift one fault in the local cloud (leaving the others), then drop its journal entry. */
export async function liftLocalFault(opts: Pick<LocalFaultOptions, 'journal' | 'control' | 'io'>, id: string, spec: LocalFaultSpec): Promise<void> {
  await opts.control.set(withoutFault((await opts.control.get()) as State, spec));
  opts.journal.remove(id);
  opts.io.emit({ kind: 'success', region: spec.region, message: `local cloud: lifted ${describeLocalFault(spec)}` });
}

/** The journal id a local fault gets (the same fault twice is one record). */
export function localFaultId(opts: Pick<LocalFaultOptions, 'service' | 'stage' | 'target'>, spec: LocalFaultSpec): string {
  return faultId({ kind: 'local-fault', service: opts.service, stage: opts.stage, region: spec.region, functionName: localFaultSlug(spec), target: opts.target });
}

/** Every journaled local fault of this target (any service/stage), e.g. for `local fault clear`. */
export function journaledLocalFaults(journal: Journal, target: CloudTarget): Array<{ id: string; fault: LocalCloudFault }> {
  return journal
    .list()
    .filter((e): e is { id: string; fault: LocalCloudFault } => e.fault.kind === 'local-fault' && faultMatches(e.fault, target));
}
