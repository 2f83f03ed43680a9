// GetAccountSettings: a fresh account's default quotas and one region's usage.
import type { FunctionConfig } from './model.js';

// AWS's defaults: 75 GB code storage, 250 MB unzipped / 50 MB zipped per package, 1000 concurrent executions.
export const DEFAULT_ACCOUNT_LIMIT = {
  TotalCodeSize: 80_530_636_800,
  CodeSizeUnzipped: 262_144_000,
  CodeSizeZipped: 52_428_800,
  ConcurrentExecutions: 1000,
  UnreservedConcurrentExecutions: 1000,
};

export interface AccountSettings {
  AccountLimit: typeof DEFAULT_ACCOUNT_LIMIT;
  AccountUsage: { TotalCodeSize: number; FunctionCount: number };
}

// No reserved concurrency exists here, so the limits are always the defaults.
export function accountSettings(configs: FunctionConfig[]): AccountSettings {
  return {
    AccountLimit: { ...DEFAULT_ACCOUNT_LIMIT },
    AccountUsage: { TotalCodeSize: configs.reduce((sum, c) => sum + c.CodeSize, 0), FunctionCount: configs.length },
  };
}
