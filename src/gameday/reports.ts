import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './html.js';
import type { GamedayJournal } from './journal.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

// Writes the four reports of one game-day run into `dir`. Each file is written to a temporary name
// and renamed, so a crash or Ctrl-C mid-write leaves either the old report or the new one, never a
// half file that `gameday history` would then call unreadable.

export const REPORT_FILES = { journal: 'journal.json', markdown: 'report.md', html: 'report.html', junit: 'junit.xml' } as const;

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

/** journal.json, report.md, report.html and junit.xml in `dir` (created); returns the paths written. */
export async function writeReports(dir: string, journal: GamedayJournal): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: Array<[string, string]> = [
    [REPORT_FILES.journal, `${JSON.stringify(journal, null, 2)}\n`],
    [REPORT_FILES.markdown, renderMarkdown(journal)],
    [REPORT_FILES.html, renderHtml(journal)],
    [REPORT_FILES.junit, renderJunit(journal)],
  ];
  const written: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    await writeAtomic(path, text);
    written.push(path);
  }
  return written;
}
