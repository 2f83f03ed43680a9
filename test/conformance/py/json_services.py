"""awsJson: DynamoDB (1.0, the check Lambda's GetItem/PutItem and doctor's DescribeTable), Logs and ACM (1.1),
and CloudWatch (botocore picks awsJson1_0 from the model's protocols list; the AWS CLI v2 suite covers awsQuery)."""
from common import call, client, done

ddb = client('dynamodb', 'us-west-2')
table = dict(TableName='boto-health', BillingMode='PAY_PER_REQUEST',
             AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}],
             KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}])
call('ddb.CreateTable', ddb.create_table, **table)
call('ddb.CreateTable.duplicate', ddb.create_table, **table)
call('ddb.DescribeTable', ddb.describe_table, TableName='boto-health')
call('ddb.DescribeTable.missing', ddb.describe_table, TableName='no-such-table')
call('ddb.ListTables', ddb.list_tables)
item = {'id': {'S': 'healthcheck'}, 'timestamp': {'S': '2026-01-01T00:00:00.000Z'}}
call('ddb.PutItem', ddb.put_item, TableName='boto-health', Item=item)
call('ddb.GetItem', ddb.get_item, TableName='boto-health', Key={'id': {'S': 'healthcheck'}}, ConsistentRead=True)
call('ddb.GetItem.absent', ddb.get_item, TableName='boto-health', Key={'id': {'S': 'nothing'}})
call('ddb.GetItem.missingTable', ddb.get_item, TableName='no-such-table', Key={'id': {'S': 'x'}})
call('ddb.GetItem.wrongKey', ddb.get_item, TableName='boto-health', Key={'pk': {'S': 'x'}})
call('ddb.PutItem.missingKey', ddb.put_item, TableName='boto-health', Item={'other': {'S': 'x'}})
call('ddb.PutItem.emptyString', ddb.put_item, TableName='boto-health', Item={'id': {'S': ''}})
call('ddb.ListBackups', ddb.list_backups)

logs = client('logs', 'us-west-2')
call('logs.CreateLogGroup', logs.create_log_group, logGroupName='/regionctl/boto')
call('logs.CreateLogGroup.duplicate', logs.create_log_group, logGroupName='/regionctl/boto')
call('logs.DescribeLogGroups', logs.describe_log_groups, logGroupNamePrefix='/regionctl/')
call('logs.FilterLogEvents.missing', logs.filter_log_events, logGroupName='/regionctl/none')
call('logs.DescribeDestinations', logs.describe_destinations)

acm = client('acm', 'us-west-2')
cert = call('acm.RequestCertificate', acm.request_certificate, DomainName='api.boto.test', ValidationMethod='DNS',
            SubjectAlternativeNames=['*.boto.test'])
call('acm.DescribeCertificate', acm.describe_certificate, CertificateArn=cert['CertificateArn'])
call('acm.DescribeCertificate.otherRegion', client('acm', 'us-east-1').describe_certificate, CertificateArn=cert['CertificateArn'])
call('acm.DescribeCertificate.missing', acm.describe_certificate,
     CertificateArn='arn:aws:acm:us-west-2:000000000000:certificate/00000000-0000-0000-0000-000000000000')
call('acm.DescribeCertificate.malformed', acm.describe_certificate, CertificateArn='not-an-acm-certificate-arn')

cw = client('cloudwatch', 'us-west-2')
call('cw.PutMetricAlarm', cw.put_metric_alarm, AlarmName='boto-5xx', Namespace='AWS/ApiGateway', MetricName='5XXError',
     Dimensions=[{'Name': 'ApiName', 'Value': 'boto-shop'}], Statistic='Sum', Period=60, EvaluationPeriods=1, Threshold=1,
     ComparisonOperator='GreaterThanOrEqualToThreshold')
call('cw.SetAlarmState', cw.set_alarm_state, AlarmName='boto-5xx', StateValue='ALARM', StateReason='boto')
call('cw.DescribeAlarms', cw.describe_alarms, AlarmNames=['boto-5xx'])
call('cw.DescribeAlarms.none', cw.describe_alarms, AlarmNames=['no-such-alarm'])
call('cw.SetAlarmState.missing', cw.set_alarm_state, AlarmName='no-such-alarm', StateValue='ALARM', StateReason='x')
call('cw.PutMetricAlarm.badPeriod', cw.put_metric_alarm, AlarmName='boto-bad', Namespace='N', MetricName='M', Statistic='Sum',
     Period=7, EvaluationPeriods=1, Threshold=1, ComparisonOperator='GreaterThanThreshold')
done()
