import type { CloudContext } from '../../types.js';
import type { DynamoDbDomain } from '../domain.js';
import { DynamoDbStreams, type TableStreams } from './domain.js';

export { DynamoDbStreams } from './domain.js';
export type { WireRecord } from './domain.js';

/** The streams of a table domain, fed by its item-change hook. */
export function attachStreams(ctx: CloudContext, tables: DynamoDbDomain): DynamoDbStreams {
  const source: TableStreams = {
    streamOf(region, name) {
      if (!tables.hasTable(region, name)) return undefined;
      const table = tables.table(region, name);
      return table.stream ? { viewType: table.stream.viewType, label: table.stream.label, keySchema: table.keySchema } : undefined;
    },
    tableNames(region) {
      const names: string[] = [];
      let start: string | undefined;
      do {
        const page = tables.listTables(region, { ExclusiveStartTableName: start });
        names.push(...page.TableNames);
        start = page.LastEvaluatedTableName;
      } while (start !== undefined);
      return names;
    },
    tableArn: (region, name) => tables.tableArn(region, name),
  };
  const streams = new DynamoDbStreams(ctx, source);
  const previous = tables.onItemChange;
  tables.onItemChange = (region, table, change) => {
    previous?.(region, table, change);
    streams.record(region, table, change);
  };
  tables.streams = streams;
  return streams;
}
