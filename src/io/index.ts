import { createInterface } from 'node:readline/promises';
import { plainLine } from './format.js';
import { SpinnerLog } from './spinner-log.js';
import { createStyle } from './style.js';
import type { Io, IoEvent, Style, TextSink } from './types.js';

export type { Io, IoEvent, Style, TextSink } from './types.js';
export { table, visibleWidth } from './table.js';

export interface CreateIoOptions {
  json: boolean;
  color: boolean;
  verbose: boolean;
  stdout: TextSink;
  stderr: TextSink;
  // Whether a human is watching: stderr (for spinners) and stdin (for prompts) are terminals.
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  stdin?: NodeJS.ReadableStream;
  now?: () => number;
}

// What the CLI needs beyond the Io contract: whether stdout already holds the result, and a way to
// stop the spinner before printing an error.
export interface CliIo extends Io {
  readonly resultWritten: boolean;
  close(): void;
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

class StreamIo implements CliIo {
  readonly style: Style;
  readonly interactive: boolean;
  private written = false;
  private readonly spinner: SpinnerLog | undefined;

  constructor(private readonly opts: CreateIoOptions) {
    this.style = createStyle(opts.color);
    this.interactive = opts.isTTY && !isCi(opts.env);
    // A pty without a size (columns 0) makes ora's line arithmetic divide by zero; log plainly there.
    this.spinner = this.interactive && opts.stderr.columns !== 0 ? new SpinnerLog(opts.stderr, this.style) : undefined;
  }

  get jsonMode(): boolean {
    return this.opts.json;
  }

  get color(): boolean {
    return this.opts.color;
  }

  get resultWritten(): boolean {
    return this.written;
  }

  emit(event: IoEvent): void {
    if (event.kind === 'debug' && !this.opts.verbose) return;
    if (this.spinner) this.spinner.emit(event);
    else this.opts.stderr.write(`${plainLine(event, this.style, (this.opts.now ?? Date.now)())}\n`);
  }

  result(human: string, json: unknown): void {
    this.spinner?.stop();
    if (this.opts.json) {
      // Two documents on stdout would break every consumer that pipes us into jq.
      if (this.written) throw new Error('io.result called twice in JSON mode');
      this.opts.stdout.write(`${JSON.stringify(json)}\n`);
    } else if (human !== '') {
      this.opts.stdout.write(human.endsWith('\n') ? human : `${human}\n`);
    }
    this.written = true;
  }

  async confirm(question: string): Promise<boolean> {
    if (!this.interactive) return false;
    this.spinner?.stop();
    const rl = createInterface({
      input: this.opts.stdin ?? process.stdin,
      output: this.opts.stderr as unknown as NodeJS.WritableStream,
    });
    try {
      const answer = await rl.question(`${question} [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  }

  close(): void {
    this.spinner?.stop();
  }
}

export function createIo(opts: CreateIoOptions): CliIo {
  return new StreamIo(opts);
}

export interface MemoryIoOptions {
  json?: boolean;
  color?: boolean;
  verbose?: boolean;
  // Pretend a human is at the keyboard; confirm() then answers with `answer`.
  interactive?: boolean;
  answer?: boolean | ((question: string) => boolean);
  now?: () => number;
}

export type MemoryIo = CliIo & { readonly stdout: string; readonly stderr: string; readonly events: IoEvent[]; readonly questions: string[] };

// An Io for tests: captures both streams and every event; never draws spinners.
export function createMemoryIo(opts: MemoryIoOptions = {}): MemoryIo {
  const out = { stdout: '', stderr: '' };
  const events: IoEvent[] = [];
  const questions: string[] = [];
  const inner = new StreamIo({
    json: opts.json ?? false,
    color: opts.color ?? false,
    verbose: opts.verbose ?? false,
    isTTY: false,
    env: {},
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    now: opts.now,
  });
  const interactive = opts.interactive ?? false;
  return {
    get jsonMode() {
      return inner.jsonMode;
    },
    get color() {
      return inner.color;
    },
    interactive,
    style: inner.style,
    get resultWritten() {
      return inner.resultWritten;
    },
    get stdout() {
      return out.stdout;
    },
    get stderr() {
      return out.stderr;
    },
    events,
    questions,
    emit(event) {
      events.push(event);
      inner.emit(event);
    },
    result(human, json) {
      inner.result(human, json);
    },
    async confirm(question) {
      questions.push(question);
      if (!interactive) return false;
      const a = opts.answer ?? false;
      return typeof a === 'function' ? a(question) : a;
    },
    close() {
      inner.close();
    },
  };
}
