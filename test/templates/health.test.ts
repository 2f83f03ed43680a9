import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/deploy/render-template.js';

const t = JSON.parse(renderTemplate('health'));
const R = t.Resources;
const deploymentId = Object.keys(R).find((id) => R[id].Type === 'AWS::ApiGateway::Deployment')!;

describe('health template', () => {
  it('names the API <stage>-<service>, the ApiName the 5XXError alarm will watch', () => {
    expect(R.Api.Properties.Name).toEqual({ 'Fn::Sub': '${Stage}-${Service}' });
    expect(R.Api.Properties.EndpointConfiguration).toEqual({ Types: ['REGIONAL'] });
    expect(t.Outputs.RestApiName.Value).toEqual(R.Api.Properties.Name);
  });

  it('routes GET /check to the check function through a Lambda proxy integration', () => {
    expect(R.CheckResource.Properties.PathPart).toBe('check');
    const m = R.CheckMethod.Properties;
    expect([m.HttpMethod, m.AuthorizationType, m.Integration.Type, m.Integration.IntegrationHttpMethod]).toEqual(['GET', 'NONE', 'AWS_PROXY', 'POST']);
    expect(m.Integration.Uri['Fn::Sub']).toContain('${CheckFunction.Arn}');
    expect(R[deploymentId].DependsOn).toBe('CheckMethod');
    expect(R.ApiStage.Properties.StageName).toEqual({ Ref: 'Stage' });
    // Pinned to the API's definition, so an API change publishes a new deployment.
    expect(deploymentId).toMatch(/^ApiDeployment[0-9A-F]{8}$/);
    expect(R.ApiStage.Properties.DeploymentId).toEqual({ Ref: deploymentId });
  });

  it('runs the check from the artifacts bucket with a 6 s timeout and its table in TABLE_NAME', () => {
    const f = R.CheckFunction.Properties;
    expect(f.Code).toEqual({ S3Bucket: { Ref: 'ArtifactBucket' }, S3Key: { Ref: 'CheckCodeKey' } });
    expect(f.Handler).toBe('index.handler');
    expect(f.Timeout).toBe(6);
    expect(f.Environment.Variables).toEqual({ TABLE_NAME: { Ref: 'HealthTable' } });
    expect(f.FunctionName).toEqual({ 'Fn::Sub': '${Service}-${Stage}-check' });
    expect(R.CheckLogGroup.Properties.LogGroupName).toEqual({ 'Fn::Sub': '/aws/lambda/${Service}-${Stage}-check' });
    expect(R.CheckFunction.DependsOn).toBe('CheckLogGroup');
  });

  it('keeps the probe table on demand, encrypted, keyed by id', () => {
    const p = R.HealthTable.Properties;
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.SSESpecification).toEqual({ SSEEnabled: true });
    expect(p.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(p.AttributeDefinitions).toEqual([{ AttributeName: 'id', AttributeType: 'S' }]);
  });

  it('outputs the check URL and everything needed to build it elsewhere', () => {
    expect(t.Outputs.CheckUrl.Value).toEqual({
      'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${ApiStage}/check',
    });
    expect(t.Outputs.RestApiId.Value).toEqual({ Ref: 'Api' });
    expect(t.Outputs.StageName.Value).toEqual({ Ref: 'ApiStage' });
    expect(t.Outputs.CheckFunctionName.Value).toEqual({ Ref: 'CheckFunction' });
    expect(t.Outputs.HealthTableName.Value).toEqual({ Ref: 'HealthTable' });
  });

  it('accepts every service and stage name the config accepts, within Lambda\'s 64-character name limit', () => {
    const service = new RegExp(t.Parameters.Service.AllowedPattern);
    const stage = new RegExp(t.Parameters.Stage.AllowedPattern);
    const longest = { service: `a${'b'.repeat(39)}`, stage: 'x'.repeat(16) };
    expect(service.test(longest.service) && stage.test(longest.stage)).toBe(true);
    expect(`${longest.service}-${longest.stage}-check`.length).toBeLessThanOrEqual(64);
    expect(service.test('Orders')).toBe(false);
  });
});

