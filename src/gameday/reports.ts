import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GamedayJournal } from './journal.js';

// The reports of one run, written from its journal alone. PLACEHOLDER: writes journal.json only;
// the report renderers (report.md, report.html, junit.xml) replace this body (helper gd-report).
export async function writeReports(dir: string, journal: GamedayJournal): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'journal.json');
  writeFileSync(file, `${JSON.stringify(journal, null, 2)}\n`);
  return [file];
}
