"""awsQuery: STS, IAM and the CloudFormation change-set lifecycle regionctl drives, plus doctor's DescribeAccountLimits."""
import json


from common import call, client, done

TEMPLATE = json.dumps({
    'Parameters': {'Suffix': {'Type': 'String', 'Default': 'a'}},
    'Resources': {'Table': {'Type': 'AWS::DynamoDB::Table', 'Properties': {
        'BillingMode': 'PAY_PER_REQUEST',
        'AttributeDefinitions': [{'AttributeName': 'id', 'AttributeType': 'S'}],
        'KeySchema': [{'AttributeName': 'id', 'KeyType': 'HASH'}]}}},
    'Outputs': {'TableName': {'Value': {'Ref': 'Table'}}},
})
TRUST = json.dumps({'Version': '2012-10-17', 'Statement': [
    {'Effect': 'Allow', 'Principal': {'Service': 'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]})

sts = client('sts', 'eu-west-1')
call('sts.GetCallerIdentity', sts.get_caller_identity)
call('sts.GetSessionToken', sts.get_session_token)

iam = client('iam')
call('iam.CreateRole', iam.create_role, RoleName='boto-role', AssumeRolePolicyDocument=TRUST)
call('iam.GetRole', iam.get_role, RoleName='boto-role')
call('iam.GetRole.missing', iam.get_role, RoleName='no-such-role')

cfn = client('cloudformation')


def poll(name, fn, done_when, **kwargs):
    # Bounded: the local cloud finishes within a few event-loop turns.
    for _ in range(50):
        out = call(name, fn, **kwargs)
        if out is None or done_when(out):
            return out

    return out


created = call('cfn.CreateChangeSet', cfn.create_change_set, StackName='boto-stack', ChangeSetName='regionctl-1',
               ChangeSetType='CREATE', TemplateBody=TEMPLATE, Capabilities=['CAPABILITY_IAM'],
               Parameters=[{'ParameterKey': 'Suffix', 'ParameterValue': 'b'}], Tags=[{'Key': 'regionctl:stage', 'Value': 'test'}])
cs = dict(ChangeSetName=created['Id'], StackName=created['StackId'])
poll('cfn.DescribeChangeSet', cfn.describe_change_set, lambda o: o['Status'] not in ('CREATE_PENDING', 'CREATE_IN_PROGRESS'), **cs)
call('cfn.ExecuteChangeSet', cfn.execute_change_set, **cs)
poll('cfn.DescribeStacks', cfn.describe_stacks, lambda o: not o['Stacks'][0]['StackStatus'].endswith('IN_PROGRESS'), StackName=created['StackId'])
call('cfn.DescribeStackEvents', cfn.describe_stack_events, StackName=created['StackId'])
call('cfn.GetTemplate', cfn.get_template, StackName=created['StackId'], TemplateStage='Original')
again = call('cfn.CreateChangeSet.unchanged', cfn.create_change_set, StackName='boto-stack', ChangeSetName='regionctl-2',
             ChangeSetType='UPDATE', TemplateBody=TEMPLATE, Parameters=[{'ParameterKey': 'Suffix', 'ParameterValue': 'b'}],
             Tags=[{'Key': 'regionctl:stage', 'Value': 'test'}])
poll('cfn.DescribeChangeSet.unchanged', cfn.describe_change_set, lambda o: o['Status'] in ('FAILED', 'CREATE_COMPLETE'), ChangeSetName=again['Id'], StackName=again['StackId'])
call('cfn.DeleteChangeSet', cfn.delete_change_set, ChangeSetName=again['Id'], StackName=again['StackId'])
call('cfn.DescribeChangeSet.deleted', cfn.describe_change_set, ChangeSetName='regionctl-2', StackName='boto-stack')


def typed_change_set_not_found():
    try:
        cfn.describe_change_set(ChangeSetName='regionctl-2', StackName='boto-stack')
        return {'caught': None}
    except cfn.exceptions.ChangeSetNotFoundException:
        return {'caught': 'ChangeSetNotFoundException'}


call('cfn.DescribeChangeSet.typedException', typed_change_set_not_found)
call('cfn.DescribeStacks.missing', cfn.describe_stacks, StackName='no-such-stack')
call('cfn.DescribeStackEvents.missing', cfn.describe_stack_events, StackName='no-such-stack')
call('cfn.GetTemplate.missing', cfn.get_template, StackName='no-such-stack')
call('cfn.CreateChangeSet.badParameter', cfn.create_change_set, StackName='boto-other', ChangeSetName='x', ChangeSetType='CREATE',
     TemplateBody=TEMPLATE, Parameters=[{'ParameterKey': 'Nope', 'ParameterValue': 'x'}])
call('cfn.CreateChangeSet.badTemplate', cfn.create_change_set, StackName='boto-other', ChangeSetName='x', ChangeSetType='CREATE',
     TemplateBody='{"Resources": ')
call('cfn.ListStackSets', cfn.list_stack_sets)
call('cfn.DescribeAccountLimits', cfn.describe_account_limits)
call('cfn.DeleteStack', cfn.delete_stack, StackName=created['StackId'])
poll('cfn.DescribeStacks.deleted', cfn.describe_stacks, lambda o: o['Stacks'][0]['StackStatus'] == 'DELETE_COMPLETE', StackName=created['StackId'])
call('cfn.DescribeStacks.deletedByName', cfn.describe_stacks, StackName='boto-stack')
call('cfn.ListStacks', cfn.list_stacks)
call('cfn.ListStacks.badFilter', cfn.list_stacks, StackStatusFilter=['NOT_A_STATUS'])
done()
