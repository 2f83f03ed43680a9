import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import { accountSettings, DEFAULT_ACCOUNT_LIMIT, type AccountSettings } from './account-settings.js';
import { functionArn, parseFunctionRef } from './arns.js';
import { loadCode, storeCode, type CodeInput } from './code.js';
import { execute, invokeRequest, type InvokeOptions, type InvokeResult } from './invoke.js';
import { lastModified, withUpdateStatus, type FunctionConfig, type FunctionRecord, type LambdaState, type PolicyStatement } from './model.js';
import { buildStatement, policyAllows, policyDocument, type AddPermissionInput } from './policy.js';
import { validateConfig } from './validate.js';
import { regionalResolver } from './regional-resolver.js';
import { AsyncInvoker } from './async-invoke.js';
import { WorkerPool } from './worker-pool.js';
import { dict, keyedState } from '../keyed.js';

export type { AccountSettings } from './account-settings.js';
export type { CodeInput } from './code.js';
export type { InvokeOptions, InvokeResult } from './invoke.js';

export interface CreateFunctionInput {
  FunctionName?: string;
  Runtime?: string;
  Role?: string;
  Handler?: string;
  Code?: CodeInput;
  Description?: string;
  Timeout?: number;
  MemorySize?: number;
  Environment?: { Variables?: Record<string, string> };
  Tags?: Record<string, string>;
  Architectures?: string[];
}

export type UpdateConfigurationInput = Omit<CreateFunctionInput, 'FunctionName' | 'Code' | 'Tags'> & { RevisionId?: string };
export type UpdateCodeInput = CodeInput & { RevisionId?: string };

export interface LambdaDomainOptions {
  /** Multiplies the wall-clock budget of Timeout (tests use < 1 to keep timeout tests fast). */
  timeoutFactor?: number;
  maxWorkersPerFunction?: number;
  /** Live workers across all functions (each is a thread with its own heap). */
  maxWorkers?: number;
  /** Cloud time an idle worker is kept warm before it is reclaimed. */
  workerIdleMs?: number;
  /** Cloud time after which a function's idle workers beyond its most recently used one are terminated (default 1 minute). */
  workerSpareIdleMs?: number;
  /** Running + queued invocations before TooManyRequestsException (AWS: account ConcurrentExecutions). */
  maxConcurrentExecutions?: number;
}

/** Lambda's behaviour, shared by the wire adapter, CloudFormation and other services. */
export class LambdaDomain {
  /** Called after every executed invocation (CloudWatch Invocations/Errors metrics). */
  onInvoke?: (region: string, name: string, result: InvokeResult, durationMs: number) => void;
  /** Event-source mappings polling DynamoDB streams (event-source-mappings/), attached by the service factory. */
  eventSourceMappings?: import('./event-source-mappings/domain.js').EventSourceMappings;
  timeoutFactor: number;
  private readonly pool: WorkerPool;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Event invocations with Lambda's retries (async-invoke.ts). */
  readonly async: AsyncInvoker;
  private skippedBehind = 0;

  constructor(
    private readonly ctx: CloudContext,
    opts: LambdaDomainOptions = {},
  ) {
    this.timeoutFactor = opts.timeoutFactor ?? 1;
    this.pool = new WorkerPool(ctx.clock, {
      maxPerFunction: opts.maxWorkersPerFunction,
      maxTotal: opts.maxWorkers,
      idleMs: opts.workerIdleMs,
      spareIdleMs: opts.workerSpareIdleMs,
      maxInFlight: opts.maxConcurrentExecutions ?? DEFAULT_ACCOUNT_LIMIT.ConcurrentExecutions,
    });
    this.pool.resolver = regionalResolver(ctx);
    this.async = new AsyncInvoker(ctx, (attempt) => {
      const tracked = attempt.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
      this.inFlight.add(tracked);
    });
  }

  private get state(): LambdaState {
    return keyedState<LambdaState>(this.ctx.state, 'lambda', () => ({ regions: dict() }));
  }

  /** Declare a change to a function's record (or a part: 'policy', 'tags') for the state's write barrier. */
  private changed(region: string, name: string, ...path: string[]): void {
    this.ctx.state.changed('lambda', 'regions', region, 'functions', name, ...path);
  }

  private functions(region: string): Record<string, FunctionRecord> {
    const regions = this.state.regions;
    regions[region] ??= { functions: dict() };
    return regions[region].functions;
  }

