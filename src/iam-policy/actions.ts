import type { Scope } from './scopes.js';

/** Actions on one scope. */
export interface Grant {
  scope: Scope;
  actions: string[];
}

const g = (scope: Scope, ...actions: string[]): Grant => ({ scope, actions });

/**
 * Every SDK command regionctl itself sends (outside the local cloud and the Lambda handlers), keyed by
 * `<client package suffix>:<CommandName>`. test/iam-policy/coverage.test.ts greps src/ and fails when a
 * command is missing here. STS GetCallerIdentity needs no permission (AWS answers it for any valid key).
 */
export const SDK_COMMAND_GRANTS: Record<string, Grant[]> = {
  'sts:GetCallerIdentityCommand': [],
  'account:GetRegionOptStatusCommand': [g('account', 'account:GetRegionOptStatus')],
  'acm:DescribeCertificateCommand': [g('certificates', 'acm:DescribeCertificate')],
  'api-gateway:GetRestApisCommand': [g('apiGateway', 'apigateway:GET')],
  'cloudformation:ContinueUpdateRollbackCommand': [g('stacks', 'cloudformation:ContinueUpdateRollback')],
  'cloudformation:CreateChangeSetCommand': [g('stacks', 'cloudformation:CreateChangeSet')],
  'cloudformation:ListChangeSetsCommand': [g('stacks', 'cloudformation:ListChangeSets')],
  'cloudformation:DeleteChangeSetCommand': [g('stacks', 'cloudformation:DeleteChangeSet')],
  'cloudformation:DeleteStackCommand': [g('stacks', 'cloudformation:DeleteStack')],
  'cloudformation:DescribeChangeSetCommand': [g('stacks', 'cloudformation:DescribeChangeSet')],
  'cloudformation:DescribeStackEventsCommand': [g('stacks', 'cloudformation:DescribeStackEvents')],
  'cloudformation:DescribeStacksCommand': [g('stacks', 'cloudformation:DescribeStacks')],
  'cloudformation:DescribeStackResourcesCommand': [g('stacks', 'cloudformation:DescribeStackResources')],
  'cloudformation:ListStackResourcesCommand': [g('stacks', 'cloudformation:ListStackResources')],
  'cloudformation:ExecuteChangeSetCommand': [g('stacks', 'cloudformation:ExecuteChangeSet')],
  'cloudformation:GetTemplateCommand': [g('stacks', 'cloudformation:GetTemplate')],
  // Account-level reads: no resource-level permissions exist for them.
  'cloudformation:DescribeAccountLimitsCommand': [g('unscoped', 'cloudformation:DescribeAccountLimits')],
  'cloudformation:ListStacksCommand': [g('unscoped', 'cloudformation:ListStacks')],
  // deploy removes a leftover /aws/lambda/<fn> log group of its own function; DescribeLogGroups is a list action (only "*").
  'cloudwatch-logs:DeleteLogGroupCommand': [g('logGroups', 'logs:DeleteLogGroup')],
  'cloudwatch-logs:DescribeLogGroupsCommand': [g('unscoped', 'logs:DescribeLogGroups')],
  'cloudwatch:DescribeAlarmsCommand': [g('alarms', 'cloudwatch:DescribeAlarms')],
  'cloudwatch:SetAlarmStateCommand': [g('alarms', 'cloudwatch:SetAlarmState')],
  // GetMetricData/GetMetricStatistics do not support resource-level permissions.
  'cloudwatch:GetMetricDataCommand': [g('unscoped', 'cloudwatch:GetMetricData')],
  'cloudwatch:GetMetricStatisticsCommand': [g('unscoped', 'cloudwatch:GetMetricStatistics')],
  'dynamodb:DescribeTableCommand': [g('tables', 'dynamodb:DescribeTable')],
  'dynamodb:UpdateTableCommand': [g('tables', 'dynamodb:UpdateTable', 'dynamodb:CreateTableReplica', 'dynamodb:DeleteTableReplica')],
  'dynamodb:GetItemCommand': [g('tables', 'dynamodb:GetItem')],
  'dynamodb:PutItemCommand': [g('tables', 'dynamodb:PutItem')],
  'dynamodb:DeleteItemCommand': [g('tables', 'dynamodb:DeleteItem')],
  'dynamodb:QueryCommand': [g('tables', 'dynamodb:Query')],
  'lambda:GetAccountSettingsCommand': [g('unscoped', 'lambda:GetAccountSettings')],
  'lambda:GetFunctionConfigurationCommand': [g('functions', 'lambda:GetFunctionConfiguration')],
  'lambda:UpdateFunctionConfigurationCommand': [g('functions', 'lambda:UpdateFunctionConfiguration')],
  'lambda:InvokeCommand': [g('functions', 'lambda:InvokeFunction')],
  'route-53:GetHealthCheckStatusCommand': [g('healthChecks', 'route53:GetHealthCheckStatus')],
  'route-53:GetHealthCheckCommand': [g('healthChecks', 'route53:GetHealthCheck')],
  'route-53:ListResourceRecordSetsCommand': [g('hostedZones', 'route53:ListResourceRecordSets')],
  // Account-wide reads and TestDNSAnswer: Route 53 authorises them only on "*".
  'route-53:ListHostedZonesByNameCommand': [g('unscoped', 'route53:ListHostedZonesByName')],
  'route-53:GetAccountLimitCommand': [g('unscoped', 'route53:GetAccountLimit')],
  'route-53:TestDNSAnswerCommand': [g('unscoped', 'route53:TestDNSAnswer')],
  'route-53:ListHealthChecksCommand': [g('unscoped', 'route53:ListHealthChecks')],
  'route-53:ChangeResourceRecordSetsCommand': [g('hostedZones', 'route53:ChangeResourceRecordSets', 'route53:GetChange')],
  'route-53:GetChangeCommand': [g('hostedZones', 'route53:GetChange')],
  // HeadObject is authorised as GetObject; ListObjectVersions as ListBucketVersions; DeleteObjects per key.
  's3:HeadObjectCommand': [g('toolkitObjects', 's3:GetObject')],
  's3:GetObjectCommand': [g('toolkitObjects', 's3:GetObject')],
  's3:PutObjectCommand': [g('toolkitObjects', 's3:PutObject')],
  's3:DeleteObjectsCommand': [g('toolkitObjects', 's3:DeleteObject', 's3:DeleteObjectVersion')],
  's3:ListObjectVersionsCommand': [g('toolkitBucket', 's3:ListBucketVersions')],
  's3:ListObjectsV2Command': [g('toolkitBucket', 's3:ListBucket')],
};

