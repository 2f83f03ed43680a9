import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeSyncedFile } from '../synced-file.js';
import { endpointFlag, normaliseEndpoint, sameTarget, targetKey, targetLabel, type CloudTarget } from '../aws/target.js';

/**
 * Every injected fault is written here BEFORE it is applied, so `drill restore`
 * can undo it after a crash, a kill -9 or a lost laptop lid. One file per fault target: the cloud
 * (endpoint and account), region and function. A record is only ever applied back to the cloud
 * and account it was taken from.
 */
export interface UnhealthyFault {
  kind: 'unhealthy';
  service: string;
  stage: string;
  region: string;
  functionName: string;
  /** The UNHEALTHY value before injection; null when the variable was not set. */
  previous: string | null;
  appliedAt: string;
  /**
   * Where the fault was applied. Absent only in records written by regionctl before 0.2, which
   * knew the endpoint (below) but not the account.
   */
  target?: CloudTarget;
  /** The endpoint it was applied through (absent: AWS); kept so older regionctl versions can still read the record. */
  endpoint?: string;
}

/** What a local-cloud fault does: `region` is the region taken out / slowed, or the pause's sending side. */
export interface LocalFaultSpec {
  fault: 'region-outage' | 'replication-pause' | 'latency';
  region: string;
  /** replication-pause: the receiving region. */
  to?: string;
  /** latency: milliseconds added to every request to the region. */
  ms?: number;
}

/**
 * A fault set in the local cloud (/_localcloud/faults): restored by lifting exactly that fault.
 * `functionName` holds a file-name-safe label (localcloud-region-outage, ...) so that readers of
 * the journal that only know unhealthy records (status, older regionctl) still list it.
 */
export interface LocalCloudFault extends LocalFaultSpec {
  kind: 'local-fault';
  service: string;
  stage: string;
  functionName: string;
  appliedAt: string;
  target?: CloudTarget;
  endpoint?: string;
}

export type Fault = UnhealthyFault | LocalCloudFault;

export interface JournalEntry {
  id: string;
  fault: Fault;
}

export function drillsDir(cwd: string): string {
  return join(cwd, '.regionctl', 'drills');
}

export function faultId(f: Pick<Fault, 'kind' | 'service' | 'stage' | 'region' | 'functionName'> & { target: CloudTarget }): string {
  return `${f.kind}-${f.service}-${f.stage}-${f.region}-${targetKey(f.target)}-${f.functionName}`;
}

/** A record written before records carried their account: its endpoint is known, its account is not. */
export function isLegacy(fault: Fault): boolean {
  return fault.target === undefined;
}

/** The endpoint a record was applied through, normalised (null: AWS). */
export function faultEndpoint(fault: Fault): string | null {
  return fault.target ? normaliseEndpoint(fault.target.endpoint) : normaliseEndpoint(fault.endpoint);
}

/** True when the record was applied to exactly this cloud and account (legacy records never match). */
export function faultMatches(fault: Fault, target: CloudTarget): boolean {
  return fault.target !== undefined && sameTarget(fault.target, target);
}

/** What `status` and `drill restore` show for a record, with the exact command that undoes it. */
export interface PendingFault {
  id: string;
  service: string;
  stage: string;
  region: string;
  functionName: string;
  appliedAt: string;
  endpoint: string | null;
  /** null for records written before accounts were recorded. */
  account: string | null;
  /** True when the current command's endpoint and account are the ones the fault was applied to. */
  currentTarget: boolean;
  restoreCommand: string;
  note?: string;
}

export function describePending(entry: JournalEntry, current: { target?: CloudTarget; service?: string; stage?: string }): PendingFault {
  const { id, fault } = entry;
  const endpoint = faultEndpoint(fault);
  const account = fault.target?.account ?? null;
  const stageFlag = current.stage !== undefined && current.stage !== fault.stage ? ` --stage ${fault.stage}` : '';
  const notes: string[] = [];
  if (current.service !== undefined && current.service !== fault.service) notes.push(`run it with ${fault.service}'s regionctl.yml`);
  if (endpoint === null && account !== null && current.target?.account !== account) notes.push(`with credentials for AWS account ${account}`);
  if (account === null) notes.push(`recorded by an older regionctl without its account; restore adopts it on ${targetLabel({ endpoint })}`);
  if (fault.kind === 'local-fault') notes.unshift(`local cloud ${fault.fault}${fault.to ? ` to ${fault.to}` : ''}${fault.ms !== undefined ? ` +${fault.ms} ms` : ''}`);
  return {
    id,
    service: fault.service,
    stage: fault.stage,
    region: fault.region,
    functionName: fault.functionName,
    appliedAt: fault.appliedAt,
    endpoint,
    account,
    currentTarget: current.target !== undefined && faultMatches(fault, current.target),
    restoreCommand: `regionctl drill restore --region ${fault.region}${stageFlag}${endpointFlag(endpoint)}`,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

export class Journal {
  /** Files that could not be parsed; never consumed, reported by list(). */
  readonly unreadable: string[] = [];

  constructor(readonly dir: string) {}

  private path(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  /** Durably record a fault (temp file, fsync, rename) before it is applied. */
  record(fault: Fault & { target: CloudTarget }): string {
    mkdirSync(this.dir, { recursive: true });
    const id = faultId(fault);
    const tmp = `${this.path(id)}.${process.pid}.tmp`;
    rmSync(tmp, { force: true }); // a leftover of this pid's earlier crash
    writeSyncedFile(tmp, JSON.stringify(fault, null, 2) + '\n');
    renameSync(tmp, this.path(id));
    return id;
  }

  get(id: string): Fault | undefined {
    const path = this.path(id);
    if (!existsSync(path)) return undefined;
    return JSON.parse(readFileSync(path, 'utf8')) as Fault;
  }

  list(): JournalEntry[] {
    this.unreadable.length = 0;
    if (!existsSync(this.dir)) return [];
    const entries: JournalEntry[] = [];
    for (const f of readdirSync(this.dir).filter((name) => name.endsWith('.json')).sort()) {
      try {
        const fault = JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as Fault;
        if (fault && typeof fault === 'object' && typeof fault.region === 'string' && typeof fault.functionName === 'string') {
          entries.push({ id: f.slice(0, -5), fault });
          continue;
        }
      } catch {
        // fall through: reported, never applied
      }
      this.unreadable.push(join(this.dir, f));
    }
    return entries;
  }

  remove(id: string): void {
    rmSync(this.path(id), { force: true });
  }
}