describe('health template: alarm, health check, canary', () => {
  it('alarms on 5XXError of this API, with every setting from a parameter and missing data not breaching', () => {
    const a = R.ApiErrorsAlarm.Properties;
    expect([a.Namespace, a.MetricName, a.ComparisonOperator, a.TreatMissingData]).toEqual(['AWS/ApiGateway', '5XXError', 'GreaterThanThreshold', 'notBreaching']);
    expect([a.Statistic, a.Period, a.EvaluationPeriods, a.Threshold]).toEqual(
      ['AlarmStatistic', 'AlarmPeriod', 'AlarmEvaluationPeriods', 'AlarmThreshold'].map((Ref) => ({ Ref })),
    );
    // Same expression as the API's name, so the dimension cannot drift from it.
    expect(a.Dimensions).toEqual({ 'Fn::If': ['WatchOneApi', [{ Name: 'ApiName', Value: R.Api.Properties.Name }], { Ref: 'AWS::NoValue' }] });
    expect(t.Conditions.WatchOneApi).toEqual({ 'Fn::Equals': [{ Ref: 'AlarmDimension' }, 'true'] });
    expect(t.Parameters.AlarmStatistic.Default).toBe('Sum');
  });

  it('follows the alarm with a CLOUDWATCH_METRIC check that keeps its last status without data', () => {
    expect(R.AlarmHealthCheck.Condition).toBe('FollowAlarm');
    expect(R.AlarmHealthCheck.Properties.HealthCheckConfig).toEqual({
      Type: 'CLOUDWATCH_METRIC',
      AlarmIdentifier: { Name: { Ref: 'ApiErrorsAlarm' }, Region: { Ref: 'AWS::Region' } },
      InsufficientDataHealthStatus: 'LastKnownStatus',
    });
  });

  it('calls /check over HTTPS on the execute-api host with the configured interval and threshold', () => {
    expect(R.HttpsHealthCheck.Condition).toBe('CallCheck');
    expect(R.HttpsHealthCheck.Properties.HealthCheckConfig).toEqual({
      Type: 'HTTPS',
      FullyQualifiedDomainName: { 'Fn::Sub': '${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}' },
      Port: 443,
      ResourcePath: { 'Fn::Sub': '/${ApiStage}/check' },
      EnableSNI: true,
      RequestInterval: { Ref: 'HealthCheckInterval' },
      FailureThreshold: { Ref: 'HealthCheckFailureThreshold' },
    });
  });

  it('combines both checks (2 of 2) for type both, and exports the check each type uses', () => {
    expect(R.CombinedHealthCheck.Condition).toBe('Both');
    expect(R.CombinedHealthCheck.Properties.HealthCheckConfig).toEqual({
      Type: 'CALCULATED',
      ChildHealthChecks: [{ Ref: 'AlarmHealthCheck' }, { Ref: 'HttpsHealthCheck' }],
      HealthThreshold: 2,
    });
    // Evaluate the conditions and the output's Fn::If for each type.
    const evaluate = (type: string) => {
      const params: Record<string, string> = { HealthCheckType: type, AlarmDimension: 'true' };
      const value = (v: any): string => (typeof v === 'string' ? v : params[v.Ref]);
      const truth = (c: any): boolean => {
        if (c['Fn::Equals']) return value(c['Fn::Equals'][0]) === value(c['Fn::Equals'][1]);
        if (c['Fn::Not']) return !truth(c['Fn::Not'][0]);
        if (c.Condition) return truth(t.Conditions[c.Condition]);
        throw new Error(`unexpected condition ${JSON.stringify(c)}`);
      };
      const cond = (name: string) => truth(t.Conditions[name]);
      const pick = (v: any): string => (v['Fn::If'] ? pick(cond(v['Fn::If'][0]) ? v['Fn::If'][1] : v['Fn::If'][2]) : v.Ref);
      const created = ['AlarmHealthCheck', 'HttpsHealthCheck', 'CombinedHealthCheck'].filter((id) => cond(R[id].Condition));
      return { created, exported: pick(t.Outputs.HealthCheckId.Value) };
    };
    expect(evaluate('cloudwatch')).toEqual({ created: ['AlarmHealthCheck'], exported: 'AlarmHealthCheck' });
    expect(evaluate('https')).toEqual({ created: ['HttpsHealthCheck'], exported: 'HttpsHealthCheck' });
    expect(evaluate('both')).toEqual({ created: ['AlarmHealthCheck', 'HttpsHealthCheck', 'CombinedHealthCheck'], exported: 'CombinedHealthCheck' });
    expect(t.Outputs.AlarmName.Value).toEqual({ Ref: 'ApiErrorsAlarm' });
    expect(t.Outputs.HealthCheckType.Value).toEqual({ Ref: 'HealthCheckType' });
  });

  it('runs the canary every minute with the API id and stage, invokable only by its own rule', () => {
    const f = R.CanaryFunction.Properties;
    expect(f.Code).toEqual({ S3Bucket: { Ref: 'ArtifactBucket' }, S3Key: { Ref: 'CanaryCodeKey' } });
    expect(f.Environment.Variables).toEqual({ API_ID: { Ref: 'Api' }, STAGE: { Ref: 'ApiStage' } });
    expect(R.CanarySchedule.Properties.ScheduleExpression).toBe('rate(1 minute)');
    expect(R.CanarySchedule.Properties.Targets).toEqual([{ Id: 'canary', Arn: { 'Fn::GetAtt': ['CanaryFunction', 'Arn'] } }]);
    expect(R.CanaryInvokePermission.Properties).toEqual({
      FunctionName: { 'Fn::GetAtt': ['CanaryFunction', 'Arn'] },
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': ['CanarySchedule', 'Arn'] },
    });
  });
});
