import { AwsError } from '../../aws-error.js';
import type { ResourceProvider } from '../../types.js';
import type { CreateMappingInput, EventSourceMappings } from './domain.js';

const num = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));
const bool = (v: unknown): boolean | undefined => (v === undefined ? undefined : v === true || v === 'true');

function input(props: Record<string, any>): CreateMappingInput {
  return {
    FunctionName: props.FunctionName === undefined ? undefined : String(props.FunctionName),
    EventSourceArn: props.EventSourceArn,
    Enabled: bool(props.Enabled),
    BatchSize: num(props.BatchSize),
    MaximumBatchingWindowInSeconds: num(props.MaximumBatchingWindowInSeconds),
    StartingPosition: props.StartingPosition,
    MaximumRetryAttempts: num(props.MaximumRetryAttempts),
    MaximumRecordAgeInSeconds: num(props.MaximumRecordAgeInSeconds),
    BisectBatchOnFunctionError: bool(props.BisectBatchOnFunctionError),
    FunctionResponseTypes: props.FunctionResponseTypes,
    ParallelizationFactor: num(props.ParallelizationFactor),
    TumblingWindowInSeconds: num(props.TumblingWindowInSeconds),
    DestinationConfig: props.DestinationConfig,
    FilterCriteria: props.FilterCriteria,
  };
}

/** AWS::Lambda::EventSourceMapping: Ref is the UUID; GetAtt Id and EventSourceMappingArn. */
export function eventSourceMappingResource(esm: EventSourceMappings): ResourceProvider {
  const result = (m: Record<string, unknown>) => ({ physicalId: String(m.UUID), attributes: { Id: m.UUID, EventSourceMappingArn: m.EventSourceMappingArn } });
  return {
    type: 'AWS::Lambda::EventSourceMapping',
    replaceOn: ['EventSourceArn', 'StartingPosition', 'StartingPositionTimestamp'],
    async create(ctx, props) {
      return result(esm.create(ctx.region, input(props)));
    },
    async update(ctx, physicalId, props) {
      const { EventSourceArn: _a, StartingPosition: _p, ...rest } = input(props);
      return result(esm.update(ctx.region, physicalId, { ...rest, Enabled: rest.Enabled ?? true }));
    },
    async delete(ctx, physicalId) {
      try {
        esm.delete(ctx.region, physicalId);
      } catch (err) {
        if (!(err instanceof AwsError && (err.code === 'ResourceNotFoundException' || err.code === 'ResourceInUseException'))) throw err;
      }
    },
  };
}
