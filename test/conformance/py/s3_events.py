"""S3 object metadata, bucket notifications to SNS (validated against the topic policy) and the public
access block, through boto3: each call's parsed answer or the error botocore extracted."""
import json

from common import RESULTS, call, client, done

REGION = 'eu-west-1'
s3 = client('s3', REGION)
sns = client('sns', REGION)
BUCKET = 'boto-events'

call('s3.CreateBucket', s3.create_bucket, Bucket=BUCKET, CreateBucketConfiguration={'LocationConstraint': REGION})
call('s3.PutObject.metadata', s3.put_object, Bucket=BUCKET, Key='docs/a b.txt', Body=b'hello', ContentType='text/plain; charset=utf-8',
     CacheControl='max-age=60', Metadata={'Author': 'ana', 'origin': 'elsewhere'})
call('s3.HeadObject.metadata', s3.head_object, Bucket=BUCKET, Key='docs/a b.txt')
call('s3.CopyObject.metadata', s3.copy_object, Bucket=BUCKET, Key='copy', CopySource={'Bucket': BUCKET, 'Key': 'docs/a b.txt'})
call('s3.HeadObject.copy', s3.head_object, Bucket=BUCKET, Key='copy')

topic = call('sns.CreateTopic', sns.create_topic, Name='boto-objects') or {}
arn = topic.get('TopicArn', '')
config = {'TopicConfigurations': [{'Id': 'created', 'TopicArn': arn, 'Events': ['s3:ObjectCreated:*'],
                                   'Filter': {'Key': {'FilterRules': [{'Name': 'prefix', 'Value': 'docs/'}]}}}]}
call('s3.PutBucketNotificationConfiguration.defaultPolicy', s3.put_bucket_notification_configuration, Bucket=BUCKET, NotificationConfiguration=config)
policy = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'Service': 's3.amazonaws.com'}, 'Action': 'SNS:Publish',
          'Resource': arn, 'Condition': {'ArnLike': {'aws:SourceArn': f'arn:aws:s3:::{BUCKET}'}}}]}
call('sns.SetTopicAttributes.policy', sns.set_topic_attributes, TopicArn=arn, AttributeName='Policy', AttributeValue=json.dumps(policy))
call('s3.PutBucketNotificationConfiguration', s3.put_bucket_notification_configuration, Bucket=BUCKET, NotificationConfiguration=config)
call('s3.GetBucketNotificationConfiguration', s3.get_bucket_notification_configuration, Bucket=BUCKET)
call('s3.PutBucketNotificationConfiguration.otherRegion', s3.put_bucket_notification_configuration, Bucket=BUCKET,
     NotificationConfiguration={'TopicConfigurations': [{'TopicArn': arn.replace(REGION, 'us-east-1'), 'Events': ['s3:ObjectCreated:*']}]})
call('s3.PutBucketNotificationConfiguration.empty', s3.put_bucket_notification_configuration, Bucket=BUCKET, NotificationConfiguration={})
call('s3.GetBucketNotificationConfiguration.empty', s3.get_bucket_notification_configuration, Bucket=BUCKET)

call('s3.PutPublicAccessBlock', s3.put_public_access_block, Bucket=BUCKET, PublicAccessBlockConfiguration={
    'BlockPublicAcls': True, 'IgnorePublicAcls': True, 'BlockPublicPolicy': True, 'RestrictPublicBuckets': True})
call('s3.GetPublicAccessBlock', s3.get_public_access_block, Bucket=BUCKET)
public = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': '*', 'Action': 's3:GetObject', 'Resource': f'arn:aws:s3:::{BUCKET}/*'}]}
call('s3.PutBucketPolicy.public', s3.put_bucket_policy, Bucket=BUCKET, Policy=json.dumps(public))

done()
