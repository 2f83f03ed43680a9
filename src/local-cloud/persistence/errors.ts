import { RegionctlError } from '../../errors.js';

/** The local cloud's saved state cannot be read back; only a reset recovers. */
export class CorruptStateError extends RegionctlError {
  constructor(file: string, detail: string, cause?: unknown) {
    super('LocalStateCorrupt', `the local cloud's state file ${file} is corrupt (${detail}); run \`regionctl local reset\` to start from empty state`, 1, { cause });
  }
}
