// The events the stage's trigger functions published, read from their logs: how the replication
// drill counts events per write (exactly one, in the write's region), and the bookmark that tells
// whether a log still holds everything since the drill began.
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { functionName } from '../stage/names.js';

type LogsClients = { logs(region: string): CloudWatchLogsClient };
type LambdaClients = { lambda(region: string): LambdaClient };

export interface PublishedEvent {
  region: string;
  eventId: string;
  partitionKey: string;
  type: string;
  timestamp: number;
}

/** Every event the stage's triggers logged as published since a time (cloud ms), in every region. */
export async function publishedEvents(opts: { clients: LogsClients; service: string; stage: string; regions: readonly string[]; since: number }): Promise<PublishedEvent[]> {
  const group = `/aws/lambda/${functionName(opts, 'trigger')}`;
  const perRegion = await Promise.all(
    opts.regions.map(async (region) => {
      const out: PublishedEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await opts.clients
          .logs(region)
          .send(new FilterLogEventsCommand({ logGroupName: group, startTime: opts.since, filterPattern: '"published"', nextToken }))
          .catch((error: { name?: string }) => {
            if (error.name === 'ResourceNotFoundException') return { events: [], nextToken: undefined };
            throw error;
          });
        for (const e of page.events ?? []) {
          // The trigger logs one line per batch: {"published":[{"id","key","type"}, ...]}.
          const list = parseLine(e.message ?? '')?.published;
          if (!Array.isArray(list)) continue;
          for (const p of list as { id?: unknown; key?: unknown; type?: unknown }[]) {
            out.push({ region, eventId: String(p.id ?? ''), partitionKey: String(p.key ?? ''), type: String(p.type ?? ''), timestamp: e.timestamp ?? 0 });
          }
        }
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    }),
  );
  return perRegion.flat();
}

/**
 * A bookmark in a region's trigger log: invoke the trigger with no records (it publishes nothing)
 * and return the request id of that invocation, whose START line is then in the log. The event
 * count from that log is complete only while the line is still there (logStillHolds). Undefined
 * when the invocation's log tail did not say (the count then goes unchecked, with a warning).
 */
export async function bookmarkTriggerLog(opts: { clients: LambdaClients; service: string; stage: string; region: string }): Promise<string | undefined> {
  const out = await opts.clients.lambda(opts.region).send(
    new InvokeCommand({ FunctionName: functionName(opts, 'trigger'), LogType: 'Tail', Payload: new TextEncoder().encode(JSON.stringify({ Records: [] })) }),
  );
  const tail = out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8') : '';
  return /START RequestId: (\S+)/.exec(tail)?.[1];
}

/** Whether the trigger's log in `region` still holds the bookmark's START line (nothing written since it was dropped). */
export async function logStillHolds(opts: { clients: LogsClients; service: string; stage: string; region: string; requestId: string; since: number }): Promise<boolean> {
  const out = await opts.clients
    .logs(opts.region)
    .send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName(opts, 'trigger')}`, startTime: opts.since, filterPattern: `"START RequestId: ${opts.requestId}"`, limit: 1 }))
    .catch((error: { name?: string }) => {
      if (error.name === 'ResourceNotFoundException') return { events: [] };
      throw error;
    });
  return (out.events ?? []).length > 0;
}

// A Lambda log line is `<time>\t<request id>\t<level>\t<message>` (or the message alone); ours are JSON.
function parseLine(message: string): Record<string, unknown> | undefined {
  const at = message.indexOf('{');
  if (at < 0) return undefined;
  try {
    return JSON.parse(message.slice(at)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
