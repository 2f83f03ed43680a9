// Property types shared by AWS::DynamoDB::Table and AWS::DynamoDB::GlobalTable, from the
// CloudFormation reference:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-globaltable.html
import { z } from 'zod';
import { cfnBoolean, cfnEnum, cfnIgnoredObject, cfnInteger, cfnString, cfnStrings } from '../cloudformation/property-types.js';

export const keySchema = z.array(z.strictObject({ AttributeName: cfnString(), KeyType: cfnEnum(['HASH', 'RANGE']) }));
export const attributeDefinitions = z.array(z.strictObject({ AttributeName: cfnString(), AttributeType: cfnEnum(['S', 'N', 'B']) }));
export const provisionedThroughput = z.strictObject({ ReadCapacityUnits: cfnInteger(), WriteCapacityUnits: cfnInteger() });
const projection = z.strictObject({ NonKeyAttributes: cfnStrings().optional(), ProjectionType: cfnEnum(['ALL', 'KEYS_ONLY', 'INCLUDE']).optional() });
export const localSecondaryIndexes = z.array(z.strictObject({ IndexName: cfnString(), KeySchema: keySchema, Projection: projection }));
const gsiShape = {
  ContributorInsightsSpecification: cfnIgnoredObject().optional(),
  IndexName: cfnString(),
  KeySchema: keySchema,
  OnDemandThroughput: cfnIgnoredObject().optional(),
  Projection: projection,
  WarmThroughput: cfnIgnoredObject().optional(),
};
export const tableGlobalSecondaryIndexes = z.array(z.strictObject({ ...gsiShape, ProvisionedThroughput: provisionedThroughput.optional() }));
export const globalTableGlobalSecondaryIndexes = z.array(z.strictObject({ ...gsiShape, WriteOnDemandThroughputSettings: cfnIgnoredObject().optional(), WriteProvisionedThroughputSettings: cfnIgnoredObject().optional() }));
export const streamSpecification = z.strictObject({ ResourcePolicy: cfnIgnoredObject().optional(), StreamViewType: cfnEnum(['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY']) });
export const timeToLive = z.strictObject({ AttributeName: cfnString().optional(), Enabled: cfnBoolean() });
export const billingMode = cfnEnum(['PROVISIONED', 'PAY_PER_REQUEST']);
