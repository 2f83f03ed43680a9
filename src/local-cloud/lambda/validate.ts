import { AwsError } from '../aws-error.js';

export const SUPPORTED_RUNTIMES = ['nodejs18.x', 'nodejs20.x', 'nodejs22.x'] as const;

const constraint = (value: unknown, field: string, rule: string): AwsError =>
  new AwsError(
    'ValidationException',
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${rule}`,
  );

const ROLE_PATTERN = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;

export interface ConfigInput {
  Runtime?: unknown;
  Role?: unknown;
  Handler?: unknown;
  Timeout?: unknown;
  MemorySize?: unknown;
  Environment?: unknown;
}

// Checks in the order Lambda's request validation reports them; only the first failure is thrown.
export function validateConfig(input: ConfigInput, creating: boolean): void {
  if (creating) {
    for (const field of ['Role', 'Runtime', 'Handler'] as const) {
      if (input[field] === undefined) {
        throw new AwsError('InvalidParameterValueException', `${field} must be specified for Zip package type`);
      }
    }
  }
  if (input.Runtime !== undefined && !(SUPPORTED_RUNTIMES as readonly unknown[]).includes(input.Runtime)) {
    throw constraint(input.Runtime, 'runtime', `Member must satisfy enum value set: [${SUPPORTED_RUNTIMES.join(', ')}]`);
  }
  if (input.Role !== undefined && (typeof input.Role !== 'string' || !ROLE_PATTERN.test(input.Role))) {
    throw constraint(
      input.Role,
      'role',
      'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+',
    );
  }
  // Stricter than AWS, which accepts any non-blank handler and fails at invoke time instead.
  if (input.Handler !== undefined && (typeof input.Handler !== 'string' || !/^[^\s]+\.[^\s./]+$/.test(input.Handler) || input.Handler.length > 128)) {
    throw constraint(input.Handler, 'handler', 'Member must satisfy regular expression pattern: [^\\s]+\\.[^\\s.]+ (file.export)');
  }
  if (input.Timeout !== undefined) {
    const t = Number(input.Timeout);
    if (!Number.isInteger(t) || t < 1) throw constraint(input.Timeout, 'timeout', 'Member must have value greater than or equal to 1');
    if (t > 900) throw constraint(input.Timeout, 'timeout', 'Member must have value less than or equal to 900');
  }
  if (input.MemorySize !== undefined) {
    const m = Number(input.MemorySize);
    if (!Number.isInteger(m) || m < 128) throw constraint(input.MemorySize, 'memorySize', 'Member must have value greater than or equal to 128');
    if (m > 10240) throw constraint(input.MemorySize, 'memorySize', 'Member must have value less than or equal to 10240');
  }
  if (input.Environment !== undefined) validateEnvironment(input.Environment);
}

const RESERVED_ENV = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

function validateEnvironment(env: unknown): void {
  const vars = (env as { Variables?: unknown })?.Variables ?? {};
  if (typeof vars !== 'object' || vars === null) throw constraint(vars, 'environment.variables', 'Member must be a map');
  const reserved = Object.keys(vars).filter((k) => RESERVED_ENV.has(k));
  if (reserved.length > 0) {
    throw new AwsError(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  for (const key of Object.keys(vars)) {
    if (!/^[a-zA-Z]([a-zA-Z0-9_])+$/.test(key)) {
      throw constraint(key, 'environment.variables', 'Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+');
    }
  }
  const size = Buffer.byteLength(JSON.stringify(vars));
  if (size > 4096) {
    throw new AwsError(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(vars)}`,
    );
  }
}
