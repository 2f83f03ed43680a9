import { readFileSync } from 'node:fs';

let cached: string | undefined;

// Read from package.json at runtime (src/ and dist/ sit at the same depth) so --version never
// imports anything heavier than node:fs.
export function packageVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    cached = pkg.version;
  }
  return cached;
}
