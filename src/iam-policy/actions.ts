import type { Scope } from './scopes.js';

/** Actions on one scope. */
export interface Grant {
  scope: Scope;
  actions: string[];
}

const g = (scope: Scope, ...actions: string[]): Grant => ({ scope, actions });

/**
 * Every SDK command regionctl itself sends (outside the local cloud and the Lambda handlers), keyed by
 * `<client package suffix>:<CommandName>`, and nothing else: test/iam-policy/coverage.test.ts greps src/
 * and fails both when a sent command is missing here and when an entry here is no longer sent.
 * STS GetCallerIdentity needs no permission (AWS answers it for any valid key).
 */
export const SDK_COMMAND_GRANTS: Record<string, Grant[]> = {
  'sts:GetCallerIdentityCommand': [],
  'account:GetRegionOptStatusCommand': [g('regionOptStatus', 'account:GetRegionOptStatus')],
  // doctor describes only the certificates regionctl.yml names.
  'acm:DescribeCertificateCommand': [g('configuredCertificates', 'acm:DescribeCertificate')],
  'api-gateway:GetRestApisCommand': [g('restApiList', 'apigateway:GET')],
  'cloudformation:ContinueUpdateRollbackCommand': [g('stacks', 'cloudformation:ContinueUpdateRollback')],
  'cloudformation:CreateChangeSetCommand': [g('stacks', 'cloudformation:CreateChangeSet')],
  'cloudformation:ListChangeSetsCommand': [g('stacks', 'cloudformation:ListChangeSets')],
  'cloudformation:DeleteChangeSetCommand': [g('stacks', 'cloudformation:DeleteChangeSet')],
  'cloudformation:DeleteStackCommand': [g('stacks', 'cloudformation:DeleteStack')],
  'cloudformation:DescribeChangeSetCommand': [g('stacks', 'cloudformation:DescribeChangeSet')],
  'cloudformation:DescribeStackEventsCommand': [g('stacks', 'cloudformation:DescribeStackEvents')],
  'cloudformation:DescribeStacksCommand': [g('stacks', 'cloudformation:DescribeStacks')],
  'cloudformation:ExecuteChangeSetCommand': [g('stacks', 'cloudformation:ExecuteChangeSet')],
  'cloudformation:GetTemplateCommand': [g('stacks', 'cloudformation:GetTemplate')],
  'cloudformation:DescribeAccountLimitsCommand': [g('accountWide', 'cloudformation:DescribeAccountLimits')],
  'cloudformation:ListStacksCommand': [g('accountWide', 'cloudformation:ListStacks')],
  // deploy removes a leftover /aws/lambda/<fn> log group of its own function before its stack creates it.
  'cloudwatch-logs:DeleteLogGroupCommand': [g('logGroups', 'logs:DeleteLogGroup')],
  'cloudwatch-logs:DescribeLogGroupsCommand': [g('logGroupsDescribe', 'logs:DescribeLogGroups')],
  'cloudwatch:DescribeAlarmsCommand': [g('alarms', 'cloudwatch:DescribeAlarms')],
  'lambda:GetAccountSettingsCommand': [g('accountWide', 'lambda:GetAccountSettings')],
  'lambda:GetFunctionConfigurationCommand': [g('functions', 'lambda:GetFunctionConfiguration')],
  'lambda:UpdateFunctionConfigurationCommand': [g('functions', 'lambda:UpdateFunctionConfiguration')],
  // status and drills invoke each region's canary as its vantage point (src/observe/vantage.ts).
  // status and drills invoke each region's canary (its vantage point); regionctl invoke any of the stage's functions.
  'lambda:InvokeCommand': [g('functions', 'lambda:InvokeFunction')],
  // status and drills read a CALCULATED check (type both) through its children.
  'route-53:GetHealthCheckCommand': [g('healthChecks', 'route53:GetHealthCheck')],
  'route-53:GetHealthCheckStatusCommand': [g('healthChecks', 'route53:GetHealthCheckStatus')],
  // destroy removes the ACM validation CNAMEs CloudFormation left in the zone it created, before the zone.
  'route-53:ChangeResourceRecordSetsCommand': [g('validationRecords', 'route53:ChangeResourceRecordSets')],
  // doctor compares the zone's name servers with the ones its parent delegates to.
  'route-53:GetHostedZoneCommand': [g('hostedZone', 'route53:GetHostedZone')],
  // status checks that each region's latency record is really in the zone.
  'route-53:ListResourceRecordSetsCommand': [g('hostedZone', 'route53:ListResourceRecordSets')],
  'route-53:ListHostedZonesByNameCommand': [g('accountWide', 'route53:ListHostedZonesByName')],
  'route-53:GetAccountLimitCommand': [g('accountWide', 'route53:GetAccountLimit')],
  'route-53:TestDNSAnswerCommand': [g('accountWide', 'route53:TestDNSAnswer')],
  // doctor reads the account's REST API quota; GetServiceQuota takes no resource-level scope.
  'service-quotas:GetServiceQuotaCommand': [g('accountWide', 'servicequotas:GetServiceQuota')],
  // HeadObject is authorised as GetObject, and S3 answers 403 instead of 404 for a missing key unless
  // the caller may list the bucket: deploy tells "not uploaded yet" from 404, so it needs ListBucket.
  's3:HeadObjectCommand': [g('artifacts', 's3:GetObject'), g('toolkitBucket', 's3:ListBucket')],
  's3:PutObjectCommand': [g('artifacts', 's3:PutObject'), g('stageMarker', 's3:PutObject'), g('replicationObjects', 's3:PutObject')],
  's3:ListObjectsV2Command': [g('toolkitBucket', 's3:ListBucket'), g('replicationBuckets', 's3:ListBucket')],
  // HeadBucket needs s3:ListBucket (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html): drill replication --buckets checks each bucket exists.
  's3:HeadBucketCommand': [g('replicationBuckets', 's3:ListBucket')],
  // replication heal copies what a region missed from a bucket that has it.
  's3:GetObjectCommand': [g('replicationObjects', 's3:GetObject')],
  // DeleteObjects is authorised per key: the stage's marker, or every version when emptying the bucket.
  's3:DeleteObjectsCommand': [
    g('stageMarker', 's3:DeleteObject'),
    g('toolkitObjects', 's3:DeleteObject', 's3:DeleteObjectVersion'),
    g('replicationObjects', 's3:DeleteObject', 's3:DeleteObjectVersion'),
  ],
  's3:ListObjectVersionsCommand': [g('toolkitBucket', 's3:ListBucketVersions'), g('replicationBuckets', 's3:ListBucketVersions')],
  // deploy reads the global table in every region (replica status, each replica's stream ARN); drills too.
  'dynamodb:DescribeTableCommand': [g('globalTable', 'dynamodb:DescribeTable')],
  // Adding a replica is authorised as UpdateTable in the table's region and, in the new region, the
  // table and item actions DynamoDB performs for the caller; removing one as DeleteTable(Replica):
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2gt_IAM.html
  'dynamodb:UpdateTableCommand': [
    g('globalTable', 'dynamodb:UpdateTable', 'dynamodb:CreateTable', 'dynamodb:CreateTableReplica', 'dynamodb:DeleteTable', 'dynamodb:DeleteTableReplica', 'dynamodb:Scan',
      'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'),
    g('globalTableReplicationRole', 'iam:CreateServiceLinkedRole'),
    g('globalTableWitness', 'dynamodb:CreateGlobalTableWitness', 'dynamodb:DeleteGlobalTableWitness'),
  ],
  // drill replication: canary items written in every region and looked for in every other.
  'dynamodb:PutItemCommand': [g('globalTable', 'dynamodb:PutItem')],
  'dynamodb:BatchGetItemCommand': [g('globalTable', 'dynamodb:BatchGetItem')],
  // drill replication counts the events each trigger logged as published.
  'cloudwatch-logs:FilterLogEventsCommand': [g('logGroups', 'logs:FilterLogEvents')],
  // drill replication reads ReplicationLatency; CloudWatch metrics take no resource-level scope.
  'cloudwatch:GetMetricStatisticsCommand': [g('accountWide', 'cloudwatch:GetMetricStatistics')],
  // drill replication waits for each trigger's mapping to be Enabled; the list takes no resource-level scope.
  'lambda:ListEventSourceMappingsCommand': [g('accountWide', 'lambda:ListEventSourceMappings')],
};

