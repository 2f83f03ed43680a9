import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every injected fault is written here BEFORE it is applied (DESIGN.md §3), so `drill restore`
 * can undo it after a crash, a kill -9 or a lost laptop lid. One file per fault target.
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
  /** The endpoint it was applied through (absent: AWS), so restore talks to the same cloud. */
  endpoint?: string;
}

export type Fault = UnhealthyFault;

export function drillsDir(cwd: string): string {
  return join(cwd, '.regionctl', 'drills');
}

export function faultId(f: Pick<Fault, 'kind' | 'service' | 'stage' | 'region'>): string {
  return `${f.kind}-${f.service}-${f.stage}-${f.region}`;
}

export class Journal {
  constructor(readonly dir: string) {}

  private path(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  /** Durably record a fault (temp file, fsync, rename) before it is applied. */
  record(fault: Fault): string {
    mkdirSync(this.dir, { recursive: true });
    const id = faultId(fault);
    const tmp = `${this.path(id)}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(fault, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path(id));
    return id;
  }

  get(id: string): Fault | undefined {
    const path = this.path(id);
    if (!existsSync(path)) return undefined;
    return JSON.parse(readFileSync(path, 'utf8')) as Fault;
  }

  list(): Array<{ id: string; fault: Fault }> {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => ({ id: f.slice(0, -5), fault: JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as Fault }));
  }

  remove(id: string): void {
    rmSync(this.path(id), { force: true });
  }
}
