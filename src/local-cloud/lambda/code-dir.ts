import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';

// The node_modules directory holding regionctl's own @aws-sdk packages: AWS's nodejs runtimes
// ship SDK v3, so bundles leave @aws-sdk/* external and the local runtime must provide it too.
function hostNodeModules(): string {
  const pkg = createRequire(import.meta.url).resolve('@aws-sdk/client-dynamodb/package.json');
  let dir = dirname(pkg);
  while (!dir.endsWith(`${sep}node_modules`)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find node_modules above ${pkg}`);
    dir = parent;
  }
  return dir;
}

/**
 * Extract a deployment package once per code hash (hex) under workDir/lambda/<sha>/ and make
 * `@aws-sdk/*` resolvable from it. Extraction goes to a temp dir renamed into place, so a crash
 * mid-way never leaves a half-written directory that later looks complete.
 */
export function codeDirectory(workDir: string, sha: string, zip: () => Buffer): string {
  const dir = join(workDir, 'lambda', sha);
  // A package boundary above every code directory: as in Lambda, a .js file is CommonJS unless the
  // deployment package itself says "type": "module". Without it, Node would inherit the type of
  // whatever project the local cloud's state lives in (a user's "type": "module" package.json).
  const boundary = join(workDir, 'lambda', 'package.json');
  if (!existsSync(boundary)) {
    mkdirSync(dirname(boundary), { recursive: true });
    writeFileSync(boundary, '{ "type": "commonjs" }\n');
  }
  if (existsSync(join(dir, '.complete'))) return dir;
  // Also one level up, for packages that bring their own node_modules without the SDK.
  const shared = join(workDir, 'lambda', 'node_modules');
  mkdirSync(dirname(shared), { recursive: true });
  if (!existsSync(shared)) symlinkSync(hostNodeModules(), shared, 'dir');
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  const files = unzipSync(new Uint8Array(zip()));
  for (const [name, data] of Object.entries(files)) {
    const target = resolve(tmp, name);
    if (!target.startsWith(tmp + sep)) continue; // zip-slip: ignore entries escaping the root
    if (name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
  if (!existsSync(join(tmp, 'node_modules'))) symlinkSync(hostNodeModules(), join(tmp, 'node_modules'), 'dir');
  writeFileSync(join(tmp, '.complete'), '');
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}
