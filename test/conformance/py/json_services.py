"""awsJson: DynamoDB (1.0, the check Lambda's GetItem/PutItem and doctor's DescribeTable) and Logs (1.1)."""
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
done()
