// The stacks of one stage, per region, in deploy order after the shared `regionctl-toolkit`
// stack. Destroy walks this list backwards (the recipe's teardown order: service stacks
// first, then check stacks). Later issues add service, edge, table, events, replication.
export const STACK_KINDS = ['health'] as const;
export type StackKind = (typeof STACK_KINDS)[number];
