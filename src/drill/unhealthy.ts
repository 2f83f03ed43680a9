import { GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { sameTarget, type CloudTarget } from '../aws/target.js';
import { RegionctlError } from '../errors.js';
import type { StageLock } from '../deploy/lock.js';
import type { Io } from '../io/types.js';
import { readHealthOutputs } from '../stage/outputs.js';
import { stackName } from '../stage/names.js';
import { waitFor, type Sleeper } from '../wait.js';
import { describePending, faultEndpoint, faultId, faultMatches, isLegacy, type Journal, type UnhealthyFault } from './journal.js';

export interface FaultClients {
  readonly endpoint?: string;
  cloudFormation(region: string): CloudFormationClient;
  lambda(region: string): LambdaClient;
}

interface FaultOptions {
  service: string;
  stage: string;
  clients: FaultClients;
  journal: Journal;
  /** The cloud and account the clients talk to: only records made there are read back or restored. */
  target: CloudTarget;
  io: Io;
  clock: Sleeper;
  signal?: AbortSignal;
}

export interface InjectOptions extends FaultOptions {
  region: string;
  /** The stage lock, held by the caller for the whole injection. */
  lock: StageLock;
  /** The healthy-region guard, run right before the fault is journaled and applied; throws to refuse. */
  guard: () => Promise<unknown>;
}

/** A fault recorded by an older regionctl (no account) sits on the same function: restore it first. */
export class FaultPending extends RegionctlError {
  constructor(message: string, hint: string) {
    super('FaultPending', message, 1, { hint });
  }
}

/** The region's check function, from the health stack's output (never guessed from names). */
export async function checkFunctionName(clients: FaultClients, service: string, stage: string, region: string): Promise<string> {
  const name = (await readHealthOutputs(clients.cloudFormation(region), stackName('health', { service, stage }))).CheckFunctionName;
  if (!name) {
    throw new RegionctlError('NotDeployed', `${service}/${stage} is not deployed in ${region} (no health stack with a CheckFunctionName output)`, 1, {
      hint: 'run `regionctl deploy` first',
    });
  }
  return name;
}

/**
 * Set UNHEALTHY=true on the region's check function, keeping every other variable. The previous
 * value is journaled first; injecting twice keeps the first journal entry (the true original).
 */
export async function injectUnhealthy(opts: InjectOptions): Promise<{ id: string; functionName: string; alreadyInjected: boolean }> {
  const { clients, region, journal, target, lock } = opts;
  // Structural, not advisory: an injection outside the stage's lock could race another drill past the guard.
  if (!lock.held || lock.holder.service !== opts.service || lock.holder.stage !== opts.stage || !sameTarget(lock.holder.target, target)) {
    throw new Error(`bug: injecting into ${opts.service}/${opts.stage} without holding its stage lock`);
  }
  const functionName = await checkFunctionName(clients, opts.service, opts.stage, region);
  const legacy = journal
    .list()
    .find(({ fault }) => isLegacy(fault) && fault.service === opts.service && fault.stage === opts.stage && fault.region === region && faultEndpoint(fault) === target.endpoint);
  if (legacy) {
    const pending = describePending(legacy, { target, service: opts.service, stage: opts.stage });
    throw new FaultPending(`${region} still has a fault recorded by an older regionctl (${legacy.id}); its previous value must be restored first`, `run \`${pending.restoreCommand}\``);
  }
  await opts.guard();
  const lambda = clients.lambda(region);
  const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  const id = faultId({ kind: 'unhealthy', service: opts.service, stage: opts.stage, region, functionName, target });
  const existing = journal.get(id);
  if (!existing) {
    const fault: UnhealthyFault & { target: CloudTarget } = {
      kind: 'unhealthy',
      service: opts.service,
      stage: opts.stage,
      region,
      functionName,
      previous: config.Environment?.Variables?.UNHEALTHY ?? null,
      appliedAt: new Date(opts.clock.now()).toISOString(),
      target,
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    };
    journal.record(fault);
  }
  await setUnhealthy(lambda, functionName, 'true', opts);
  opts.io.emit({ kind: 'info', region, message: `${functionName}: UNHEALTHY=true (journaled as ${id})` });
  return { id, functionName, alreadyInjected: existing !== undefined };
}

export interface RestoreOutcome {
  id: string;
  region: string;
  functionName: string;
  restoredTo: string | null;
  note?: string;
}

/**
 * Undo journaled faults of this service/stage (one region or all) that were applied to this very
 * cloud and account, then drop their journal entries. Records of any other target are left alone.
 * With adoptLegacy, records from older regionctl versions made through the same endpoint (their
 * account was not recorded) are restored too: only an explicit `drill restore` asks for that.
 */
export async function restoreFaults(opts: FaultOptions & { region?: string; adoptLegacy?: boolean }): Promise<RestoreOutcome[]> {
  const outcomes: RestoreOutcome[] = [];
  const entries = opts.journal
    .list()
    .filter(({ fault }) => fault.service === opts.service && fault.stage === opts.stage && (!opts.region || fault.region === opts.region))
    .filter(({ fault }) => faultMatches(fault, opts.target) || (opts.adoptLegacy === true && isLegacy(fault) && faultEndpoint(fault) === opts.target.endpoint));
  for (const { id, fault } of entries) {
    if (fault.kind === 'local-fault') {
      // Lifted in the local cloud it was set in (its endpoint is the target's: faultMatches above).
      const { localFaults, liftLocalFault } = await import('./local-faults.js');
      const endpoint = fault.target?.endpoint ?? fault.endpoint;
      if (endpoint) await liftLocalFault({ journal: opts.journal, control: localFaults(endpoint), io: opts.io }, id, fault);
      else opts.journal.remove(id);
      outcomes.push({ id, region: fault.region, functionName: fault.functionName, restoredTo: null, note: `local cloud fault lifted` });
      continue;
    }
    const lambda = opts.clients.lambda(fault.region);
    const adopted = isLegacy(fault)
      ? `recorded by an older regionctl without its account; restored in account ${opts.target.account}`
      : undefined;
    try {
      await setUnhealthy(lambda, fault.functionName, fault.previous, opts);
      outcomes.push({ id, region: fault.region, functionName: fault.functionName, restoredTo: fault.previous, ...(adopted ? { note: adopted } : {}) });
      if (adopted) opts.io.emit({ kind: 'warn', region: fault.region, message: `${id}: ${adopted}` });
      opts.io.emit({ kind: 'success', region: fault.region, message: `${fault.functionName}: UNHEALTHY restored to ${fault.previous ?? '(unset)'}` });
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
      outcomes.push({ id, region: fault.region, functionName: fault.functionName, restoredTo: fault.previous, note: 'function no longer exists; nothing to restore' });
      opts.io.emit({ kind: 'warn', region: fault.region, message: `${fault.functionName} no longer exists; dropping its journal entry` });
    }
    opts.journal.remove(id);
  }
  return outcomes;
}

/**
 * Change one variable with optimistic locking (RevisionId), retrying when someone else updated
 * the function in between, then wait for the update to finish.
 */
async function setUnhealthy(lambda: LambdaClient, functionName: string, value: string | null, opts: Pick<FaultOptions, 'clock' | 'signal'>): Promise<void> {
  // An update still InProgress refuses the next one (ResourceConflictException): start after it.
  await updateFinished(lambda, functionName, opts, false);
  for (let attempt = 0; ; attempt++) {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    const variables = { ...(config.Environment?.Variables ?? {}) };
    if ((variables.UNHEALTHY ?? null) === value) return;
    if (value === null) delete variables.UNHEALTHY;
    else variables.UNHEALTHY = value;
    try {
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, Environment: { Variables: variables }, RevisionId: config.RevisionId }));
      break;
    } catch (error) {
      const name = (error as { name?: string }).name;
      if ((name === 'PreconditionFailedException' || name === 'ResourceConflictException') && attempt < 5) {
        // Someone else's update: wait until it has finished (AWS: a few seconds), then read again.
        if (name === 'ResourceConflictException') await updateFinished(lambda, functionName, opts, false);
        else await opts.clock.sleep(200 * (attempt + 1), opts.signal);
        continue;
      }
      throw error;
    }
  }
  await updateFinished(lambda, functionName, opts);
}

/** Wait until the function's last update is no longer InProgress; a Failed update of ours is an error. */
async function updateFinished(lambda: LambdaClient, functionName: string, opts: Pick<FaultOptions, 'clock' | 'signal'>, ours = true): Promise<void> {
  await waitFor(
    async () => {
      const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
      if (ours && c.LastUpdateStatus === 'Failed') throw new RegionctlError('LambdaUpdateFailed', `${functionName}: update failed: ${c.LastUpdateStatusReason}`);
      return c.LastUpdateStatus === 'InProgress' ? undefined : true;
    },
    { poll: 100, maxPoll: 2000, deadline: 120_000, what: `${functionName} to finish updating`, clock: opts.clock, signal: opts.signal },
  );
}