const BUCKET_ACTIONS = [
  's3:CreateBucket', 's3:DeleteBucket', 's3:ListBucket', 's3:PutEncryptionConfiguration', 's3:GetEncryptionConfiguration',
  's3:PutBucketPublicAccessBlock', 's3:GetBucketPublicAccessBlock', 's3:PutBucketVersioning', 's3:GetBucketVersioning', 's3:PutBucketTagging', 's3:GetBucketTagging',
];

const TABLE_ACTIONS = [
  'dynamodb:CreateTable', 'dynamodb:DeleteTable', 'dynamodb:DescribeTable', 'dynamodb:UpdateTable', 'dynamodb:TagResource', 'dynamodb:UntagResource',
  'dynamodb:ListTagsOfResource', 'dynamodb:DescribeContinuousBackups', 'dynamodb:DescribeTimeToLive', 'dynamodb:DescribeKinesisStreamingDestination',
  'dynamodb:DescribeContributorInsights', 'dynamodb:GetResourcePolicy',
];

/**
 * What CloudFormation calls, with the caller's credentials (regionctl passes no service role:
 * CreateChangeSet has no RoleARN), for each resource type in the bundled templates: the resource type
 * schemas' `handlers.{create,read,update,delete}.permissions` (CloudFormation registry, DescribeType),
 * narrowed to the properties the templates set (no VPC, KMS, code signing, replicas, logging...).
 * Tag actions are there because the stack's tags propagate to every resource that takes tags.
 */
