// Where each group of actions may act, and under which conditions. Resources are exact names from
// the stage's plan wherever AWS lets a policy name them. Where the id is random (REST APIs,
// certificates, distributions) the stage's tags (stack tags that CloudFormation propagates:
// regionctl:service, regionctl:stage) decide instead. `*` and `hostedzone/*`/`healthcheck/*`
// appear only where AWS offers no finer scope; each case says so.
// Names that are the stage's alone (functions, log groups, tables, the stage's stacks) take any
// region (`*`): every region would only repeat the same names, and IAM caps a managed policy at
// 6,144 characters. Shared names (the toolkit stack) stay per configured region.

import { artifactPrefix, EDGE_REGION, eventTopicName, functionName, globalTableName, objectsTopicName, replicationBucketPrefix, stackName, stageMarkerKey, TOOLKIT_BUCKET_PREFIX } from '../stage/names.js';
import { STACK_KINDS } from '../stage/kinds.js';
import { deployOrder } from '../stage/plan.js';
import {
  accountOf,
  alarmName,
  boundaryArn,
  canaryRuleName,
  certificateRegions,
  functionNames,
  globalRecordName,
  healthTablePrefix,
  logGroupNames,
  partitionOf,
  plannedStacks,
  regionalRecordName,
  rolePath,
  type PolicyTarget,
} from './target.js';

export type Scope =
  | 'stacks'
  | 'accountWide'
  | 'regionOptStatus'
  | 'toolkitBucket'
  | 'toolkitObjects'
  | 'artifacts'
  | 'stageMarker'
  | 'functions'
  | 'roles'
  | 'rolesWithBoundary'
  | 'passRoles'
  | 'logGroups'
  | 'logGroupsDescribe'
  | 'healthTables'
  | 'restApiList'
  | 'restApiCreate'
  | 'restApis'
  | 'domainNameCreate'
  | 'domainName'
  | 'alarms'
  | 'rules'
  | 'hostedZone'
  | 'hostedZoneCreate'
  | 'serviceRecords'
  | 'validationRecords'
  | 'changes'
  | 'healthChecks'
  | 'healthCheckCreate'
  | 'configuredCertificates'
  | 'certificateRequest'
  | 'certificates'
  | 'certificateTagOnCreate'
  | 'distributionCreate'
  | 'distributions'
  | 'distributionTagOnCreate'
  | 'replicationBuckets'
  | 'replicationObjects'
  | 'viewTables'
  | 'topics'
  | 'globalTable'
  | 'globalTableReplicationRole'
  | 'globalTableWitness'
  | 'eventTopics'
  | 'eventSourceMappingCreate'
  | 'eventSourceMappings';

export type Condition = Record<string, Record<string, string | string[]>>;

export interface ScopeSpec {
  sid: string;
  resources: string[];
  condition?: Condition;
}

export const TAG_SERVICE = 'regionctl:service';
export const TAG_STAGE = 'regionctl:stage';

const tagCondition = (prefix: 'aws:ResourceTag' | 'aws:RequestTag', t: PolicyTarget): Record<string, string> => ({
  [`${prefix}/${TAG_SERVICE}`]: t.service,
  [`${prefix}/${TAG_STAGE}`]: t.stage,
});

// A resource being created carries no tags yet: tagging it is allowed only with the stage's tags and
// only while it has no stage tag, so a stage can never re-tag (take over) another stage's resource.
const tagOnCreate = (t: PolicyTarget): Condition => ({
  StringEquals: tagCondition('aws:RequestTag', t),
  Null: { [`aws:ResourceTag/${TAG_STAGE}`]: 'true' },
});

const stringMatch = (value: string): 'StringEquals' | 'StringLike' => (value.includes('*') ? 'StringLike' : 'StringEquals');

/** Whether the stage's plan has replication stacks. */
const replicates = (t: PolicyTarget): boolean => deployOrder(t.plan).some((s) => s.kind === 'replication');

