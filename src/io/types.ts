// The contract between domain code (emits events, returns results) and the CLI's rendering.

export type IoEvent =
  | { kind: 'info' | 'warn' | 'debug' | 'success'; message: string; region?: string }
  | { kind: 'step'; id: string; state: 'start' | 'update' | 'done' | 'failed'; label: string; region?: string };

export interface Style {
  ok(s: string): string;
  bad(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  warn(s: string): string;
}

export interface Io {
  readonly jsonMode: boolean;
  readonly color: boolean;
  readonly interactive: boolean;
  // Progress goes to stderr only: spinners on an interactive TTY outside CI, timestamped lines otherwise.
  emit(event: IoEvent): void;
  // The command's result: one JSON document on stdout in JSON mode, human text otherwise.
  result(human: string, json: unknown): void;
  // Always false when not interactive; the caller then tells the user to pass --yes.
  confirm(question: string): Promise<boolean>;
  style: Style;
}

// A writable the io layer can print to; process.stdout/stderr and test buffers both fit.
export interface TextSink {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}
