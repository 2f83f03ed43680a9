import { z } from 'zod';
import { AwsError } from '../aws-error.js';
import { defineResource } from '../cloudformation/resource-properties.js';
import { cfnBoolean, cfnIgnoredList, cfnIgnoredObject, cfnInteger, cfnJson, cfnMap, cfnNumber, cfnString, cfnStrings, cfnTags } from '../cloudformation/property-types.js';
import type { ResourceContext, ResourceProvider } from '../types.js';
import type { ApiGatewayDomain } from './domain.js';

// The types' full property sets, from the CloudFormation reference:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-restapi.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-resource.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-method.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-deployment.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-stage.html
const stringMap = () => cfnMap(cfnString());
const restApiProperties = z.strictObject({
  ApiKeySourceType: cfnString().optional(),
  BinaryMediaTypes: cfnStrings().optional(),
  Body: cfnJson().optional(),
  BodyS3Location: cfnIgnoredObject().optional(),
  CloneFrom: cfnString().optional(),
  Description: cfnString().optional(),
  DisableExecuteApiEndpoint: cfnBoolean().optional(),
  EndpointAccessMode: cfnString().optional(),
  EndpointConfiguration: z.strictObject({ IpAddressType: cfnString().optional(), Types: cfnStrings().optional(), VpcEndpointIds: cfnStrings().optional() }).optional(),
  FailOnWarnings: cfnBoolean().optional(),
  MinimumCompressionSize: cfnInteger().optional(),
  Mode: cfnString().optional(),
  Name: cfnString().optional(),
  Parameters: stringMap().optional(),
  Policy: cfnJson().optional(),
  SecurityPolicy: cfnString().optional(),
  Tags: cfnTags().optional(),
});
const resourceProperties = z.strictObject({ ParentId: cfnString(), PathPart: cfnString(), RestApiId: cfnString() });
const methodProperties = z.strictObject({
  ApiKeyRequired: cfnBoolean().optional(),
  AuthorizationScopes: cfnStrings().optional(),
  AuthorizationType: cfnString().optional(),
  AuthorizerId: cfnString().optional(),
  HttpMethod: cfnString(),
  Integration: z
    .strictObject({
      CacheKeyParameters: cfnStrings().optional(),
      CacheNamespace: cfnString().optional(),
      ConnectionId: cfnString().optional(),
      ConnectionType: cfnString().optional(),
      ContentHandling: cfnString().optional(),
      Credentials: cfnString().optional(),
      IntegrationHttpMethod: cfnString().optional(),
      IntegrationResponses: cfnIgnoredList().optional(),
      IntegrationTarget: cfnString().optional(),
      PassthroughBehavior: cfnString().optional(),
      RequestParameters: stringMap().optional(),
      RequestTemplates: stringMap().optional(),
      ResponseTransferMode: cfnString().optional(),
      TimeoutInMillis: cfnInteger().optional(),
      Type: cfnString(),
      Uri: cfnString().optional(),
    })
    .optional(),
  MethodResponses: cfnIgnoredList().optional(),
  OperationName: cfnString().optional(),
  RequestModels: stringMap().optional(),
  RequestParameters: cfnMap(cfnBoolean()).optional(),
  RequestValidatorId: cfnString().optional(),
  ResourceId: cfnString(),
  RestApiId: cfnString(),
});
const stageSettings = {
  AccessLogSetting: cfnIgnoredObject().optional(),
  CacheClusterEnabled: cfnBoolean().optional(),
  CacheClusterSize: cfnString().optional(),
  CanarySetting: cfnIgnoredObject().optional(),
  ClientCertificateId: cfnString().optional(),
  Description: cfnString().optional(),
  DocumentationVersion: cfnString().optional(),
  MethodSettings: cfnIgnoredList().optional(),
  Tags: cfnTags().optional(),
  TracingEnabled: cfnBoolean().optional(),
  Variables: stringMap().optional(),
};
const deploymentProperties = z.strictObject({
  DeploymentCanarySettings: cfnIgnoredObject().optional(),
  Description: cfnString().optional(),
  RestApiId: cfnString(),
  StageDescription: z
    .strictObject({
      ...stageSettings,
      CacheDataEncrypted: cfnBoolean().optional(),
      CacheTtlInSeconds: cfnInteger().optional(),
      CachingEnabled: cfnBoolean().optional(),
      DataTraceEnabled: cfnBoolean().optional(),
      LoggingLevel: cfnString().optional(),
      MetricsEnabled: cfnBoolean().optional(),
      ThrottlingBurstLimit: cfnInteger().optional(),
      ThrottlingRateLimit: cfnNumber().optional(),
    })
    .optional(),
  StageName: cfnString().optional(),
});
const stageProperties = z.strictObject({ ...stageSettings, DeploymentId: cfnString().optional(), RestApiId: cfnString(), StageName: cfnString().optional() });

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

