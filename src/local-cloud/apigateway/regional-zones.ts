// The Route 53 hosted zone ids AWS publishes for API Gateway regional endpoints (execute-api),
// which alias records to custom domains' regional names must use.
export const API_GATEWAY_HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8',
  'us-east-2': 'ZOJJZC49E0EPZ',
  'us-west-1': 'Z2MUQ32089INYE',
  'us-west-2': 'Z2OJLYMUO9EFXC',
  'ca-central-1': 'Z19DQILCV0OWEC',
  'eu-west-1': 'ZLY8HYME6SFDD',
  'eu-west-2': 'ZJ5UAJN8Y3Z2Q',
  'eu-west-3': 'Z3KY65QIEKYHQQ',
  'eu-central-1': 'Z1U9ULNL0V5AJ3',
  'eu-north-1': 'Z3UWIKFBOOGXPP',
  'eu-south-1': 'Z3BT4WSQ9TDYZV',
  'ap-northeast-1': 'Z1YSHQZHG15GKL',
  'ap-northeast-2': 'Z20JF4UZKIW1U8',
  'ap-northeast-3': 'Z2YQB5RD63NC85',
  'ap-southeast-1': 'ZL327KTPIQFUL',
  'ap-southeast-2': 'Z2RPCDW04V8134',
  'ap-south-1': 'Z3VO1THU9YC4UR',
  'sa-east-1': 'ZCMLWB8V5SYIT',
  'af-south-1': 'Z2DHW2332DAMTN',
  'me-south-1': 'Z20ZBPC0SS8806',
};

/** CloudFront's hosted zone id, the same in every partition region (EDGE domain names). */
export const CLOUDFRONT_HOSTED_ZONE = 'Z2FDTNDATAQYW2';