export const RESOURCE_TYPE_GRANTS: Record<string, Grant[]> = {
  'AWS::S3::Bucket': [
    g('toolkitBucket', ...BUCKET_ACTIONS),
    g('replicationBuckets', ...BUCKET_ACTIONS, 's3:PutBucketNotification', 's3:GetBucketNotification', 's3:PutReplicationConfiguration', 's3:GetReplicationConfiguration'),
  ],
  // The replication bucket also takes notifications (S3 checks the topic's policy with the caller's PutBucketNotification).
  'AWS::S3::BucketPolicy': [
    g('toolkitBucket', 's3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'),
    g('replicationBuckets', 's3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'),
  ],
  'AWS::Lambda::EventSourceMapping': [
    g('eventSourceMappingCreate', 'lambda:CreateEventSourceMapping'),
    g('eventSourceMappings', 'lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping', 'lambda:DeleteEventSourceMapping'),
  ],
  'AWS::DynamoDB::Table': [
    g('healthTables', ...TABLE_ACTIONS),
    g('viewTables', ...TABLE_ACTIONS),
  ],
  'AWS::SNS::Topic': [
    g('topics', 'sns:CreateTopic', 'sns:DeleteTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:TagResource', 'sns:UntagResource', 'sns:ListTagsForResource'),
    g('eventTopics', 'sns:CreateTopic', 'sns:DeleteTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:TagResource', 'sns:UntagResource', 'sns:ListTagsForResource',
      'sns:ListSubscriptionsByTopic'),
  ],
  'AWS::SNS::TopicPolicy': [g('topics', 'sns:SetTopicAttributes', 'sns:GetTopicAttributes')],
  // Subscribing a function: Subscribe on the topic, the rest on the subscription (TOPIC_ARN:id).
  'AWS::SNS::Subscription': [
    g('topics', 'sns:Subscribe', 'sns:Unsubscribe', 'sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes', 'sns:ListSubscriptionsByTopic'),
    g('eventTopics', 'sns:Subscribe', 'sns:Unsubscribe', 'sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes', 'sns:ListSubscriptionsByTopic'),
  ],
  'AWS::Logs::LogGroup': [
    g('logGroups', 'logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:TagResource', 'logs:UntagResource', 'logs:ListTagsForResource'),
    g('logGroupsDescribe', 'logs:DescribeLogGroups'),
  ],
  'AWS::IAM::Role': [
    // No AttachRolePolicy (the templates attach no managed policy) and never DeleteRolePermissionsBoundary.
    g('rolesWithBoundary', 'iam:CreateRole', 'iam:PutRolePolicy', 'iam:PutRolePermissionsBoundary'),
    g('roles', 'iam:GetRole', 'iam:DeleteRole', 'iam:TagRole', 'iam:UntagRole', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy', 'iam:ListRolePolicies',
      'iam:ListAttachedRolePolicies', 'iam:UpdateAssumeRolePolicy'),
  ],
  'AWS::Lambda::Function': [
    g('functions', 'lambda:CreateFunction', 'lambda:DeleteFunction', 'lambda:GetFunction', 'lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionConfiguration', 'lambda:TagResource', 'lambda:UntagResource', 'lambda:ListTags', 'lambda:GetRuntimeManagementConfig',
      'lambda:GetFunctionCodeSigningConfig'),
    // Lambda reads the zip with the caller's credentials and takes the role the caller passes.
    g('artifacts', 's3:GetObject'),
    g('passRoles', 'iam:PassRole'),
  ],
  'AWS::Lambda::Permission': [g('functions', 'lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetPolicy')],
  'AWS::ApiGateway::RestApi': [g('restApiCreate', 'apigateway:POST'), g('restApis', 'apigateway:GET', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE')],
  'AWS::ApiGateway::Resource': [g('restApis', 'apigateway:GET', 'apigateway:POST', 'apigateway:DELETE')],
  'AWS::ApiGateway::Method': [g('restApis', 'apigateway:GET', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE')],
  'AWS::ApiGateway::Deployment': [g('restApis', 'apigateway:GET', 'apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE')],
  'AWS::ApiGateway::Stage': [g('restApis', 'apigateway:GET', 'apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE')],
  'AWS::ApiGateway::DomainName': [g('domainNameCreate', 'apigateway:POST'), g('domainName', 'apigateway:GET', 'apigateway:PATCH', 'apigateway:DELETE')],
  'AWS::ApiGateway::BasePathMapping': [g('domainName', 'apigateway:GET', 'apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE')],
  'AWS::CloudWatch::Alarm': [g('alarms', 'cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource')],
  'AWS::Events::Rule': [
    g('rules', 'events:PutRule', 'events:DeleteRule', 'events:DescribeRule', 'events:PutTargets', 'events:RemoveTargets', 'events:ListTargetsByRule',
      'events:TagResource', 'events:UntagResource', 'events:ListTagsForResource'),
  ],
  'AWS::Route53::HostedZone': [
    g('hostedZoneCreate', 'route53:CreateHostedZone'),
    g('hostedZone', 'route53:GetHostedZone', 'route53:DeleteHostedZone', 'route53:ChangeTagsForResource', 'route53:ListTagsForResource'),
    g('changes', 'route53:GetChange'),
  ],
  'AWS::Route53::RecordSet': [
    g('serviceRecords', 'route53:ChangeResourceRecordSets'),
    g('hostedZone', 'route53:GetHostedZone', 'route53:ListResourceRecordSets'),
    g('changes', 'route53:GetChange'),
  ],
  'AWS::Route53::HealthCheck': [
    g('healthCheckCreate', 'route53:CreateHealthCheck'),
    g('healthChecks', 'route53:GetHealthCheck', 'route53:UpdateHealthCheck', 'route53:DeleteHealthCheck', 'route53:ChangeTagsForResource', 'route53:ListTagsForResource'),
  ],
  'AWS::CertificateManager::Certificate': [
    g('certificateRequest', 'acm:RequestCertificate'),
    g('certificateTagOnCreate', 'acm:AddTagsToCertificate'),
    g('certificates', 'acm:DescribeCertificate', 'acm:DeleteCertificate', 'acm:ListTagsForCertificate'),
    // DomainValidationOptions.HostedZoneId: CloudFormation writes the validation CNAME itself.
    g('validationRecords', 'route53:ChangeResourceRecordSets'),
    g('changes', 'route53:GetChange'),
  ],
  'AWS::CloudFront::Distribution': [
    // CreateDistributionWithTags is authorised as CreateDistribution + TagResource.
    g('distributionCreate', 'cloudfront:CreateDistribution'),
    g('distributionTagOnCreate', 'cloudfront:TagResource'),
    g('distributions', 'cloudfront:GetDistribution', 'cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution', 'cloudfront:DeleteDistribution',
      'cloudfront:ListTagsForResource', 'cloudfront:UntagResource'),
  ],
};
