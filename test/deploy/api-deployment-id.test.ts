import { describe, expect, it } from 'vitest';
import { pinApiDeployments } from '../../src/deploy/api-deployment-id.js';

function template(path = 'check') {
  return {
    Resources: {
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'dev-orders' } },
      Res: { Type: 'AWS::ApiGateway::Resource', Properties: { PathPart: path, RestApiId: { Ref: 'Api' } } },
      Method: { Type: 'AWS::ApiGateway::Method', Properties: { HttpMethod: 'GET', ResourceId: { Ref: 'Res' } } },
      Deployment: { Type: 'AWS::ApiGateway::Deployment', DependsOn: 'Method', Properties: { RestApiId: { Ref: 'Api' } } },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { DeploymentId: { Ref: 'Deployment' } } },
      Fn: { Type: 'AWS::Lambda::Function', DependsOn: ['Deployment', 'Method'], Properties: { Description: { 'Fn::Sub': 'd=${Deployment} a=${Api} x=${!Deployment}' } } },
      Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    },
    Outputs: { Dep: { Value: { Ref: 'Deployment' } }, Att: { Value: { 'Fn::GetAtt': ['Deployment', 'DeploymentId'] } } },
  };
}

const deploymentIdOf = (t: { Resources: Record<string, { Type: string }> }) =>
  Object.keys(t.Resources).find((id) => t.Resources[id].Type === 'AWS::ApiGateway::Deployment')!;

describe('pinApiDeployments', () => {
  it('renames the deployment after a hash of the API and repoints every reference', () => {
    const t = pinApiDeployments(template()) as any;
    const id = deploymentIdOf(t);
    expect(id).toMatch(/^Deployment[0-9A-F]{8}$/);
    expect(t.Resources.Deployment).toBeUndefined();
    expect(t.Resources.Stage.Properties.DeploymentId).toEqual({ Ref: id });
    expect(t.Resources.Fn.DependsOn).toEqual([id, 'Method']);
    expect(t.Resources.Fn.Properties.Description['Fn::Sub']).toBe(`d=\${${id}} a=\${Api} x=\${!Deployment}`);
    expect(t.Outputs.Dep.Value).toEqual({ Ref: id });
    expect(t.Outputs.Att.Value).toEqual({ 'Fn::GetAtt': [id, 'DeploymentId'] });
  });

  it('keeps the id when nothing in the API changed, and changes it when a method or path did', () => {
    const base = deploymentIdOf(pinApiDeployments(template()) as any);
    expect(deploymentIdOf(pinApiDeployments(template()) as any)).toBe(base);
    const other = template();
    (other.Resources.Table.Properties as any).BillingMode = 'PAY_PER_REQUEST';
    expect(deploymentIdOf(pinApiDeployments(other) as any)).toBe(base);
    expect(deploymentIdOf(pinApiDeployments(template('status')) as any)).not.toBe(base);
    const post = template();
    post.Resources.Method.Properties.HttpMethod = 'POST';
    expect(deploymentIdOf(pinApiDeployments(post) as any)).not.toBe(base);
  });

  it('leaves templates without an API untouched', () => {
    const t = { Resources: { B: { Type: 'AWS::S3::Bucket' } } };
    expect(pinApiDeployments(t)).toBe(t);
  });
});
