// The persisted shape of API Gateway (REST, v1) state. Times are epoch ms; the wire uses epoch seconds.

export interface IntegrationRecord {
  type: string;
  httpMethod?: string;
  uri?: string;
  passthroughBehavior: string;
  timeoutInMillis: number;
  cacheNamespace: string;
  cacheKeyParameters: string[];
}

export interface MethodRecord {
  httpMethod: string;
  authorizationType: string;
  apiKeyRequired: boolean;
  methodIntegration?: IntegrationRecord;
}

export interface ResourceRecord {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  resourceMethods: Record<string, MethodRecord>;
}

export interface DeploymentRecord {
  id: string;
  description?: string;
  createdDate: number;
  /** The resource tree as it was at deployment time: later edits are not live until redeployed. */
  resources: ResourceRecord[];
}

export interface StageRecord {
  stageName: string;
  deploymentId: string;
  description?: string;
  variables: Record<string, string>;
  methodSettings: Record<string, unknown>;
  createdDate: number;
  lastUpdatedDate: number;
}

export interface ApiRecord {
  id: string;
  name: string;
  description?: string;
  createdDate: number;
  endpointConfiguration: { types: string[] };
  rootResourceId: string;
  resources: Record<string, ResourceRecord>;
  deployments: Record<string, DeploymentRecord>;
  stages: Record<string, StageRecord>;
}

export interface ApiGatewayState {
  regions: Record<string, { apis: Record<string, ApiRecord> }>;
}
