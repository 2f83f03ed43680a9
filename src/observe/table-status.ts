import { GetMetricStatisticsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableConfig } from '../config/schema.js';
import { globalTableName } from '../stage/names.js';

// status: the global table's replica in every region, and how far behind each region receives the
// others' writes (ReplicationLatency, published by the sending region per receiving region).

export interface TableStatusClients {
  dynamodb(region: string): DynamoDBClient;
  cloudWatch(region: string): CloudWatchClient;
}

export interface ReplicaState {
  region: string;
  /** ACTIVE, CREATING, DELETING, ... or MISSING (no replica there). */
  status: string;
  /** The witness of an MRSC table (holds no data). */
  witness?: boolean;
}

export interface PairLatency {
  from: string;
  to: string;
  /** Over the window; null without data (no writes, or replication stopped). */
  averageMs: number | null;
  maxMs: number | null;
  samples: number;
}

export interface TableStatus {
  table: string;
  consistency: 'eventual' | 'strong';
  replicas: ReplicaState[];
  latency: PairLatency[];
  /** Minutes of metrics the latency covers. */
  windowMinutes: number;
  error?: string;
}

export async function tableStatus(opts: {
  service: string;
  stage: string;
  regions: readonly string[];
  primaryRegion: string;
  table: TableConfig;
  clients: TableStatusClients;
  /** The cloud's time (latency is read for the minutes before it). */
  now: number;
  windowMinutes?: number;
}): Promise<TableStatus> {
  const name = globalTableName(opts);
  const windowMinutes = opts.windowMinutes ?? 5;
  const base: TableStatus = { table: name, consistency: opts.table.consistency, replicas: [], latency: [], windowMinutes };
  let description;
  try {
    description = (await opts.clients.dynamodb(opts.primaryRegion).send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    const missing = (error as { name?: string }).name === 'ResourceNotFoundException';
    return { ...base, replicas: opts.regions.map((region) => ({ region, status: 'MISSING' })), ...(missing ? {} : { error: (error as Error).message }) };
  }
  const replicas = new Map((description?.Replicas ?? []).map((r) => [r.RegionName!, r.ReplicaStatus ?? 'UNKNOWN']));
  const states: ReplicaState[] = opts.regions.map((region) => ({ region, status: region === opts.primaryRegion ? (description?.TableStatus ?? 'UNKNOWN') : (replicas.get(region) ?? 'MISSING') }));
  for (const w of description?.GlobalTableWitnesses ?? []) states.push({ region: w.RegionName!, status: w.WitnessStatus ?? 'UNKNOWN', witness: true });
  const pairs = opts.regions.flatMap((from) => opts.regions.filter((to) => to !== from).map((to) => ({ from, to })));
  const end = new Date(opts.now);
  const start = new Date(opts.now - windowMinutes * 60_000);
  const latency = await Promise.all(
    pairs.map(async ({ from, to }): Promise<PairLatency> => {
      const out = await opts.clients
        .cloudWatch(from)
        .send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/DynamoDB',
            MetricName: 'ReplicationLatency',
            Dimensions: [{ Name: 'TableName', Value: name }, { Name: 'ReceivingRegion', Value: to }],
            StartTime: start,
            EndTime: end,
            Period: windowMinutes * 60,
            Statistics: ['Average', 'Maximum', 'SampleCount'],
          }),
        )
        .catch(() => ({ Datapoints: [] }));
      const points = out.Datapoints ?? [];
      const samples = points.reduce((n, p) => n + (p.SampleCount ?? 0), 0);
      const avg = samples > 0 ? points.reduce((n, p) => n + (p.Average ?? 0) * (p.SampleCount ?? 0), 0) / samples : null;
      const max = points.length > 0 ? Math.max(...points.map((p) => p.Maximum ?? 0)) : null;
      return { from, to, averageMs: avg === null ? null : Math.round(avg * 10) / 10, maxMs: max, samples };
    }),
  );
  return { ...base, replicas: states, latency };
}
