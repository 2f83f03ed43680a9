// The values Route 53 accepts as a latency record's Region: the ResourceRecordSetRegion enum of
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html ("Valid
// Values"), in the API's order. Anything else is refused by request validation (InvalidInput);
// a listed region outside the commercial partition (China, GovCloud, the European Sovereign Cloud)
// passes validation and is then refused by the change batch, as AWS does for GovCloud regions
// (InvalidChangeBatch "Cannot find region 'us-gov-west-1'. No changes made.",
// https://github.com/boto/botocore/issues/2661).
export const LATENCY_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'eu-central-1', 'eu-central-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-northeast-1',
  'ap-northeast-2', 'ap-northeast-3', 'eu-north-1', 'sa-east-1', 'cn-north-1', 'cn-northwest-1', 'ap-east-1',
  'me-south-1', 'me-central-1', 'ap-south-1', 'ap-south-2', 'af-south-1', 'eu-south-1', 'eu-south-2',
  'ap-southeast-4', 'il-central-1', 'ca-west-1', 'ap-southeast-5', 'mx-central-1', 'ap-southeast-7',
  'us-gov-east-1', 'us-gov-west-1', 'ap-east-2', 'ap-southeast-6', 'eusc-de-east-1',
] as const;

const LISTED = new Set<string>(LATENCY_REGIONS);
const OTHER_PARTITION = /^(cn-|us-gov-|eusc-)/;

/** Whether the request validation accepts `region` as a latency record's Region. */
export const isLatencyRegion = (region: string): boolean => LISTED.has(region);

/** Listed but not in the aws partition: the change batch cannot find it. */
export const isOtherPartition = (region: string): boolean => OTHER_PARTITION.test(region);