// CloudFormation acts with the caller's permissions (regionctl passes no service role), so every resource
// type in the bundled templates needs the actions its handler calls to create, update, read and delete it.
export const RESOURCE_TYPE_GRANTS: Record<string, Grant[]> = {
  'AWS::S3::Bucket': [
    g('toolkitBucket', 's3:CreateBucket', 's3:DeleteBucket', 's3:ListBucket', 's3:GetBucketLocation', 's3:PutEncryptionConfiguration', 's3:GetEncryptionConfiguration',
      's3:PutBucketPublicAccessBlock', 's3:GetBucketPublicAccessBlock', 's3:PutBucketVersioning', 's3:GetBucketVersioning', 's3:PutBucketTagging', 's3:GetBucketTagging',
      's3:PutBucketOwnershipControls', 's3:GetBucketOwnershipControls', 's3:PutLifecycleConfiguration', 's3:GetLifecycleConfiguration'),
  ],
  'AWS::S3::BucketPolicy': [g('toolkitBucket', 's3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy')],
  'AWS::DynamoDB::Table': [
    g('tables', 'dynamodb:CreateTable', 'dynamodb:DeleteTable', 'dynamodb:DescribeTable', 'dynamodb:UpdateTable', 'dynamodb:TagResource', 'dynamodb:UntagResource',
      'dynamodb:ListTagsOfResource', 'dynamodb:DescribeContinuousBackups', 'dynamodb:UpdateContinuousBackups', 'dynamodb:DescribeTimeToLive', 'dynamodb:UpdateTimeToLive',
      'dynamodb:DescribeKinesisStreamingDestination', 'dynamodb:DescribeContributorInsights', 'dynamodb:GetResourcePolicy'),
  ],
  'AWS::Logs::LogGroup': [
    g('logGroups', 'logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:TagResource', 'logs:UntagResource', 'logs:ListTagsForResource'),
    // DescribeLogGroups is authorised on the account's log groups as a whole.
    g('unscoped', 'logs:DescribeLogGroups'),
  ],
  'AWS::IAM::Role': [
    g('roles', 'iam:CreateRole', 'iam:DeleteRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:TagRole', 'iam:UntagRole', 'iam:PutRolePolicy', 'iam:GetRolePolicy',
      'iam:DeleteRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:UpdateAssumeRolePolicy', 'iam:PassRole'),
  ],
  'AWS::Lambda::Function': [
    g('functions', 'lambda:CreateFunction', 'lambda:DeleteFunction', 'lambda:GetFunction', 'lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionConfiguration', 'lambda:TagResource', 'lambda:UntagResource', 'lambda:ListTags', 'lambda:GetRuntimeManagementConfig'),
    g('toolkitObjects', 's3:GetObject', 's3:GetObjectVersion'),
  ],
  'AWS::Lambda::Permission': [g('functions', 'lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetPolicy')],
  'AWS::ApiGateway::RestApi': [g('apiGateway', 'apigateway:GET', 'apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE')],
  'AWS::ApiGateway::Resource': [g('apiGateway', 'apigateway:GET', 'apigateway:POST', 'apigateway:DELETE')],
  'AWS::ApiGateway::Method': [g('apiGateway', 'apigateway:GET', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE')],
  'AWS::ApiGateway::Deployment': [g('apiGateway', 'apigateway:GET', 'apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE')],
  'AWS::ApiGateway::Stage': [g('apiGateway', 'apigateway:GET', 'apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE')],
  'AWS::ApiGateway::DomainName': [g('apiGateway', 'apigateway:GET', 'apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE')],
  'AWS::ApiGateway::BasePathMapping': [g('apiGateway', 'apigateway:GET', 'apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE')],
  'AWS::CloudWatch::Alarm': [g('alarms', 'cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource')],
  'AWS::Events::Rule': [g('rules', 'events:PutRule', 'events:DeleteRule', 'events:DescribeRule', 'events:PutTargets', 'events:RemoveTargets', 'events:ListTargetsByRule')],
  'AWS::Route53::HostedZone': [
    g('hostedZones', 'route53:GetHostedZone', 'route53:DeleteHostedZone', 'route53:UpdateHostedZoneComment', 'route53:ChangeTagsForResource', 'route53:ListTagsForResource', 'route53:GetChange'),
    // CreateHostedZone and ListHostedZones cannot be scoped: the zone id does not exist yet.
    g('unscoped', 'route53:CreateHostedZone', 'route53:ListHostedZones'),
  ],
  'AWS::Route53::RecordSet': [g('hostedZones', 'route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:GetHostedZone', 'route53:GetChange'), g('unscoped', 'route53:ListHostedZonesByName')],
  'AWS::Route53::RecordSetGroup': [g('hostedZones', 'route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:GetHostedZone', 'route53:GetChange'), g('unscoped', 'route53:ListHostedZonesByName')],
  'AWS::Route53::HealthCheck': [
    g('healthChecks', 'route53:GetHealthCheck', 'route53:UpdateHealthCheck', 'route53:DeleteHealthCheck', 'route53:ChangeTagsForResource', 'route53:ListTagsForResource'),
    // CreateHealthCheck and ListHealthChecks have no resource to scope to.
    g('unscoped', 'route53:CreateHealthCheck', 'route53:ListHealthChecks'),
  ],
  'AWS::CertificateManager::Certificate': [
    g('certificates', 'acm:DescribeCertificate', 'acm:DeleteCertificate', 'acm:AddTagsToCertificate', 'acm:RemoveTagsFromCertificate', 'acm:ListTagsForCertificate'),
    // RequestCertificate creates a random id; ACM authorises it only on "*".
    g('unscoped', 'acm:RequestCertificate'),
  ],
  'AWS::CloudFront::Distribution': [
    g('distributions', 'cloudfront:CreateDistribution', 'cloudfront:GetDistribution', 'cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution',
      'cloudfront:DeleteDistribution', 'cloudfront:TagResource', 'cloudfront:UntagResource', 'cloudfront:ListTagsForResource'),
  ],
};

