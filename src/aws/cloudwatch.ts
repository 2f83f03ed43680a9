import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { sdk } from './sdk.js';

/** The alarm's state and when the cloud moved it there (StateTransitionedTimestamp, the cloud's own clock). */
export async function alarmTransition(cloudWatch: CloudWatchClient, alarmName: string): Promise<{ state?: string; since?: number }> {
  const alarm = (await cloudWatch.send(new (sdk('@aws-sdk/client-cloudwatch').DescribeAlarmsCommand)({ AlarmNames: [alarmName] }))).MetricAlarms?.[0];
  return { state: alarm?.StateValue, since: (alarm?.StateTransitionedTimestamp ?? alarm?.StateUpdatedTimestamp)?.getTime() };
}

export async function alarmState(cloudWatch: CloudWatchClient, alarmName: string): Promise<string | undefined> {
  return (await alarmTransition(cloudWatch, alarmName)).state;
}
