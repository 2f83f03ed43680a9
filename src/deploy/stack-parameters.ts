import type { ResolvedConfig } from '../config/schema.js';
import type { StackKind } from './render-template.js';

type Config = Pick<ResolvedConfig, 'service' | 'stage' | 'dns' | 'healthCheck' | 'permissionsBoundary'>;

export interface StackParameters {
  parameters: Record<string, string>;
  outputParameters: Record<string, string>;
}

// CloudFormation parameters are strings on the wire; numbers and booleans are rendered here once.
/** What synth fills in for one stack, and what deploy fills from earlier stacks' outputs. */
export function stackParameters(
  kind: StackKind,
  region: string,
  config: Config,
  codeKeys: { check: string; canary: string; hello: string },
): StackParameters {
  const names = { Service: config.service, Stage: config.stage };
  const certificateArn = config.dns.certificateArn?.[region] ?? '';
  // '' creates the roles without a boundary (the local cloud, and users who never ran iam-policy).
  const permissionsBoundary = config.permissionsBoundary ?? '';
  switch (kind) {
    case 'toolkit':
      return { parameters: { EncryptionType: 'AES256', Versioning: 'false' }, outputParameters: {} };
    case 'health': {
      const { alarm } = config.healthCheck;
      return {
        parameters: {
          ...names,
          CheckCodeKey: codeKeys.check,
          CanaryCodeKey: codeKeys.canary,
          AlarmStatistic: alarm.statistic,
          AlarmPeriod: String(alarm.period),
          AlarmEvaluationPeriods: String(alarm.evaluationPeriods),
          AlarmThreshold: String(alarm.threshold),
          AlarmDimension: String(alarm.dimension),
          HealthCheckType: config.healthCheck.type,
          HealthCheckInterval: String(config.healthCheck.interval),
          HealthCheckFailureThreshold: String(config.healthCheck.failureThreshold),
          PermissionsBoundary: permissionsBoundary,
        },
        outputParameters: { ArtifactBucket: 'ArtifactBucketName' },
      };
    }
    case 'service':
      return {
        parameters: { ...names, HelloCodeKey: codeKeys.hello, ZoneName: config.dns.zone, CertificateArn: certificateArn, PermissionsBoundary: permissionsBoundary },
        outputParameters: { ArtifactBucket: 'ArtifactBucketName', HealthCheckId: 'HealthCheckId', HostedZoneId: 'HostedZoneId' },
      };
    case 'dns':
      return { parameters: { ...names, ZoneName: config.dns.zone }, outputParameters: {} };
    case 'edge':
      return {
        parameters: { ...names, ZoneName: config.dns.zone, CertificateArn: certificateArn },
        outputParameters: { HostedZoneId: 'HostedZoneId' },
      };
  }
}
