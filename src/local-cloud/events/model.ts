// Persistent EventBridge state (default event bus only): JSON, epoch ms.

export interface Target {
  Id: string;
  Arn: string;
  Input?: string;
  RoleArn?: string;
}

export interface InvocationRecord {
  at: number;
  targetId: string;
  ok: boolean;
  error?: string;
}

export interface Rule {
  Name: string;
  Arn: string;
  ScheduleExpression?: string;
  EventPattern?: string;
  State: 'ENABLED' | 'DISABLED';
  Description?: string;
  RoleArn?: string;
  /** Rates count from here: when the schedule was last set or the rule enabled. */
  anchor: number;
  targets: Target[];
  /** Most recent deliveries, newest last (bounded). */
  invocations: InvocationRecord[];
}

export interface EventsState {
  regions: Record<string, { rules: Record<string, Rule> }>;
}
