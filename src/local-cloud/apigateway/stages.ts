// REST API stages: their records, the view GetStage answers, and the JSON-patch operations
// UpdateStage applies.
import { dict } from '../keyed.js';
import { badRequest, notFound } from './errors.js';
import type { ApiRecord, StageRecord } from './model.js';

export interface PatchOperation {
  op: 'replace' | 'add' | 'remove' | 'move' | 'copy' | 'test';
  path: string;
  value?: string;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** Create (or replace) a stage of an API pointing at a deployment. */
export function putStage(api: ApiRecord, now: number, input: { stageName: string; deploymentId: string; description?: string; variables?: Record<string, string> }): StageRecord {
  const stage: StageRecord = {
    stageName: input.stageName,
    deploymentId: input.deploymentId,
    description: input.description,
    variables: Object.assign(dict<string>(), input.variables),
    methodSettings: dict(),
    createdDate: now,
    lastUpdatedDate: now,
  };
  api.stages[input.stageName] = stage;
  return stage;
}

/** A stage as GetStage answers it. */
export function stageView(s: StageRecord) {
  return {
    deploymentId: s.deploymentId,
    stageName: s.stageName,
    description: s.description,
    cacheClusterEnabled: false,
    cacheClusterStatus: 'NOT_AVAILABLE',
    methodSettings: structuredClone(s.methodSettings),
    variables: Object.keys(s.variables).length > 0 ? { ...s.variables } : undefined,
    tracingEnabled: false,
    createdDate: seconds(s.createdDate),
    lastUpdatedDate: seconds(s.lastUpdatedDate),
  };
}

/** The named stage of an API, or API Gateway's NotFound. */
export function stageOf(api: ApiRecord, stageName: string): StageRecord {
  const s = api.stages[stageName];
  if (!s) throw notFound('Invalid Stage identifier specified');
  return s;
}

// JSON-patch as API Gateway applies it to a stage: deploymentId, description, variables/NAME,
// and method settings paths (/*/*/metrics/enabled…), which are recorded but have no effect here.
export function applyStagePatches(api: ApiRecord, stage: StageRecord, patches: PatchOperation[]): void {
  for (const p of patches) {
    const variable = /^\/variables\/(.+)$/.exec(p.path);
    if (p.path === '/deploymentId' && p.op === 'replace') {
      if (!p.value || !api.deployments[p.value]) throw notFound('Invalid Deployment identifier specified');
      stage.deploymentId = p.value;
    } else if (p.path === '/description' && p.op === 'replace') {
      stage.description = p.value;
    } else if (variable && (p.op === 'replace' || p.op === 'add')) {
      stage.variables[variable[1]] = p.value ?? '';
    } else if (variable && p.op === 'remove') {
      delete stage.variables[variable[1]];
    } else if (/^\/[^/]+\/[^/]+\/.+/.test(p.path)) {
      stage.methodSettings[p.path] = p.value;
    } else {
      throw badRequest(`Invalid patch path ${p.path}`);
    }
  }
}