function putMethod(gw: ApiGatewayDomain, ctx: ResourceContext, props: z.infer<typeof methodProperties>): void {
  const method = props.HttpMethod.toUpperCase();
  gw.putMethod(ctx.region, props.RestApiId, props.ResourceId, method, {
    authorizationType: props.AuthorizationType ?? 'NONE',
    apiKeyRequired: props.ApiKeyRequired ?? false,
  });
  const integration = props.Integration;
  if (integration) {
    gw.putIntegration(ctx.region, props.RestApiId, props.ResourceId, method, {
      type: integration.Type,
      integrationHttpMethod: integration.IntegrationHttpMethod,
      uri: integration.Uri,
      timeoutInMillis: integration.TimeoutInMillis,
    });
  }
}

export function apiGatewayResources(gw: ApiGatewayDomain): ResourceProvider[] {
  const restApi = defineResource({
    type: 'AWS::ApiGateway::RestApi',
    properties: restApiProperties,
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
  });

  const resource = defineResource({
    type: 'AWS::ApiGateway::Resource',
    properties: resourceProperties,
    async create(ctx, props) {
      const r = gw.createResource(ctx.region, props.RestApiId, props.ParentId, props.PathPart);
      return { physicalId: r.id, attributes: { ResourceId: r.id } };
    },
    async delete(ctx, physicalId, props) {
      quietly(() => gw.deleteResource(ctx.region, props.RestApiId, physicalId));
    },
  });

  const method = defineResource({
    type: 'AWS::ApiGateway::Method',
    properties: methodProperties,
    replaceOn: ['RestApiId', 'ResourceId', 'HttpMethod'],
    async create(ctx, props) {
      putMethod(gw, ctx, props);
      return { physicalId: `${props.RestApiId}-${props.ResourceId}-${props.HttpMethod.toUpperCase()}`, attributes: {} };
    },
    async update(ctx, physicalId, props) {
      quietly(() => gw.deleteMethod(ctx.region, props.RestApiId, props.ResourceId, props.HttpMethod.toUpperCase()));
      putMethod(gw, ctx, props);
      return { physicalId, attributes: {} };
    },
    async delete(ctx, _physicalId, props) {
      quietly(() => gw.deleteMethod(ctx.region, props.RestApiId, props.ResourceId, props.HttpMethod.toUpperCase()));
    },
  });

  const deployment = defineResource({
    type: 'AWS::ApiGateway::Deployment',
    properties: deploymentProperties,
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
      const stageName = props.StageName;
      if (stageName) {
        quietly(() => {
          if (gw.getStage(ctx.region, props.RestApiId, stageName).deploymentId === physicalId) {
            gw.deleteStage(ctx.region, props.RestApiId, stageName);
          }
        });
      }
      quietly(() => gw.deleteDeployment(ctx.region, props.RestApiId, physicalId));
    },
  });

  const stage = defineResource({
    type: 'AWS::ApiGateway::Stage',
    properties: stageProperties,
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
      for (const [key, value] of Object.entries(props.Variables ?? {})) ops.push({ op: 'replace', path: `/variables/${key}`, value });
      gw.updateStage(ctx.region, props.RestApiId, physicalId, ops);
      return { physicalId, attributes: {} };
    },
    async delete(ctx, physicalId, props) {
      quietly(() => gw.deleteStage(ctx.region, props.RestApiId, physicalId));
    },
  });

  return [restApi, resource, method, deployment, stage];
}
