import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { codeDirectory } from '../../../src/local-cloud/lambda/code-dir.js';

// Regression: in a project whose package.json says "type": "module" (found in a fresh clone of
// regionctl itself), extracted CommonJS bundles were loaded as ES modules and every handler was
// "undefined or not exported". Lambda treats .js as CommonJS unless the package says otherwise.
const project = mkdtempSync(join(tmpdir(), 'regionctl-esm-project-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('codeDirectory', () => {
  it('loads a CommonJS handler even when the surrounding project is "type": "module"', () => {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
    const workDir = join(project, '.regionctl', 'local', 'data', 'work');
    mkdirSync(workDir, { recursive: true });
    const zip = Buffer.from(zipSync({ 'index.js': strToU8('exports.handler = async () => "cjs ok";\n') }));
    const dir = codeDirectory(workDir, 'abc123', () => zip);
    const mod = createRequire(join(dir, 'index.js'))(join(dir, 'index.js'));
    expect(typeof mod.handler).toBe('function');
  });

  it('still honours a package that declares itself an ES module', async () => {
    const workDir = join(project, 'work2');
    mkdirSync(workDir, { recursive: true });
    const zip = Buffer.from(
      zipSync({ 'package.json': strToU8('{"type":"module"}'), 'index.js': strToU8('export const handler = async () => "esm ok";\n') }),
    );
    const dir = codeDirectory(workDir, 'def456', () => zip);
    const mod = await import(join(dir, 'index.js'));
    expect(await mod.handler()).toBe('esm ok');
  });
});