  /** The function's configuration, or undefined (no error) when it does not exist. */
  findFunction(region: string, nameOrArn: string): FunctionConfig | undefined {
    const ref = parseFunctionRef(region, nameOrArn);
    return this.state.regions[ref.region]?.functions[ref.name]?.config;
  }

  private record(region: string, nameOrArn: string): { region: string; fn: FunctionRecord } {
    const ref = parseFunctionRef(region, nameOrArn);
    const fn = this.state.regions[ref.region]?.functions[ref.name];
    if (!fn) {
      throw new AwsError(
        'ResourceNotFoundException',
        `Function not found: ${functionArn(ref.region, this.ctx.accountId, ref.name)}`,
        404,
        true,
        { Type: 'User' },
      );
    }
    return { region: ref.region, fn };
  }

  createFunction(region: string, input: CreateFunctionInput): FunctionConfig {
    const name = input.FunctionName;
    if (!name || !/^[a-zA-Z0-9-_]{1,64}$/.test(name)) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '${name ?? 'null'}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
      );
    }
    validateConfig(input, true);
    const functions = this.functions(region);
    if (functions[name]) {
      throw new AwsError('ResourceConflictException', `Function already exist: ${name}`, 409, true, { Type: 'User' });
    }
    const zip = loadCode(this.ctx, region, input.Code);
    const config: FunctionConfig = {
      FunctionName: name,
      FunctionArn: functionArn(region, this.ctx.accountId, name),
      Runtime: input.Runtime!,
      Role: input.Role!,
      Handler: input.Handler!,
      CodeSize: 0,
      CodeSha256: '',
      Description: input.Description ?? '',
      Timeout: input.Timeout !== undefined ? Number(input.Timeout) : 3,
      MemorySize: input.MemorySize !== undefined ? Number(input.MemorySize) : 128,
      LastModified: lastModified(this.ctx.clock.now()),
      Version: '$LATEST',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Architectures: input.Architectures ?? ['x86_64'],
      RevisionId: randomUUID(),
    };
    if (input.Environment) config.Environment = { Variables: { ...(input.Environment.Variables ?? {}) } };
    const codeBlob = storeCode(this.ctx, config, zip);
    functions[name] = { config, codeBlob, policy: [], tags: Object.assign(dict<string>(), input.Tags) };
    this.changed(region, name);
    return structuredClone(config);
  }

  getFunctionConfiguration(region: string, nameOrArn: string): FunctionConfig {
    return this.view(this.record(region, nameOrArn).fn);
  }

  /** The configuration as the API shows it: LastUpdateStatus InProgress while an update is under way. */
  private view(fn: FunctionRecord): FunctionConfig {
    return withUpdateStatus(fn, this.ctx.clock.now());
  }

  /** Realism aws: a second update while one is InProgress is refused, as AWS does. */
  private refuseWhileUpdating(fn: FunctionRecord): void {
    if (fn.updateUntil !== undefined && this.ctx.clock.now() < fn.updateUntil) {
      throw new AwsError(
        'ResourceConflictException',
        `The operation cannot be performed at this time. An update is in progress for resource: ${fn.config.FunctionArn}`,
        409,
        true,
        { Type: 'User' },
      );
    }
  }

  getFunction(region: string, nameOrArn: string): {
    Configuration: FunctionConfig;
    Code: { RepositoryType: 'S3'; Location: string };
    Tags?: Record<string, string>;
  } {
    const { region: r, fn } = this.record(region, nameOrArn);
    const tags = Object.keys(fn.tags).length > 0 ? { ...fn.tags } : undefined;
    return {
      Configuration: this.view(fn),
      Code: { RepositoryType: 'S3', Location: `${this.ctx.url()}/local/lambda/${r}/${fn.config.FunctionName}/code.zip?sha=${fn.codeBlob}` },
      Tags: tags,
    };
  }

  /** The deployment package bytes (for tests and a code download route). */
  getCodeZip(region: string, nameOrArn: string): Buffer {
    return this.ctx.blobs.get(this.record(region, nameOrArn).fn.codeBlob);
  }

  private checkRevision(fn: FunctionRecord, revisionId: string | undefined): void {
    if (revisionId !== undefined && revisionId !== fn.config.RevisionId) {
      throw new AwsError(
        'PreconditionFailedException',
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
        412,
        true,
        { Type: 'User' },
      );
    }
  }

  private touched(region: string, fn: FunctionRecord): FunctionConfig {
    fn.config.LastModified = lastModified(this.ctx.clock.now());
    fn.config.RevisionId = randomUUID();
    const busyMs = this.ctx.realism?.lambdaUpdateMs ?? 0;
    if (busyMs > 0) fn.updateUntil = this.ctx.clock.now() + busyMs;
    else delete fn.updateUntil;
    this.changed(region, fn.config.FunctionName);
    void this.pool.retire(`${region}/${fn.config.FunctionName}`);
    return this.view(fn);
  }

  updateFunctionCode(region: string, nameOrArn: string, input: UpdateCodeInput): FunctionConfig {
    const { region: r, fn } = this.record(region, nameOrArn);
    this.checkRevision(fn, input.RevisionId);
    this.refuseWhileUpdating(fn);
    const zip = loadCode(this.ctx, r, input);
    fn.codeBlob = storeCode(this.ctx, fn.config, zip);
    return this.touched(r, fn);
  }

  // Environment replaces the whole variable map (AWS does not merge), so callers read-modify-write.
  updateFunctionConfiguration(region: string, nameOrArn: string, input: UpdateConfigurationInput): FunctionConfig {
    const { region: r, fn } = this.record(region, nameOrArn);
    this.checkRevision(fn, input.RevisionId);
    this.refuseWhileUpdating(fn);
    validateConfig(input, false);
    const c = fn.config;
    if (input.Runtime !== undefined) c.Runtime = input.Runtime;
    if (input.Role !== undefined) c.Role = input.Role;
    if (input.Handler !== undefined) c.Handler = input.Handler;
    if (input.Description !== undefined) c.Description = input.Description;
    if (input.Timeout !== undefined) c.Timeout = Number(input.Timeout);
    if (input.MemorySize !== undefined) c.MemorySize = Number(input.MemorySize);
    if (input.Environment !== undefined) c.Environment = { Variables: { ...(input.Environment.Variables ?? {}) } };
    return this.touched(r, fn);
  }

  async deleteFunction(region: string, nameOrArn: string): Promise<void> {
    const { region: r, fn } = this.record(region, nameOrArn);
    delete this.functions(r)[fn.config.FunctionName];
    this.changed(r, fn.config.FunctionName);
    await this.pool.retire(`${r}/${fn.config.FunctionName}`);
  }

  // Marker is opaque to callers; here it is the base64 of the first name on the next page.
  listFunctions(region: string, marker?: string, maxItems = 50): { Functions: FunctionConfig[]; NextMarker?: string } {
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10000) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${maxItems < 1 ? 'greater than or equal to 1' : 'less than or equal to 10000'}`,
      );
    }
    const now = this.ctx.clock.now();
    const all = Object.values(this.functions(region))
      .map((f) => withUpdateStatus(f, now))
      .sort((a, b) => a.FunctionName.localeCompare(b.FunctionName));
    let start = 0;
    if (marker) {
      const from = Buffer.from(marker, 'base64').toString('utf8');
      start = all.findIndex((c) => c.FunctionName >= from);
      if (start < 0) start = all.length;
    }
    const page = all.slice(start, start + maxItems);
    const next = all[start + maxItems];
    return {
      Functions: page,
      NextMarker: next ? Buffer.from(next.FunctionName).toString('base64') : undefined,
    };
  }

  // GetAccountSettings: a fresh account's default quotas (no reserved concurrency exists here) and this region's usage.
  getAccountSettings(region: string): AccountSettings {
    return accountSettings(Object.values(this.functions(region)).map((f) => f.config));
  }

  addPermission(region: string, nameOrArn: string, input: AddPermissionInput & { RevisionId?: string }): PolicyStatement {
    const { fn } = this.record(region, nameOrArn);
    this.checkRevision(fn, input.RevisionId);
    const statement = buildStatement(input, fn.config.FunctionArn);
    if (fn.policy.some((s) => s.Sid === statement.Sid)) {
      throw new AwsError(
        'ResourceConflictException',
        `The statement id (${statement.Sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
        409,
        true,
        { Type: 'User' },
      );
    }
    fn.policy.push(statement);
    this.changed(this.record(region, nameOrArn).region, fn.config.FunctionName, 'policy');
    return structuredClone(statement);
  }

  removePermission(region: string, nameOrArn: string, statementId: string): void {
    const { fn } = this.record(region, nameOrArn);
    if (!fn.policy.some((s) => s.Sid === statementId)) {
      throw new AwsError('ResourceNotFoundException', `Statement ${statementId} is not found in resource policy.`, 404, true, { Type: 'User' });
    }
    fn.policy = fn.policy.filter((s) => s.Sid !== statementId);
    this.changed(this.record(region, nameOrArn).region, fn.config.FunctionName, 'policy');
  }

  getPolicy(region: string, nameOrArn: string): { Policy: string; RevisionId: string } {
    const { fn } = this.record(region, nameOrArn);
    if (fn.policy.length === 0) {
      throw new AwsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404, true, { Type: 'User' });
    }
    return { Policy: policyDocument(fn.policy), RevisionId: fn.config.RevisionId };
  }

  /** Whether the function's resource policy lets `principal` invoke it for a call from sourceArn. */
  hasPermission(region: string, nameOrArn: string, principal: string, sourceArn?: string): boolean {
    const ref = parseFunctionRef(region, nameOrArn);
    const fn = this.state.regions[ref.region]?.functions[ref.name];
    return fn ? policyAllows(fn.policy, principal, sourceArn) : false;
  }

  tagResource(region: string, arn: string, tags: Record<string, string>): void {
    const { region: r, fn } = this.record(region, arn);
    Object.assign(fn.tags, tags);
    this.changed(r, fn.config.FunctionName, 'tags');
  }

  untagResource(region: string, arn: string, keys: string[]): void {
    const { fn } = this.record(region, arn);
    for (const key of keys) delete fn.tags[key];
    this.changed(this.record(region, arn).region, fn.config.FunctionName, 'tags');
  }

  listTags(region: string, arn: string): Record<string, string> {
    return { ...this.record(region, arn).fn.tags };
  }

  async invoke(region: string, nameOrArn: string, payload: Buffer | string, opts: InvokeOptions = {}): Promise<InvokeResult> {
    const { region: r, fn } = this.record(region, nameOrArn);
    const config = structuredClone(fn.config);
    const text = invokeRequest(fn, config, payload, opts);
    const type = opts.invocationType ?? 'RequestResponse';
    if (type === 'DryRun') return { statusCode: 204, payload: Buffer.alloc(0), logs: '' };
    // A scheduled event for a function whose earlier invocations already wait for an execution
    // environment: the local cloud is behind (a time scale its machine cannot keep up with). Queuing
    // every firing would only put it further behind, and keep it busy long after; skip this one.
    const scheduled = type === 'Event' && opts.principal === 'events.amazonaws.com';
    if (scheduled && this.pool.queued(`${r}/${config.FunctionName}`) > 0) {
      this.skippedBehind++;
      this.ctx.log(`lambda: ${r} ${config.FunctionName} still has invocations waiting for a worker; the local cloud is behind, the event from ${opts.sourceArn ?? 'a schedule'} is skipped`);
      return { statusCode: 202, payload: Buffer.alloc(0), logs: '' };
    }
    if (type === 'Event') {
      // Each attempt (retries too) runs the function as it is then; deleted meanwhile, the event is dropped.
      this.async.submit(`${r}/${config.FunctionName}`, () => {
        const now = this.record(r, config.FunctionName).fn;
        return this.run(r, now, structuredClone(now.config), text);
      });
      return { statusCode: 202, payload: Buffer.alloc(0), logs: '' };
    }
    return this.run(r, fn, config, text);
  }

  /** Scheduled events skipped because the function's earlier invocations were still waiting for a worker (the cloud was behind). */
  skippedScheduledEvents(): number {
    return this.skippedBehind;
  }

  /** Resolves once every asynchronous (Event) invocation started so far has finished. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Live workers for a function (observes warm reuse). */
  workerCount(region: string, name: string): number {
    return this.pool.size(`${region}/${name}`);
  }

  /** Live workers and running/queued invocations across every function (resource tests, status). */
  poolStats(): { workers: number; inFlight: number; functions: number } {
    return this.pool.stats();
  }

  async stop(): Promise<void> {
    this.async.stop();
    await this.pool.close();
  }

  private async run(region: string, fn: FunctionRecord, config: FunctionConfig, event: string): Promise<InvokeResult> {
    const { result, durationMs } = await execute({ ctx: this.ctx, pool: this.pool, timeoutFactor: this.timeoutFactor }, region, fn, config, event);
    this.onInvoke?.(region, config.FunctionName, result, durationMs);
    return result;
  }
}
