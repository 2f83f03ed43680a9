import { AwsError } from '../aws-error.js';
import type { ResourceContext, ResourceProvider } from '../types.js';
import type { ApiGatewayDomain } from './domain.js';

const ignoreMissing = (err: unknown): void => {
  if (!(err instanceof AwsError && err.code === 'NotFoundException')) throw err;
};

const quietly = (fn: () => void): void => {
  try {
    fn();
  } catch (err) {
    ignoreMissing(err);
  }
};

function putMethod(gw: ApiGatewayDomain, ctx: ResourceContext, props: Record<string, any>): void {
  const method = String(props.HttpMethod).toUpperCase();
  gw.putMethod(ctx.region, props.RestApiId, props.ResourceId, method, {
    authorizationType: props.AuthorizationType ?? 'NONE',
    apiKeyRequired: props.ApiKeyRequired === true || props.ApiKeyRequired === 'true',
  });
  const integration = props.Integration;
  if (integration) {
    gw.putIntegration(ctx.region, props.RestApiId, props.ResourceId, method, {
      type: integration.Type,
      integrationHttpMethod: integration.IntegrationHttpMethod,
      uri: integration.Uri,
      timeoutInMillis: integration.TimeoutInMillis !== undefined ? Number(integration.TimeoutInMillis) : undefined,
    });
  }
}

export function apiGatewayResources(gw: ApiGatewayDomain): ResourceProvider[] {
  const restApi: ResourceProvider = {
    type: 'AWS::ApiGateway::RestApi',
    async create(ctx, props) {
      if (props.Body !== undefined || props.BodyS3Location !== undefined) {
        throw new Error('The local cloud does not import OpenAPI definitions (Body/BodyS3Location); declare Resource and Method resources instead.');
      }
      const api = gw.createRestApi(ctx.region, {
        name: props.Name,
        description: props.Description,
        endpointConfiguration: props.EndpointConfiguration?.Types ? { types: props.EndpointConfiguration.Types } : undefined,
      });
      return { physicalId: api.id, attributes: { RootResourceId: api.rootResourceId, RestApiId: api.id } };
    },
    async update(ctx, physicalId, props) {
      const api = gw.updateRestApi(ctx.region, physicalId, { name: props.Name, description: props.Description ?? '' });
      return { physicalId, attributes: { RootResourceId: api.rootResourceId, RestApiId: api.id } };
    },
    replaceOn: ['EndpointConfiguration'],
    async delete(ctx, physicalId) {
      quietly(() => gw.deleteRestApi(ctx.region, physicalId));
    },
  };

  const resource: ResourceProvider = {
    type: 'AWS::ApiGateway::Resource',
    async create(ctx, props) {
      const r = gw.createResource(ctx.region, props.RestApiId, props.ParentId, props.PathPart);
      return { physicalId: r.id, attributes: { ResourceId: r.id } };
    },
    async delete(ctx, physicalId, props) {
      quietly(() => gw.deleteResource(ctx.region, props.RestApiId, physicalId));
    },
  };

  const method: ResourceProvider = {
    type: 'AWS::ApiGateway::Method',
    replaceOn: ['RestApiId', 'ResourceId', 'HttpMethod'],
    async create(ctx, props) {
      putMethod(gw, ctx, props);
      return { physicalId: `${props.RestApiId}-${props.ResourceId}-${String(props.HttpMethod).toUpperCase()}`, attributes: {} };
    },
    async update(ctx, physicalId, props) {
      quietly(() => gw.deleteMethod(ctx.region, props.RestApiId, props.ResourceId, String(props.HttpMethod).toUpperCase()));
      putMethod(gw, ctx, props);
      return { physicalId, attributes: {} };
    },
    async delete(ctx, _physicalId, props) {
      quietly(() => gw.deleteMethod(ctx.region, props.RestApiId, props.ResourceId, String(props.HttpMethod).toUpperCase()));
    },
  };

  const deployment: ResourceProvider = {
    type: 'AWS::ApiGateway::Deployment',
    async create(ctx, props) {
      const d = gw.createDeployment(ctx.region, props.RestApiId, {
        stageName: props.StageName,
        description: props.Description,
        stageDescription: props.StageDescription?.Description,
        variables: props.StageDescription?.Variables,
      });
      return { physicalId: d.id, attributes: { DeploymentId: d.id } };
    },
    // A deployment belongs to the stage it created: deleting it takes that stage along,
    // unless the stage has since moved to another deployment.
    async delete(ctx, physicalId, props) {
      if (props.StageName) {
        quietly(() => {
          if (gw.getStage(ctx.region, props.RestApiId, props.StageName).deploymentId === physicalId) {
            gw.deleteStage(ctx.region, props.RestApiId, props.StageName);
          }
        });
      }
      quietly(() => gw.deleteDeployment(ctx.region, props.RestApiId, physicalId));
    },
  };

  const stage: ResourceProvider = {
    type: 'AWS::ApiGateway::Stage',
    replaceOn: ['RestApiId', 'StageName'],
    async create(ctx, props) {
      const s = gw.createStage(ctx.region, props.RestApiId, {
        stageName: props.StageName,
        deploymentId: props.DeploymentId,
        description: props.Description,
        variables: props.Variables,
      });
      return { physicalId: s.stageName, attributes: {} };
    },
    async update(ctx, physicalId, props, oldProps) {
      const ops: Array<{ op: 'replace' | 'remove'; path: string; value?: string }> = [
        { op: 'replace', path: '/deploymentId', value: props.DeploymentId },
        { op: 'replace', path: '/description', value: props.Description ?? '' },
      ];
      for (const key of Object.keys(oldProps.Variables ?? {})) ops.push({ op: 'remove', path: `/variables/${key}` });
      for (const [key, value] of Object.entries(props.Variables ?? {})) ops.push({ op: 'replace', path: `/variables/${key}`, value: String(value) });
      gw.updateStage(ctx.region, props.RestApiId, physicalId, ops);
      return { physicalId, attributes: {} };
    },
    async delete(ctx, physicalId, props) {
      quietly(() => gw.deleteStage(ctx.region, props.RestApiId, physicalId));
    },
  };

  return [restApi, resource, method, deployment, stage];
}
