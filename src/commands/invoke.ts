import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ReportedFailure, UsageError } from '../errors.js';
import { isKnownRegion } from '../regions.js';
import type { CommandContext } from './context.js';
import type { InvokeOptions } from './options.js';

/** --data: inline JSON, or @file holding JSON (relative to the working directory). */
async function payloadOf(ctx: CommandContext, data: string | undefined): Promise<unknown> {
  if (data === undefined) return {};
  let text = data;
  let where = '--data';
  if (data.startsWith('@')) {
    const file = resolve(ctx.cwd, data.slice(1));
    where = data.slice(1);
    text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError('DataFileUnreadable', `--data ${data}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError('BadData', `${where} is not JSON: ${(error as Error).message}`, 2, { hint: `pass a JSON document, e.g. --data '{"id":"thing-1"}', or --data @event.json` });
  }
}

export async function invokeCommand(ctx: CommandContext, opts: InvokeOptions): Promise<void> {
  const config = await ctx.loadConfig();
  const region = opts.region;
  if (!region) throw new UsageError('MissingRegion', 'invoke needs --region R');
  if (!config.regions.includes(region)) {
    throw new UsageError('UnknownRegion', `--region ${region} is not one of the configured regions (${config.regions.join(', ')})`, 2, {
      hint: isKnownRegion(region) ? 'add it to regions in regionctl.yml or pass --regions' : 'use a region name such as us-east-1',
    });
  }
  const payload = await payloadOf(ctx, opts.data);
  const { planStage } = await import('../stage/plan.js');
  const { invokeFunction, resolveFunction } = await import('../observe/invoke.js');
  const functionName = resolveFunction(planStage(config), region, opts.function);
  const aws = await ctx.aws();
  const out = await invokeFunction({ lambda: aws.lambda(region), region, functionName, payload, log: opts.log === true });
  const s = ctx.io.style;
  const human =
    `${s.bold(functionName)} in ${region}: ${out.functionError ? s.bad(`failed (${out.functionError})`) : s.ok(`status ${out.statusCode}`)}\n` +
    `${typeof out.result === 'string' ? out.result : JSON.stringify(out.result, null, 2)}\n` +
    (out.log !== undefined ? `\n${s.dim('--- log tail ---')}\n${out.log.replace(/\n?$/, '\n')}` : '');
  ctx.io.result(human, out);
  if (out.functionError) throw new ReportedFailure('FunctionError', `${functionName} in ${region} failed (${out.functionError})`);
}
