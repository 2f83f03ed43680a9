// The region's vantage point: regionctl invokes the canary with `{ "observe": { "names": [...] } }`
// and it answers, for each name, what a client in this region gets: the address this region's
// resolver answers (on AWS the resolver of the function's region, which reaches Route 53 from
// here, so latency records answer as for this region's clients), then GET /hello on that very
// address, and which region the service says served it. Nothing else is called: a name must be one
// of the stage's (`<stage>-<service>.<zone>` or `<service>.<zone>`, told by the function's own
// name `<service>-<stage>-canary` and STAGE) and the path is always /hello.

export interface ObserveEvent {
  observe: { names: string[] };
}

export interface Observation {
  name: string;
  /** The first IPv4 address this region's resolver answered. */
  address?: string;
  /** HTTP status of GET /hello through that address. */
  status?: number;
  /** The region the service named in its answer. */
  servedBy?: string;
  /** Milliseconds from the start of the request to the end of the answer. */
  latencyMs?: number;
  error?: string;
}

export interface ObserveResult {
  /** The function's own region: where these clients are. */
  region: string;
  observations: Observation[];
}

export interface HelloRequest {
  name: string;
  address: string;
  timeoutMs: number;
}

export interface ObserveDeps {
  env: Record<string, string | undefined>;
  /** IPv4 addresses of a name, from the function's resolver. */
  resolve4(name: string): Promise<string[]>;
  /** GET https://<name>/hello connected to `address`: status, the x-regionctl-region header, body. */
  hello(req: HelloRequest): Promise<{ status: number; region?: string; body: string }>;
  now(): number;
  timeoutMs?: number;
}

const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const MAX_NAMES = 4;

export function isObserveEvent(event: unknown): event is ObserveEvent {
  const o = (event as { observe?: { names?: unknown } } | null)?.observe;
  return typeof o === 'object' && o !== null && Array.isArray(o.names);
}

/** The region a hello answer names: its body ("executed successfully in R"), else the local cloud's header. */
export function regionOfHello(header: string | undefined, body: string): string | undefined {
  return /executed successfully in ([a-z]{2}(?:-[a-z]+)+-\d)/.exec(body)?.[1] ?? header;
}

/** The first labels the stage's names may start with, from the function's name and STAGE (none when unknown). */
export function stageLabels(env: Record<string, string | undefined>): string[] {
  const fn = env.AWS_LAMBDA_FUNCTION_NAME;
  const stage = env.STAGE;
  const suffix = `-${stage}-canary`;
  if (!fn || !stage || !fn.endsWith(suffix) || fn.length === suffix.length) return [];
  const service = fn.slice(0, -suffix.length);
  return [`${stage}-${service}`, service];
}

export async function observe(event: ObserveEvent, deps: ObserveDeps): Promise<ObserveResult> {
  const region = deps.env.AWS_REGION ?? 'unknown';
  const labels = stageLabels(deps.env);
  const names = event.observe.names.slice(0, MAX_NAMES);
  const observations = await Promise.all(
    names.map(async (raw): Promise<Observation> => {
      const name = String(raw).toLowerCase().replace(/\.$/, '');
      if (!HOST.test(name)) return { name, error: 'not a host name' };
      if (!labels.includes(name.split('.')[0])) return { name, error: `not one of this stage's names (${labels.map((l) => `${l}.<zone>`).join(', ') || 'unknown'})` };
      let address: string | undefined;
      try {
        address = (await deps.resolve4(name))[0];
      } catch (err) {
        return { name, error: `does not resolve: ${message(err)}` };
      }
      if (!address) return { name, error: 'does not resolve: no A record' };
      const started = deps.now();
      try {
        const res = await deps.hello({ name, address, timeoutMs: deps.timeoutMs ?? 4000 });
        const servedBy = regionOfHello(res.region, res.body);
        return { name, address, status: res.status, latencyMs: deps.now() - started, ...(servedBy ? { servedBy } : {}) };
      } catch (err) {
        return { name, address, latencyMs: deps.now() - started, error: message(err) };
      }
    }),
  );
  return { region, observations };
}

function message(err: unknown): string {
  if (err instanceof Error) return (err as Error & { code?: string }).code ?? err.message;
  return String(err);
}
