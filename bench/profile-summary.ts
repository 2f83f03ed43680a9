// Summarise V8 CPU profiles (node --cpu-prof) into Markdown: total sampled time, self time by
// package/module, and the top functions by self time. The .cpuprofile files are large; the
// summaries are what bench/profiles/ keeps.
//   node --import tsx bench/profile-summary.ts <file.cpuprofile> [more...] > summary.md
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Where a script URL belongs: an npm package, a regionctl source folder, or node itself. */
export function ownerOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  if (url.startsWith('node:')) return 'node: internals';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = /\/(dist|src)\/(.*)$/.exec(url);
  if (m) {
    const parts = m[2].split('/');
    return `regionctl ${parts.slice(0, Math.min(2, parts.length - 1)).join('/') || parts[0]}`;
  }
  return url.replace(/^file:\/\//, '');
}

/** `fromMs`: only samples taken at least that long after the profile started (e.g. skip a deploy to see the idle daemon). */
export function summarise(profile: Profile, top = 25, fromMs = 0): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= fromMs * 1000) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  let idle = 0;
  for (const [id, us] of self) if (byId.get(id)!.callFrame.functionName === '(idle)') idle += us;
  const byOwner = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    byOwner.set(ownerOf(f.url), (byOwner.get(ownerOf(f.url)) ?? 0) + us);
    const key = `${f.functionName || '(anonymous)'} — ${f.url ? `${f.url.replace(/^.*\/(node_modules|dist|src)\//, '$1/')}:${f.lineNumber + 1}` : '(native)'}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  const ms = (us: number) => (us / 1000).toFixed(1);
  const pct = (us: number) => ((100 * us) / (total || 1)).toFixed(1);
  const rows = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `| ${k.replace(/\|/g, '\\|')} | ${ms(us)} | ${pct(us)}% |`)
      .join('\n');
  return [
    `sampled ${ms(total)} ms over ${ms(profile.endTime - profile.startTime - fromMs * 1000)} ms wall${fromMs ? ` (from ${fromMs / 1000} s after start)` : ''}; busy (not idle) ${ms(total - idle)} ms = ${pct(total - idle)}%`,
    '',
    '| self time by package / module | ms | share |',
    '|---|---|---|',
    rows(byOwner, 15),
    '',
    `| top ${top} functions by self time | ms | share |`,
    '|---|---|---|',
    rows(byFn, top),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // --from-seconds N: leave out the first N seconds of every profile.
  const args = process.argv.slice(2);
  const from = args.indexOf('--from-seconds');
  const fromMs = from >= 0 ? Number(args.splice(from, 2)[1]) * 1000 : 0;
  for (const file of args) {
    console.log(`### ${basename(file)}\n\n${summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, 25, fromMs)}\n`);
  }
}