/** Resources and conditions of one scope for one stage; null when the stage's plan never needs it. */
export function scopeSpec(scope: Scope, t: PolicyTarget): ScopeSpec | null {
  const p = partitionOf(t);
  const a = accountOf(t);
  const stacks = plannedStacks(t);
  const serviceRegions = t.regions;
  // Buckets without a BucketName are named <stack>-<logical id>-<random>, lower-cased. The toolkit is
  // shared by every stage in a region, so the bucket is not the stage's alone.
  const bucket = `arn:${p}:s3:::${TOOLKIT_BUCKET_PREFIX}*`;
  const zone = `arn:${p}:route53:::hostedzone/${t.hostedZoneId ?? '*'}`;
  switch (scope) {
    case 'stacks':
      return {
        sid: 'StageStacks',
        // destroy also looks for the stacks of kinds regionctl.yml turns off (made under an earlier setting).
        resources: [
          ...new Set([
            ...stacks.map((s) => `arn:${p}:cloudformation:${s.shared ? s.region : '*'}:${a}:stack/${s.name}/*`),
            ...STACK_KINDS.filter((k) => !k.shared).map((k) => `arn:${p}:cloudformation:*:${a}:stack/${stackName(k.kind, t)}/*`),
          ]),
        ],
      };
    case 'accountWide':
      // Account-level reads and quotas: AWS authorises these only on "*" (ListStacks,
      // DescribeAccountLimits, GetAccountSettings, ListHostedZonesByName, GetAccountLimit, TestDNSAnswer,
      // GetServiceQuota).
      return { sid: 'AccountLevelReads', resources: ['*'] };
    case 'regionOptStatus':
      return { sid: 'RegionOptStatus', resources: [`arn:${p}:account::${a}:account`] };
    case 'toolkitBucket':
      return { sid: 'ToolkitBucket', resources: [bucket] };
    case 'toolkitObjects':
      // Emptying the shared bucket before its stack is deleted, which destroy does only when no
      // stage's marker is left in it.
      return { sid: 'EmptyToolkitBucket', resources: [`${bucket}/*`] };
    case 'artifacts':
      // Each stage uploads its Lambda zips under its own prefix, so one stage can never replace
      // another's code (deploy also verifies every zip's SHA-256 before using it).
      return { sid: 'LambdaArtifacts', resources: [`${bucket}/${artifactPrefix(t)}lambdas/*`] };
    case 'stageMarker':
      return { sid: 'StageMarker', resources: [`${bucket}/${stageMarkerKey(t)}`] };
    case 'functions':
      return { sid: 'StageFunctions', resources: functionNames(t).map((f) => `arn:${p}:lambda:*:${a}:function:${f}`) };
    case 'roles':
      return { sid: 'StageRoles', resources: [`arn:${p}:iam::${a}:role${rolePath(t)}*`] };
    case 'rolesWithBoundary': {
      const arn = boundaryArn(t);
      // Without this condition CreateRole + PutRolePolicy + PassRole is a path to administrator.
      return { sid: 'StageRolesOnlyWithBoundary', resources: [`arn:${p}:iam::${a}:role${rolePath(t)}*`], condition: { [stringMatch(arn)]: { 'iam:PermissionsBoundary': arn } } };
    }
    case 'passRoles':
      return {
        sid: 'PassStageRolesToLambda',
        resources: [`arn:${p}:iam::${a}:role${rolePath(t)}*`],
        // topology s3: PutBucketReplication passes the replication role to S3.
        condition: { StringEquals: { 'iam:PassedToService': t.replication?.topology === 's3' ? ['lambda.amazonaws.com', 's3.amazonaws.com'] : 'lambda.amazonaws.com' } },
      };
    case 'logGroups': {
      // Each function's own group (deploy removes a leftover one before its stack creates it), and
      // every group a planned template names.
      const groups = [...new Set([...functionNames(t).map((f) => `/aws/lambda/${f}`), ...logGroupNames(t)])];
      return { sid: 'StageLogGroups', resources: groups.flatMap((g) => [`arn:${p}:logs:*:${a}:log-group:${g}`, `arn:${p}:logs:*:${a}:log-group:${g}:*`]) };
    }
    case 'logGroupsDescribe':
      // DescribeLogGroups is authorised on the region's log groups as a whole.
      return { sid: 'DescribeLogGroups', resources: [`arn:${p}:logs:*:${a}:log-group:*`] };
    case 'healthTables':
      // The health tables, and the global table's stack (CloudFormation creates it in the primary region).
      return {
        sid: 'HealthTables',
        resources: [`arn:${p}:dynamodb:*:${a}:table/${healthTablePrefix(t)}*`, ...(t.table ? [`arn:${p}:dynamodb:${t.primaryRegion}:${a}:table/${globalTableName(t)}`] : [])],
      };
    case 'globalTable':
      if (!t.table) return null;
      // The replicas are the same table name in every configured region; adding one needs the item
      // and table actions in the new region (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2gt_IAM.html).
      return { sid: 'GlobalTable', resources: t.regions.map((r) => `arn:${p}:dynamodb:${r}:${a}:table/${globalTableName(t)}`) };
    case 'globalTableReplicationRole':
      if (!t.table) return null;
      // The first global table of an account makes DynamoDB create its replication service-linked role.
      return {
        sid: 'GlobalTableReplicationRole',
        resources: [`arn:${p}:iam::${a}:role/aws-service-role/replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication`],
        condition: { StringEquals: { 'iam:AWSServiceName': 'replication.dynamodb.amazonaws.com' } },
      };
    case 'globalTableWitness':
      if (t.table?.consistency !== 'strong' || !t.table.witness) return null;
      return { sid: 'GlobalTableWitness', resources: [`arn:${p}:dynamodb:${t.table.witness}:${a}:table/${globalTableName(t)}`] };
    case 'eventTopics':
      if (!t.table) return null;
      // Each region's event topic, and its subscriptions (TOPIC_ARN:<id>).
      return { sid: 'EventTopics', resources: [`arn:${p}:sns:*:${a}:${eventTopicName(t)}`, `arn:${p}:sns:*:${a}:${eventTopicName(t)}:*`] };
    case 'eventSourceMappingCreate':
      if (!t.table) return null;
      // CreateEventSourceMapping is authorised on "*" (the mapping's id is made by the call), for the named function only.
      return { sid: 'CreateTriggerMappings', resources: ['*'], condition: { ArnLike: { 'lambda:FunctionArn': `arn:${p}:lambda:*:${a}:function:${functionName(t, 'trigger')}` } } };
    case 'eventSourceMappings':
      if (!t.table) return null;
      // Mapping ids are random; the function they belong to is the condition AWS offers.
      return {
        sid: 'TriggerMappings',
        resources: [`arn:${p}:lambda:*:${a}:event-source-mapping:*`],
        condition: { ArnLike: { 'lambda:FunctionArn': `arn:${p}:lambda:*:${a}:function:${functionName(t, 'trigger')}` } },
      };
    case 'restApiList':
      // The collection only (doctor counts REST APIs); no API itself.
      return { sid: 'ListRestApis', resources: [`arn:${p}:apigateway:*::/restapis`] };
    case 'restApiCreate':
      return { sid: 'CreateTaggedRestApis', resources: [`arn:${p}:apigateway:*::/restapis`], condition: { StringEquals: tagCondition('aws:RequestTag', t) } };
    case 'restApis':
      // REST API ids are random; their resources, methods, deployments and stages inherit the API's
      // tags for authorisation (API Gateway "Tag inheritance"), so the stage tag scopes all of them.
      return { sid: 'StageRestApis', resources: [`arn:${p}:apigateway:*::/restapis/*`], condition: { StringEquals: tagCondition('aws:ResourceTag', t) } };
    case 'domainNameCreate':
      return { sid: 'CreateTaggedDomainName', resources: [`arn:${p}:apigateway:*::/domainnames`], condition: { StringEquals: tagCondition('aws:RequestTag', t) } };
    case 'domainName':
      return {
        sid: 'StageDomainName',
        resources: [`arn:${p}:apigateway:*::/domainnames/${regionalRecordName(t)}`, `arn:${p}:apigateway:*::/domainnames/${regionalRecordName(t)}/*`],
      };
    case 'alarms':
      return { sid: 'StageAlarms', resources: serviceRegions.map((r) => `arn:${p}:cloudwatch:*:${a}:alarm:${alarmName(t, r)}`) };
    case 'rules':
      return { sid: 'CanarySchedules', resources: [`arn:${p}:events:*:${a}:rule/${canaryRuleName(t)}`] };
    case 'hostedZone':
      // Route 53 has no tag-based conditions; the zone id is only known once the zone exists
      // (`regionctl iam-policy --hosted-zone-id` names it). Record changes are limited by name below.
      return { sid: 'HostedZoneReads', resources: [zone] };
    case 'hostedZoneCreate':
      if (!t.createZone) return null;
      // CreateHostedZone cannot be scoped: the zone does not exist yet.
      return { sid: 'CreateHostedZone', resources: ['*'] };
    case 'serviceRecords': {
      const names = [regionalRecordName(t), ...(t.cdn ? [globalRecordName(t)] : [])];
      return {
        sid: 'StageRecords',
        resources: [zone],
        condition: {
          'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': names, 'route53:ChangeResourceRecordSetsRecordTypes': ['A'] },
        },
      };
    }
    case 'validationRecords':
      if (certificateRegions(t).length === 0) return null;
      // ACM's DNS validation records are _<random>.<name>: the names are not known in advance.
      return {
        sid: 'CertificateValidationRecords',
        resources: [zone],
        condition: {
          'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [`_*.${t.zone}`] },
          'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'] },
        },
      };
    case 'changes':
      // Change ids are random and carry no tags.
      return { sid: 'Route53Changes', resources: [`arn:${p}:route53:::change/*`] };
    case 'healthChecks':
      // Health-check ids are random and Route 53 supports no tag conditions: AWS offers no finer scope.
      return { sid: 'HealthChecks', resources: [`arn:${p}:route53:::healthcheck/*`] };
    case 'healthCheckCreate':
      return { sid: 'CreateHealthChecks', resources: ['*'] };
    case 'configuredCertificates': {
      const arns = [...new Set(Object.values(t.certificateArns))].sort();
      return arns.length === 0 ? null : { sid: 'ConfiguredCertificates', resources: arns };
    }
    case 'certificateRequest': {
      const created = certificateRegions(t);
      if (created.length === 0) return null;
      // service.yml asks for *.<zone> in each region without a configured certificate; edge.yml for
      // <service>.<zone> in us-east-1.
      const domains = [
        ...(t.regions.some((r) => !t.certificateArns[r]) ? [`*.${t.zone}`] : []),
        ...(t.cdn && !t.certificateArns[EDGE_REGION] ? [`${t.service}.${t.zone}`] : []),
      ];
      // RequestCertificate is authorised on "*" (the id is made by the call); the domain names,
      // validation method and stage tags are what can be required.
      return {
        sid: 'RequestStageCertificates',
        resources: ['*'],
        condition: {
          'ForAllValues:StringEquals': { 'acm:DomainNames': domains },
          StringEquals: { 'acm:ValidationMethod': 'DNS', ...tagCondition('aws:RequestTag', t) },
        },
      };
    }
    case 'certificates': {
      const created = certificateRegions(t);
      if (created.length === 0) return null;
      return { sid: 'StageCertificates', resources: [`arn:${p}:acm:*:${a}:certificate/*`], condition: { StringEquals: tagCondition('aws:ResourceTag', t) } };
    }
    case 'certificateTagOnCreate': {
      const created = certificateRegions(t);
      if (created.length === 0) return null;
      return { sid: 'TagNewStageCertificates', resources: [`arn:${p}:acm:*:${a}:certificate/*`], condition: tagOnCreate(t) };
    }
    case 'distributionCreate':
      // Distribution ids are random; CloudFront ARNs carry no region.
      return { sid: 'CreateTaggedDistribution', resources: [`arn:${p}:cloudfront::${a}:distribution/*`], condition: { StringEquals: tagCondition('aws:RequestTag', t) } };
    case 'distributions':
      return { sid: 'StageDistribution', resources: [`arn:${p}:cloudfront::${a}:distribution/*`], condition: { StringEquals: tagCondition('aws:ResourceTag', t) } };
    case 'distributionTagOnCreate':
      return { sid: 'TagNewStageDistribution', resources: [`arn:${p}:cloudfront::${a}:distribution/*`], condition: tagOnCreate(t) };
    case 'replicationBuckets':
      // Every region's bucket is <prefix>-<region>-<account>; the prefix ends in a hash of service and stage.
      return replicates(t) ? { sid: 'ReplicationBuckets', resources: [`arn:${p}:s3:::${replicationBucketPrefix(t)}-*`] } : null;
    case 'replicationObjects':
      // replication heal backfills missing objects; destroy empties the buckets before their stacks go.
      return replicates(t) ? { sid: 'ReplicationObjects', resources: [`arn:${p}:s3:::${replicationBucketPrefix(t)}-*/*`] } : null;
    case 'viewTables':
      return replicates(t) ? { sid: 'ReplicationViewTables', resources: [`arn:${p}:dynamodb:*:${a}:table/${stackName('replication', t)}-ViewTable-*`] } : null;
    case 'topics': {
      if (!replicates(t)) return null;
      const topic = `arn:${p}:sns:*:${a}:${objectsTopicName(t)}`;
      return { sid: 'ReplicationTopics', resources: [topic, `${topic}:*`] };
    }
  }
}
