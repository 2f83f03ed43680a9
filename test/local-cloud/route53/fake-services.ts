// Tiny stand-ins for the CloudWatch ('monitoring') and API Gateway domains Route 53 reads.
import type { ServiceFactory } from '../../../src/local-cloud/types.js';
import type { AlarmSource, AlarmStateValue } from '../../../src/local-cloud/route53/health-checks.js';

export class FakeAlarms implements AlarmSource {
  readonly states = new Map<string, AlarmStateValue>();
  onAlarmStateChange?: (region: string, alarmName: string, state: AlarmStateValue, previous: AlarmStateValue) => void;

  alarmState(region: string, alarmName: string) {
    const state = this.states.get(`${region}/${alarmName}`);
    return state ? { state, updatedAt: 0 } : undefined;
  }

  set(region: string, alarmName: string, state: AlarmStateValue): void {
    const previous = this.states.get(`${region}/${alarmName}`) ?? 'INSUFFICIENT_DATA';
    this.states.set(`${region}/${alarmName}`, state);
    this.onAlarmStateChange?.(region, alarmName, state, previous);
  }
}

export function fakeMonitoring(alarms: FakeAlarms): ServiceFactory {
  return () => ({ names: ['monitoring'], handle: async () => ({ status: 501 }), domain: alarms });
}

/** An API Gateway whose every API answers with the status the test sets per API id. */
export class FakeApis {
  readonly status = new Map<string, number>();
  readonly regions = new Map<string, string>();
  body = 'ok';

  regionOf(apiId: string) {
    return this.regions.get(apiId);
  }

  async execute(apiId: string, stage: string, req: { path: string }) {
    const status = this.status.get(apiId) ?? 404;
    return { status, headers: { 'content-type': 'text/plain' }, body: Buffer.from(`${this.body} ${apiId} ${stage}${req.path}`) };
  }
}

export function fakeApiGateway(apis: FakeApis): ServiceFactory {
  return () => ({ names: ['apigateway'], handle: async () => ({ status: 501 }), domain: apis });
}
