// The persisted shape of Lambda state: plain JSON, one record per function per region.

export interface FunctionConfig {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Role: string;
  Handler: string;
  CodeSize: number;
  CodeSha256: string;
  Description: string;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  Version: '$LATEST';
  Environment?: { Variables: Record<string, string> };
  State: 'Active';
  /** InProgress only as a view (realism aws, for a few seconds after an update); stored Successful. */
  LastUpdateStatus: 'Successful' | 'InProgress';
  LastUpdateStatusReason?: string;
  LastUpdateStatusReasonCode?: string;
  PackageType: 'Zip';
  Architectures: string[];
  RevisionId: string;
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: { Service: string } | { AWS: string } | '*';
  Action: string;
  Resource: string;
  Condition?: {
    ArnLike?: { 'AWS:SourceArn': string };
    StringEquals?: { 'AWS:SourceAccount'?: string };
  };
}

export interface FunctionRecord {
  config: FunctionConfig;
  /** Blob-store sha256 (hex) of the deployment package zip. */
  codeBlob: string;
  policy: PolicyStatement[];
  tags: Record<string, string>;
  /** Realism aws: the last update is InProgress until then (epoch ms, cloud clock). */
  updateUntil?: number;
}

export interface LambdaState {
  regions: Record<string, { functions: Record<string, FunctionRecord> }>;
}

/** LastModified as Lambda writes it (2026-01-01T00:00:00.000+0000). */
export const lastModified = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

/** A copy of the configuration with LastUpdateStatus as of `now` (functions-states.html). */
export function withUpdateStatus(fn: FunctionRecord, now: number): FunctionConfig {
  const config = structuredClone(fn.config);
  if (fn.updateUntil !== undefined && now < fn.updateUntil) {
    config.LastUpdateStatus = 'InProgress';
    config.LastUpdateStatusReason = 'The function is being created.';
    config.LastUpdateStatusReasonCode = 'Creating';
  }
  return config;
}
