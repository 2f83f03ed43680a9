"""DynamoDB Streams, global-table replicas, Lambda event-source mappings and SNS through boto3:
the wire shapes and modeled error codes botocore expects (issue 10)."""
from common import call, client, done

ddb = client('dynamodb', 'us-east-1')
streams = client('dynamodbstreams', 'us-east-1')
table = dict(TableName='boto-global', BillingMode='PAY_PER_REQUEST',
             AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}],
             KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
             StreamSpecification={'StreamEnabled': True, 'StreamViewType': 'NEW_AND_OLD_IMAGES'})
created = call('ddb.CreateTable', ddb.create_table, **table)
arn = created['TableDescription']['LatestStreamArn']
call('ddb.PutItem', ddb.put_item, TableName='boto-global', Item={'id': {'S': 'a'}, 'n': {'N': '1'}})
call('streams.ListStreams', streams.list_streams, TableName='boto-global')
described = call('streams.DescribeStream', streams.describe_stream, StreamArn=arn)
shard = described['StreamDescription']['Shards'][0]['ShardId']
it = call('streams.GetShardIterator', streams.get_shard_iterator, StreamArn=arn, ShardId=shard, ShardIteratorType='TRIM_HORIZON')
call('streams.GetRecords', streams.get_records, ShardIterator=it['ShardIterator'])
call('streams.GetRecords.invalid', streams.get_records, ShardIterator=arn + '|1|bm9wZQ==')
call('streams.DescribeStream.missing', streams.describe_stream, StreamArn=arn.replace('boto-global', 'no-such-table'))
call('streams.GetShardIterator.badType', streams.get_shard_iterator, StreamArn=arn, ShardId=shard, ShardIteratorType='AT_SEQUENCE_NUMBER')
first = call('streams.GetRecords.first', streams.get_records, ShardIterator=it['ShardIterator'])
seq = first['Records'][0]['dynamodb']['SequenceNumber']
call('ddb.PutItem.second', ddb.put_item, TableName='boto-global', Item={'id': {'S': 'b'}})
at = call('streams.GetShardIterator.at', streams.get_shard_iterator, StreamArn=arn, ShardId=shard,
          ShardIteratorType='AT_SEQUENCE_NUMBER', SequenceNumber=seq)
call('streams.GetRecords.at', streams.get_records, ShardIterator=at['ShardIterator'])
after = call('streams.GetShardIterator.after', streams.get_shard_iterator, StreamArn=arn, ShardId=shard,
             ShardIteratorType='AFTER_SEQUENCE_NUMBER', SequenceNumber=seq)
call('streams.GetRecords.after', streams.get_records, ShardIterator=after['ShardIterator'])
latest = call('streams.GetShardIterator.latest', streams.get_shard_iterator, StreamArn=arn, ShardId=shard, ShardIteratorType='LATEST')
call('streams.GetRecords.latest', streams.get_records, ShardIterator=latest['ShardIterator'])
call('streams.GetShardIterator.badShard', streams.get_shard_iterator, StreamArn=arn, ShardId='shardId-00000000000000000000-nope',
     ShardIteratorType='TRIM_HORIZON')

plain = dict(table, TableName='boto-provisioned', BillingMode='PROVISIONED',
             ProvisionedThroughput={'ReadCapacityUnits': 1, 'WriteCapacityUnits': 1})
call('ddb.CreateTable.provisioned', ddb.create_table, **plain)
call('ddb.UpdateTable.replicaProvisioned', ddb.update_table, TableName='boto-provisioned',
     ReplicaUpdates=[{'Create': {'RegionName': 'us-west-2'}}])
call('ddb.UpdateTable.replicaCreate', ddb.update_table, TableName='boto-global',
     ReplicaUpdates=[{'Create': {'RegionName': 'us-west-2'}}])
call('ddb.UpdateTable.replicaBusy', ddb.update_table, TableName='boto-global',
     ReplicaUpdates=[{'Create': {'RegionName': 'eu-west-1'}}])
call('ddb.DescribeTable.replica', client('dynamodb', 'us-west-2').describe_table, TableName='boto-global')

# UpdateTable ReplicaUpdates refusals, each on a table of its own.
nostream = {k: v for k, v in table.items() if k != 'StreamSpecification'}
call('ddb.CreateTable.noStream', ddb.create_table, **dict(nostream, TableName='boto-nostream'))
call('ddb.UpdateTable.replicaNoStream', ddb.update_table, TableName='boto-nostream',
     ReplicaUpdates=[{'Create': {'RegionName': 'us-west-2'}}])
call('ddb.CreateTable.taken', ddb.create_table, **dict(table, TableName='boto-taken'))
call('ddb.CreateTable.takenElsewhere', client('dynamodb', 'eu-west-1').create_table, **dict(nostream, TableName='boto-taken'))
call('ddb.UpdateTable.replicaTaken', ddb.update_table, TableName='boto-taken',
     ReplicaUpdates=[{'Create': {'RegionName': 'eu-west-1'}}])
call('ddb.UpdateTable.replicaTwo', ddb.update_table, TableName='boto-taken',
     ReplicaUpdates=[{'Create': {'RegionName': 'us-west-2'}}, {'Create': {'RegionName': 'ap-south-1'}}])
call('ddb.UpdateTable.replicaSelf', ddb.update_table, TableName='boto-taken',
     ReplicaUpdates=[{'Create': {'RegionName': 'us-east-1'}}])
call('ddb.UpdateTable.replicaDeleteMissing', ddb.update_table, TableName='boto-taken',
     ReplicaUpdates=[{'Delete': {'RegionName': 'us-west-2'}}])
call('ddb.UpdateTable.replicaMissingTable', ddb.update_table, TableName='boto-none',
     ReplicaUpdates=[{'Create': {'RegionName': 'us-west-2'}}])

lam = client('lambda', 'us-east-1')
call('lambda.CreateEventSourceMapping.noStream', lam.create_event_source_mapping, FunctionName='no-such-function',
     EventSourceArn=arn, StartingPosition='LATEST')
call('lambda.ListEventSourceMappings', lam.list_event_source_mappings)
call('lambda.GetEventSourceMapping.missing', lam.get_event_source_mapping, UUID='00000000-0000-0000-0000-000000000000')

sns = client('sns', 'us-east-1')
topic = call('sns.CreateTopic', sns.create_topic, Name='boto-events', Attributes={'DisplayName': 'Boto'})
call('sns.GetTopicAttributes', sns.get_topic_attributes, TopicArn=topic['TopicArn'])
call('sns.ListTopics', sns.list_topics)
call('sns.Subscribe.badEndpoint', sns.subscribe, TopicArn=topic['TopicArn'], Protocol='lambda', Endpoint='not-an-arn')
call('sns.Publish', sns.publish, TopicArn=topic['TopicArn'], Message='hello',
     MessageAttributes={'type': {'DataType': 'String', 'StringValue': 'x'}})
call('sns.PublishBatch', sns.publish_batch, TopicArn=topic['TopicArn'],
     PublishBatchRequestEntries=[{'Id': 'a', 'Message': 'one'}, {'Id': 'b', 'Message': 'two'}])
call('sns.GetTopicAttributes.missing', sns.get_topic_attributes, TopicArn='arn:aws:sns:us-east-1:000000000000:none')
done()
