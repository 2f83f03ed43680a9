// Error classes the CLI funnel understands. A RegionctlError is an already-explained failure: the CLI
// prints its message (and hint) on one line each and exits with its exitCode; anything else is a bug.

export interface RegionctlErrorOptions {
  cause?: unknown;
  hint?: string;
}

export class RegionctlError extends Error {
  readonly hint?: string;

  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: 1 | 2 | 130 = 1,
    options?: RegionctlErrorOptions,
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options?.hint !== undefined) this.hint = options.hint;
  }
}

// Subclasses keep the base constructor (code, message, exitCode?, options?) so call sites read the same
// everywhere; only the default exit code differs.

// regionctl.yml is invalid or missing; message starts "regionctl.yml:12: regions[1]: ...". Exit 2.
export class ConfigError extends RegionctlError {
  constructor(code: string, message: string, exitCode: 1 | 2 | 130 = 2, options?: RegionctlErrorOptions) {
    super(code, message, exitCode, options);
  }
}

// The command line itself is wrong (bad flag value, missing --region). Exit 2.
export class UsageError extends RegionctlError {
  constructor(code: string, message: string, exitCode: 1 | 2 | 130 = 2, options?: RegionctlErrorOptions) {
    super(code, message, exitCode, options);
  }
}

// Credentials missing or rejected, or the endpoint cannot be reached. Exit 1.
export class AwsAccessError extends RegionctlError {}

// The command already printed its summary (e.g. one region failed); the CLI only sets the exit code. Exit 1.
export class ReportedFailure extends RegionctlError {}

// The user pressed Ctrl-C and the command has restored whatever it injected. Exit 130.
export class Interrupted extends RegionctlError {
  constructor(code = 'Interrupted', message = 'interrupted', exitCode: 1 | 2 | 130 = 130, options?: RegionctlErrorOptions) {
    super(code, message, exitCode, options);
  }
}

