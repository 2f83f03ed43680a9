import { z } from 'zod';
import { AwsError } from '../../aws-error.js';
import { defineResource } from '../../cloudformation/resource-properties.js';
import { cfnBoolean, cfnIgnoredList, cfnIgnoredObject, cfnInteger, cfnNumber, cfnString, cfnStrings, cfnTags } from '../../cloudformation/property-types.js';
import type { ResourceProvider } from '../../types.js';
import type { CreateMappingInput, EventSourceMappings } from './domain.js';

// Every property of the type
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-eventsourcemapping.html);
// the Kafka, MQ, DocumentDB and poller settings are accepted by type and refused or ignored by the
// mapping's own checks (validations.ts).
const mappingProperties = z.strictObject({
  AmazonManagedKafkaEventSourceConfig: cfnIgnoredObject().optional(),
  BatchSize: cfnInteger().optional(),
  BisectBatchOnFunctionError: cfnBoolean().optional(),
  DestinationConfig: z.strictObject({ OnFailure: z.strictObject({ Destination: cfnString().optional() }).optional() }).optional(),
  DocumentDBEventSourceConfig: cfnIgnoredObject().optional(),
  Enabled: cfnBoolean().optional(),
  EventSourceArn: cfnString().optional(),
  FilterCriteria: cfnIgnoredObject().optional(),
  FunctionName: cfnString(),
  FunctionResponseTypes: cfnStrings().optional(),
  KmsKeyArn: cfnString().optional(),
  LoggingConfig: cfnIgnoredObject().optional(),
  MaximumBatchingWindowInSeconds: cfnInteger().optional(),
  MaximumRecordAgeInSeconds: cfnInteger().optional(),
  MaximumRetryAttempts: cfnInteger().optional(),
  MetricsConfig: cfnIgnoredObject().optional(),
  ParallelizationFactor: cfnInteger().optional(),
  ProvisionedPollerConfig: cfnIgnoredObject().optional(),
  Queues: cfnStrings().optional(),
  ScalingConfig: cfnIgnoredObject().optional(),
  SelfManagedEventSource: cfnIgnoredObject().optional(),
  SelfManagedKafkaEventSourceConfig: cfnIgnoredObject().optional(),
  SourceAccessConfigurations: cfnIgnoredList().optional(),
  StartingPosition: cfnString().optional(),
  StartingPositionTimestamp: cfnNumber().optional(),
  Tags: cfnTags().optional(),
  Topics: cfnStrings().optional(),
  TumblingWindowInSeconds: cfnInteger().optional(),
});

function input(props: z.infer<typeof mappingProperties>): CreateMappingInput {
  return {
    FunctionName: props.FunctionName,
    EventSourceArn: props.EventSourceArn,
    Enabled: props.Enabled,
    BatchSize: props.BatchSize,
    MaximumBatchingWindowInSeconds: props.MaximumBatchingWindowInSeconds,
    StartingPosition: props.StartingPosition,
    MaximumRetryAttempts: props.MaximumRetryAttempts,
    MaximumRecordAgeInSeconds: props.MaximumRecordAgeInSeconds,
    BisectBatchOnFunctionError: props.BisectBatchOnFunctionError,
    FunctionResponseTypes: props.FunctionResponseTypes,
    ParallelizationFactor: props.ParallelizationFactor,
    TumblingWindowInSeconds: props.TumblingWindowInSeconds,
    DestinationConfig: props.DestinationConfig,
    FilterCriteria: props.FilterCriteria,
  };
}

/** AWS::Lambda::EventSourceMapping: Ref is the UUID; GetAtt Id and EventSourceMappingArn. */
export function eventSourceMappingResource(esm: EventSourceMappings): ResourceProvider {
  const result = (m: Record<string, unknown>) => ({ physicalId: String(m.UUID), attributes: { Id: m.UUID, EventSourceMappingArn: m.EventSourceMappingArn } });
  return defineResource({
    type: 'AWS::Lambda::EventSourceMapping',
    properties: mappingProperties,
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
  });
}
