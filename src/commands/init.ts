import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE, loadConfig } from '../config/load.js';
import { DEMO_REGIONS } from '../config/schema.js';
import { renderConfigTemplate, serviceNameFrom } from '../config/template.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';
import type { InitOptions } from './options.js';

export interface InitResult {
  file: string;
  overwritten: boolean;
  service: string;
  regions: string[];
}

// Writes a commented regionctl.yml and proves it loads, so the first command after init cannot fail on it.
export async function initCommand(ctx: CommandContext, opts: InitOptions): Promise<InitResult> {
  const file = path.resolve(ctx.cwd, ctx.global.config ?? CONFIG_FILE);
  const service = serviceNameFrom(path.basename(ctx.cwd));
  const regions = ctx.global.regions ?? DEMO_REGIONS;
  const text = renderConfigTemplate({ service, stage: ctx.global.stage, regions });
  let overwritten = false;
  try {
    await writeFile(file, text, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (!opts.force) {
      throw new UsageError('ConfigExists', `${path.relative(ctx.cwd, file) || file} already exists`, 2, {
        hint: 'pass --force to overwrite it',
      });
    }
    await writeFile(file, text);
    overwritten = true;
  }
  const config = await loadConfig({ cwd: ctx.cwd, file });
  const result: InitResult = { file, overwritten, service: config.service, regions: config.regions };
  const name = path.relative(ctx.cwd, file) || file;
  ctx.io.result(
    `${ctx.io.style.ok('wrote')} ${name} (service ${config.service}, regions ${config.regions.join(', ')})\n` +
      `next: regionctl deploy --local`,
    result,
  );
  return result;
}
