import { AwsError, validation } from '../../aws-error.js';
import type { JsonOp } from '../../protocols/json.js';
import type { DynamoDbDomain } from '../domain.js';
import type { GlobalTables, ReplicaUpdatesInput } from './domain.js';

type Described = { Table?: Record<string, unknown>; TableDescription?: Record<string, unknown> };

/**
 * The table operations as global tables change them: UpdateTable with ReplicaUpdates manages
 * replicas, other updates of a replica respect the global table's rules, and DescribeTable /
 * UpdateTable answers carry Replicas and GlobalTableVersion.
 */
export function withGlobalTables(ops: Record<string, JsonOp>, tables: DynamoDbDomain, global: GlobalTables): Record<string, JsonOp> {
  return {
    ...ops,
    DescribeTable: async (input, req) => {
      const out = (await ops.DescribeTable!(input, req)) as Described;
      return { Table: global.decorate(req.region, out.Table!) };
    },
    UpdateTable: async (input: ReplicaUpdatesInput, req) => {
      if (input?.ReplicaUpdates !== undefined || input?.GlobalTableWitnessUpdates !== undefined || input?.MultiRegionConsistency !== undefined)
        return global.updateReplicas(req.region, input);
      const group = typeof input?.TableName === 'string' && tables.hasTable(req.region, input.TableName) ? global.group(req.region, input.TableName) : undefined;
      if (group) {
        if (Object.values(group.replicas).some((r) => r.status !== 'ACTIVE'))
          throw new AwsError('ResourceInUseException', `Attempt to change a resource which is still in use: Table is being updated: ${input.TableName}`);
        if (input.BillingMode === 'PROVISIONED') throw validation('Table write capacity should either be Pay-Per-Request or AutoScaled.');
        if (input.StreamSpecification !== undefined)
          throw validation(`One or more parameter values were invalid: The stream of a global table replica cannot be changed: ${input.TableName} has replicas`);
      }
      const out = (await ops.UpdateTable!(input, req)) as Described;
      return { TableDescription: global.decorate(req.region, out.TableDescription!) };
    },
  };
}
