import type { ResolvedConfig } from '../config/schema.js';
import type { LocalFaultSpec } from '../drill/journal.js';
import { describeLocalFault } from '../drill/local-faults.js';
import type { LoadedGameday } from './load.js';
import { describeProbe } from './observe.js';
import { stepKind, type Probe, type Step } from './schema.js';

// What a game day will do, in words: one line per step (the terminal, the journal's `detail`) and
// the plan `gameday run --dry-run` prints. Nothing here touches a cloud.

/** One line for people: what a step does. */
export function describeStep(step: Step): string {
  switch (stepKind(step)) {
    case 'deploy':
      return 'deploy the stage to every region';
    case 'status':
      return 'read the status of every region';
    case 'wait':
      return `wait ${(step as { wait: string }).wait}`;
    case 'drill': {
      const s = step as Extract<Step, { drill: string }>;
      if (s.drill === 'replication') return `drill replication${s.duringPause ? ` during a pause ${s.duringPause.from} → ${s.duringPause.to}` : ''}${s.samples ? ` (${s.samples} samples per region)` : ''}`;
      if (s.drill === 'restore') return `drill restore ${s.region ?? 'every region'}`;
      return `drill ${s.drill} ${s.region}`;
    }
    case 'fault': {
      const s = step as Extract<Step, { fault: string }>;
      return `fault ${describeLocalFault(faultSpec(s))}${s.duration ? ` for ${s.duration}` : ''}`;
    }
    case 'assert':
      return `assert ${describeProbe((step as { assert: Probe }).assert)}`;
  }
}

export function faultSpec(s: Extract<Step, { fault: string }>): LocalFaultSpec {
  if (s.fault === 'replication-pause') return { fault: 'replication-pause', region: s.from!, to: s.to! };
  if (s.fault === 'latency') return { fault: 'latency', region: s.region!, ms: s.ms! };
  return { fault: 'region-outage', region: s.region! };
}

/** The plan --dry-run prints: every check and step in order, with its line. */
export function planLines(loaded: LoadedGameday, config: Pick<ResolvedConfig, 'service' | 'stage' | 'regions'>): string[] {
  const g = loaded.gameday;
  const lines = [`game day "${g.name}" on ${config.service}/${config.stage} in ${config.regions.join(', ')}${g.description ? `: ${g.description}` : ''}`];
  const objectives = Object.entries(g.objectives).map(([k, v]) => `${k} ${String(v)}`);
  lines.push(`objectives: ${objectives.length ? objectives.join(', ') : 'none'}`);
  const stops = [
    g.stopConditions.minHealthyRegions !== undefined ? `fewer than ${g.stopConditions.minHealthyRegions} healthy region(s)` : '',
    g.stopConditions.alarm ? `alarm ${[g.stopConditions.alarm].flat().join(' or ')} in ALARM` : '',
    g.stopConditions.deadline ? `longer than ${g.stopConditions.deadline}` : '',
  ].filter(Boolean);
  lines.push(`stop when: ${stops.length ? stops.join('; ') : 'only on Ctrl-C'} (checked every ${g.stopConditions.every})`);
  lines.push(`steady state (before and after): ${g.steadyState.map(describeProbe).join('; ') || 'none'}`);
  g.steps.forEach((s, i) => lines.push(`  ${i + 1}. ${loaded.display}:${loaded.stepLines[i] ?? '?'} ${s.name ? `${s.name}: ` : ''}${describeStep(s)}${s.deadline ? ` (deadline ${s.deadline})` : ''}`));
  lines.push(`rollbacks (${g.rollbacks.strategy})${g.rollbacks.steps.length ? ':' : ': none besides the restore of every journaled fault'}`);
  g.rollbacks.steps.forEach((s, i) => lines.push(`  r${i + 1}. ${loaded.display}:${loaded.rollbackLines[i] ?? '?'} ${s.name ? `${s.name}: ` : ''}${describeStep(s)}`));
  lines.push('then: restore every fault the run journaled; steady state again; objectives judged');
  return lines;
}
