"""Global services regionctl reads: Route 53 (restXml: zones by name, record changes, TestDNSAnswer,
health-check status, account limits) and Account (restJson1: GetRegionOptStatus for doctor)."""
from common import call, client, done

r53 = client('route53')
zone = call('r53.CreateHostedZone', r53.create_hosted_zone, Name='boto.test', CallerReference='boto-suite')
zone_id = zone['HostedZone']['Id']
call('r53.ListHostedZonesByName', r53.list_hosted_zones_by_name, DNSName='boto.test.', MaxItems='1')
call('r53.ChangeResourceRecordSets', r53.change_resource_record_sets, HostedZoneId=zone_id, ChangeBatch={'Changes': [
    {'Action': 'UPSERT', 'ResourceRecordSet': {'Name': 'api.boto.test', 'Type': 'A', 'TTL': 60, 'ResourceRecords': [{'Value': '192.0.2.20'}]}}]})
call('r53.ChangeResourceRecordSets.badDelete', r53.change_resource_record_sets, HostedZoneId=zone_id, ChangeBatch={'Changes': [
    {'Action': 'DELETE', 'ResourceRecordSet': {'Name': 'nope.boto.test', 'Type': 'A', 'TTL': 60, 'ResourceRecords': [{'Value': '192.0.2.1'}]}}]})
def latency(region, ident):
    return {'Action': 'CREATE', 'ResourceRecordSet': {'Name': 'lat.boto.test', 'Type': 'A', 'TTL': 60, 'SetIdentifier': ident,
                                                      'Region': region, 'ResourceRecords': [{'Value': '192.0.2.30'}]}}


# Latency records take only AWS's list of Region values; a listed region outside the aws partition
# passes validation and the batch refuses it.
call('r53.ChangeResourceRecordSets.latencyNewRegion', r53.change_resource_record_sets, HostedZoneId=zone_id,
     ChangeBatch={'Changes': [latency('ap-southeast-7', 'bangkok')]})
call('r53.ChangeResourceRecordSets.latencyBadRegion', r53.change_resource_record_sets, HostedZoneId=zone_id,
     ChangeBatch={'Changes': [latency('mars-east-1', 'mars')]})
call('r53.ChangeResourceRecordSets.latencyGovRegion', r53.change_resource_record_sets, HostedZoneId=zone_id,
     ChangeBatch={'Changes': [latency('us-gov-west-1', 'gov')]})
call('r53.ChangeResourceRecordSets.latencySameRegion', r53.change_resource_record_sets, HostedZoneId=zone_id,
     ChangeBatch={'Changes': [latency('ap-southeast-7', 'bangkok-2')]})
call('r53.ChangeResourceRecordSets.noSetIdentifier', r53.change_resource_record_sets, HostedZoneId=zone_id,
     ChangeBatch={'Changes': [{'Action': 'DELETE', 'ResourceRecordSet': {'Name': 'x.boto.test', 'Type': 'A', 'TTL': 60,
                                                                        'SetIdentifier': 'x', 'ResourceRecords': [{'Value': '192.0.2.1'}]}}]})
call('r53.TestDNSAnswer', r53.test_dns_answer, HostedZoneId=zone_id, RecordName='api.boto.test', RecordType='A',
     EDNS0ClientSubnetIP='203.0.113.7', EDNS0ClientSubnetMask='24')
call('r53.TestDNSAnswer.missingZone', r53.test_dns_answer, HostedZoneId='ZNOSUCHZONE', RecordName='api.boto.test', RecordType='A')
hc = call('r53.CreateHealthCheck', r53.create_health_check, CallerReference='boto-alarm', HealthCheckConfig={
    'Type': 'CLOUDWATCH_METRIC', 'AlarmIdentifier': {'Region': 'us-east-1', 'Name': 'boto-r53'}, 'InsufficientDataHealthStatus': 'Healthy'})
call('r53.GetHealthCheckStatus', r53.get_health_check_status, HealthCheckId=hc['HealthCheck']['Id'])
call('r53.GetHealthCheckStatus.missing', r53.get_health_check_status, HealthCheckId='00000000-0000-0000-0000-000000000000')
call('r53.GetAccountLimit.healthChecks', r53.get_account_limit, Type='MAX_HEALTH_CHECKS_BY_OWNER')
call('r53.GetAccountLimit.hostedZones', r53.get_account_limit, Type='MAX_HOSTED_ZONES_BY_OWNER')
call('r53.GetAccountLimit.badType', r53.get_account_limit, Type='MAX_NOTHING')

account = client('account')
call('account.GetRegionOptStatus', account.get_region_opt_status, RegionName='eu-west-1')
call('account.GetRegionOptStatus.optIn', account.get_region_opt_status, RegionName='me-south-1')
call('account.GetRegionOptStatus.unknown', account.get_region_opt_status, RegionName='xx-nowhere-1')
done()
