/**
 * The AWS regions, by partition: the region table of the AWS SDK for JavaScript v3's endpoint
 * resolver (@aws-sdk/core 3.981.1, util-endpoints/lib/aws/partitions.js, which is generated from
 * AWS's own partitions metadata), as of December 2026. A region AWS opens later is added here; until
 * then the mesh config names the finding, so a typo (`eu-west-01`, `eu-wset-1`) does not reach a
 * deployment. The list is a copy, because lib/ stays free of the AWS SDK.
 */
export const AWS_REGIONS: Readonly<Record<string, readonly string[]>> = {
  aws: [
    'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
    'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
    'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2',
    'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'me-west-1', 'mx-central-1', 'sa-east-1', 'sa-west-1', 'us-east-1',
    'us-east-2', 'us-west-1', 'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-eusc': ['eusc-de-east-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
};

export const ALL_AWS_REGIONS: ReadonlySet<string> = new Set(Object.values(AWS_REGIONS).flat());
