import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// Issue 8: the layers of DESIGN.md §2 are lint rules. These lint made-up files, placed virtually in
// the tree, with the boundary rules of the project's own eslint.config.js (without the type-aware
// rules, which need the file on disk; `npm run lint` runs everything on the real tree).

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const config = (await import(pathToFileURL(path.join(root, 'eslint.config.js')).href)) as { default: Linter.Config[]; boundaries: Linter.Config[] };
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser as Linter.Parser } }, ...config.boundaries],
});

async function problems(file: string, code: string): Promise<Array<{ ruleId: string | null; message: string }>> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}

describe('layer boundaries (eslint.config.js)', () => {
  it('are part of the configuration `npm run lint` uses', () => {
    for (const entry of config.boundaries) expect(config.default).toContain(entry);
  });

  it('the local cloud may not import a command, statically or with import()', async () => {
    expect(await problems('src/local-cloud/x.ts', "import { deployCommand } from '../commands/deploy.js';\nexport const x = deployCommand;\n")).toEqual([
      { ruleId: 'no-restricted-imports', message: expect.stringContaining('layer rule (DESIGN.md §2): the local cloud must not import commands') },
    ]);
    expect(await problems('src/local-cloud/s3/x.ts', "export const x = () => import('../../commands/deploy.js');\n")).toEqual([
      { ruleId: 'no-restricted-syntax', message: expect.stringContaining('the local cloud must not import') },
    ]);
    expect(await problems('src/local-cloud/s3/x.ts', "export { x } from '../../cli.js';\n")).toHaveLength(1);
    for (const other of ['../../deploy/deploy.js', '../../stage/plan.js', '../../aws/provider.js', '../../config/load.js', '../../io/table.js']) {
      expect(await problems('src/local-cloud/route53/x.ts', `import type { X } from '${other}';\nexport type Y = X;\n`), other).toHaveLength(1);
    }
  });

  it('a feature may not import a command or the CLI', async () => {
    for (const feature of ['deploy', 'drill', 'observe', 'routing', 'doctor', 'iam-policy', 'gameday', 'replication']) {
      expect(await problems(`src/${feature}/x.ts`, "import { withStageLock } from '../commands/stage-lock.js';\nexport const x = withStageLock;\n"), feature).toEqual([
        { ruleId: 'no-restricted-imports', message: expect.stringContaining(`the ${feature} feature must not import commands`) },
      ]);
    }
    expect(await problems('src/doctor/checks/x.ts', "export const run = async () => (await import('../../cli.js')).run;\n")).toHaveLength(1);
  });

  it('the stage model and aws/config/io sit below the features; the kernel below them all', async () => {
    expect(await problems('src/stage/x.ts', "import { deploy } from '../deploy/deploy.js';\nexport const x = deploy;\n")).toHaveLength(1);
    expect(await problems('src/aws/x.ts', "import { planStage } from '../stage/plan.js';\nexport const x = planStage;\n")).toHaveLength(1);
    expect(await problems('src/regions.ts', "import { x } from './config/load.js';\nexport const y = x;\n")).toHaveLength(1);
    expect(await problems('src/lambdas/check/x.ts', "import { x } from '../../errors.js';\nexport const y = x;\n")).toHaveLength(1);
  });

  it('allows what the layers allow, and tells a sibling folder from a layer of the same name', async () => {
    const allowed: Array<[string, string]> = [
      ['src/commands/x.ts', "import { deploy } from '../deploy/deploy.js';\nimport { x } from '../local-cloud/daemon.js';\nexport const y = [deploy, x];\n"],
      ['src/cli.ts', "export const x = () => import('./commands/deploy.js');\n"],
      ['src/drill/x.ts', "import { planStage } from '../stage/plan.js';\nimport { x } from '../aws/provider.js';\nimport { RegionctlError } from '../errors.js';\nexport const y = [planStage, x, RegionctlError];\n"],
      ['src/local-cloud/s3/x.ts', "import { REGIONS } from '../../regions.js';\nimport { ManualClock } from '../clock.js';\nexport const y = [REGIONS, ManualClock];\n"],
      // src/local-cloud/dynamodb/x.ts → src/local-cloud/replication.ts and src/local-cloud/dynamodb/deploy.ts, not the features.
      ['src/local-cloud/dynamodb/x.ts', "import { a } from '../replication.js';\nimport { b } from './deploy.js';\nexport const y = [a, b];\n"],
    ];
    for (const [file, code] of allowed) expect(await problems(file, code), file).toEqual([]);
  });
});
