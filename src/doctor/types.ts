import type { ResolvedConfig } from '../config/schema.js';
import type { Io } from '../io/types.js';
import type { AwsProvider } from '../aws/provider.js';
import type { StagePlan } from '../stage/plan.js';
import type { DelegationState } from './checks/delegation.js';

/** The clients the doctor talks to: the command's one AwsProvider satisfies it. */
export type DoctorClients = Pick<AwsProvider, 'endpoint' | 'verifyCredentials' | 'cloudFormation' | 'lambda' | 'apiGateway' | 'route53' | 'acm' | 'account' | 'serviceQuotas'>;

export type CheckName =
  | 'credentials'
  | 'region-enabled'
  | 'hosted-zone'
  | 'delegation'
  | 'certificate'
  | 'edge-certificate'
  | 'stack-quota'
  | 'lambda-quota'
  | 'health-check-quota'
  | 'rest-api-quota';

export type FindingStatus = 'pass' | 'warn' | 'fail';

/** One line of the doctor's report; `fix` is the exact thing to do (a command or a config change). */
export interface Finding {
  /** A region name, or 'global' for account-wide checks (Route 53 zone and health-check quota). */
  region: string;
  check: CheckName;
  status: FindingStatus;
  message: string;
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  findings: Finding[];
}

/** What every check gets: the config, the stage's plan, the clients and the io for progress. */
export interface CheckContext {
  config: ResolvedConfig;
  plan: StagePlan;
  clients: DoctorClients;
  io?: Io;
  /** The zone's delegation, asked once and shared by the certificate checks (full doctor only). */
  delegation?: Promise<DelegationState>;
}

export const GLOBAL = 'global';
