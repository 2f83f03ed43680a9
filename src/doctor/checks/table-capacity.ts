import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { couldNotCheck, errorName } from '../errors.js';
import { tableName } from '../plan.js';
import type { CheckContext, Finding } from '../types.js';

// Global-table replicas need on-demand capacity (or autoscaled writes); regionctl creates tables on demand,
// so only a table that already exists under the same name can be wrong.
export async function checkTableCapacity(ctx: CheckContext, region: string): Promise<Finding> {
  const check = 'table-capacity';
  const name = tableName(ctx.config);
  let table;
  try {
    table = (await ctx.clients.dynamodb(region).send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') {
      return { region, check, status: 'pass', message: `table ${name} does not exist yet; it will be created PAY_PER_REQUEST` };
    }
    return couldNotCheck(region, check, `table ${name}`, err);
  }
  // Tables created with provisioned capacity before 2018 carry no BillingModeSummary at all.
  const mode = table?.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  if (mode === 'PAY_PER_REQUEST') return { region, check, status: 'pass', message: `table ${name} exists and is PAY_PER_REQUEST` };
  return {
    region,
    check,
    status: 'fail',
    message: `table ${name} exists with ${mode} capacity; global-table replicas need on-demand capacity (or write autoscaling)`,
    fix: `switch it to on-demand (aws dynamodb update-table --region ${region} --table-name ${name} --billing-mode PAY_PER_REQUEST), or delete it if it is not regionctl's`,
  };
}
