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
