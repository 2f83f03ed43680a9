"""restXml (S3) and restJson1 (Lambda, API Gateway): the artifact upload, bucket emptying, and the
Lambda configuration calls regionctl's drills make."""
import io
import json
import zipfile

from common import call, client, done

s3 = client('s3', 'eu-west-1')
call('s3.CreateBucket', s3.create_bucket, Bucket='boto-artifacts', CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})
call('s3.CreateBucket.invalid', s3.create_bucket, Bucket='Bad_Name', CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})
call('s3.PutBucketVersioning', s3.put_bucket_versioning, Bucket='boto-artifacts', VersioningConfiguration={'Status': 'Enabled'})
key = 'lambdas/check-0123456789ab.zip'
call('s3.PutObject', s3.put_object, Bucket='boto-artifacts', Key=key, Body=b'zip-bytes', ContentType='application/zip', ServerSideEncryption='AES256')
call('s3.HeadObject', s3.head_object, Bucket='boto-artifacts', Key=key)
call('s3.HeadObject.missingKey', s3.head_object, Bucket='boto-artifacts', Key='nope')
call('s3.HeadObject.missingBucket', s3.head_object, Bucket='boto-none', Key='nope')
call('s3.GetObject.missingKey', s3.get_object, Bucket='boto-artifacts', Key='nope')
call('s3.PutObject.missingBucket', s3.put_object, Bucket='boto-none', Key='k', Body=b'x')
call('s3.ListBuckets', s3.list_buckets)
call('s3.ListObjectVersions', s3.list_object_versions, Bucket='boto-artifacts', MaxKeys=1000)
call('s3.ListObjectVersions.missingBucket', s3.list_object_versions, Bucket='boto-none')
listed = call('s3.ListObjectVersions.forDelete', s3.list_object_versions, Bucket='boto-artifacts') or {}
versions = [{'Key': v['Key'], 'VersionId': v['VersionId']} for v in listed.get('Versions', []) + listed.get('DeleteMarkers', [])]
call('s3.DeleteObjects', s3.delete_objects, Bucket='boto-artifacts', Delete={'Objects': versions, 'Quiet': True})
call('s3.ListObjectVersions.empty', s3.list_object_versions, Bucket='boto-artifacts')
call('s3.ListBucketInventoryConfigurations', s3.list_bucket_inventory_configurations, Bucket='boto-artifacts')

iam = client('iam')
call('iam.CreateRole', iam.create_role, RoleName='boto-fn-role', AssumeRolePolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [
    {'Effect': 'Allow', 'Principal': {'Service': 'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}))
buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w') as z:
    z.writestr('index.js', 'exports.handler = async (e) => ({ got: e, flag: process.env.FLAG ?? null });\n')
lam = client('lambda', 'eu-west-1')
call('lambda.CreateFunction', lam.create_function, FunctionName='boto-check', Runtime='nodejs20.x', Handler='index.handler',
     Role='arn:aws:iam::000000000000:role/boto-fn-role', Code={'ZipFile': buf.getvalue()}, Environment={'Variables': {'MODE': 'one'}})
call('lambda.ListFunctions', lam.list_functions)
call('lambda.GetFunctionConfiguration', lam.get_function_configuration, FunctionName='boto-check')
call('lambda.GetFunctionConfiguration.missing', lam.get_function_configuration, FunctionName='no-such-function')
call('lambda.UpdateFunctionConfiguration', lam.update_function_configuration, FunctionName='boto-check', Environment={'Variables': {'MODE': 'one', 'FLAG': 'on'}})
call('lambda.UpdateFunctionConfiguration.badKey', lam.update_function_configuration, FunctionName='boto-check', Environment={'Variables': {'A': '1'}})
call('lambda.UpdateFunctionConfiguration.badTimeout', lam.update_function_configuration, FunctionName='boto-check', Timeout=100000)
call('lambda.Invoke', lam.invoke, FunctionName='boto-check', Payload=b'{"ping": 1}')
call('lambda.Invoke.missing', lam.invoke, FunctionName='no-such-function', Payload=b'{}')
call('lambda.ListLayers', lam.list_layers)
call('lambda.GetAccountSettings', lam.get_account_settings)

apigw = client('apigateway', 'eu-west-1')
api = call('apigw.CreateRestApi', apigw.create_rest_api, name='boto-api')
call('apigw.GetRestApis', apigw.get_rest_apis)
call('apigw.GetResources', apigw.get_resources, restApiId=api['id'])
call('apigw.GetResources.missing', apigw.get_resources, restApiId='nope123456')
call('apigw.GetApiKeys', apigw.get_api_keys)
done()
