// The stacks of one stage. Per region, in deploy order after the shared `regionctl-toolkit`
// stack; destroy walks the list backwards (the recipe's teardown order: service stacks first,
// then check stacks). Later issues add table, events, replication.
export const STACK_KINDS = ['health', 'service'] as const;
export type RegionalStackKind = (typeof STACK_KINDS)[number];

// Stacks deployed once per stage: `before` every region (the hosted zone the service records go
// into), `after` every region (the edge, whose origin is the latency name the regions answer for).
// Destroy removes `after`, then the regions, then `before`.
export const GLOBAL_KINDS = { before: ['dns'], after: ['edge'] } as const;
export type GlobalStackKind = (typeof GLOBAL_KINDS)['before' | 'after'][number];

// CloudFront only accepts ACM certificates from us-east-1, so the edge stack lives there
// whichever regions the service runs in.
export const EDGE_REGION = 'us-east-1';

// The shared per-region stack that holds the artifacts bucket.
export const TOOLKIT_STACK_NAME = 'regionctl-toolkit';

/** The one place stack names are made: `regionctl-toolkit`, or `<service>-<stage>-<kind>`. */
export function stackName(kind: string, config: { service: string; stage: string }): string {
  return kind === 'toolkit' ? TOOLKIT_STACK_NAME : `${config.service}-${config.stage}-${kind}`;
}
