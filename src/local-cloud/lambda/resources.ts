import { randomBytes } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { z } from 'zod';
import { AwsError } from '../aws-error.js';
import { defineResource } from '../cloudformation/resource-properties.js';
import { cfnIgnoredList, cfnIgnoredObject, cfnInteger, cfnMap, cfnString, cfnStrings, cfnTags } from '../cloudformation/property-types.js';
import type { ResourceContext, ResourceProvider } from '../types.js';
import type { CodeInput, LambdaDomain } from './domain.js';
import { sleepOn } from '../realism.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomSuffix(length = 12): string {
  return [...randomBytes(length)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

// CloudFormation's generated names: stack and logical id truncated so the whole fits the limit.
export function generatedName(ctx: ResourceContext, limit: number): string {
  const suffix = `-${randomSuffix()}`;
  return `${ctx.stackName}-${ctx.logicalId}`.slice(0, limit - suffix.length) + suffix;
}

// The types' full property sets, from the CloudFormation reference:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-permission.html
// Container images, layers, VPCs, file systems and the other unmodelled features are accepted by type
// and ignored (lambda/SPEC.md).
const functionProperties = z.strictObject({
  Architectures: cfnStrings().optional(),
  Code: z.strictObject({
    ImageUri: cfnString().optional(),
    S3Bucket: cfnString().optional(),
    S3Key: cfnString().optional(),
    S3ObjectVersion: cfnString().optional(),
    SourceKMSKeyArn: cfnString().optional(),
    ZipFile: cfnString().optional(),
  }),
  CodeSigningConfigArn: cfnString().optional(),
  DeadLetterConfig: z.strictObject({ TargetArn: cfnString().optional() }).optional(),
  Description: cfnString().optional(),
  Environment: z.strictObject({ Variables: cfnMap(cfnString()).optional() }).optional(),
  EphemeralStorage: z.strictObject({ Size: cfnInteger({ min: 512, max: 10240 }) }).optional(),
  FileSystemConfigs: cfnIgnoredList().optional(),
  FunctionName: cfnString().optional(),
  Handler: cfnString().optional(),
  ImageConfig: cfnIgnoredObject().optional(),
  KmsKeyArn: cfnString().optional(),
  Layers: cfnStrings().optional(),
  LoggingConfig: cfnIgnoredObject().optional(),
  MemorySize: cfnInteger().optional(),
  PackageType: cfnString().optional(),
  RecursiveLoop: cfnString().optional(),
  ReservedConcurrentExecutions: cfnInteger().optional(),
  Role: cfnString(),
  Runtime: cfnString().optional(),
  RuntimeManagementConfig: cfnIgnoredObject().optional(),
  SnapStart: cfnIgnoredObject().optional(),
  Tags: cfnTags().optional(),
  Timeout: cfnInteger().optional(),
  TracingConfig: z.strictObject({ Mode: cfnString().optional() }).optional(),
  VpcConfig: cfnIgnoredObject().optional(),
});
type FunctionProperties = z.infer<typeof functionProperties>;

const permissionProperties = z.strictObject({
  Action: cfnString(),
  EventSourceToken: cfnString().optional(),
  FunctionName: cfnString(),
  FunctionUrlAuthType: cfnString().optional(),
  Principal: cfnString(),
  PrincipalOrgID: cfnString().optional(),
  SourceAccount: cfnString().optional(),
  SourceArn: cfnString().optional(),
});

// Inline ZipFile source becomes index.js at the root of the package, as CloudFormation does for Node.
function codeOf(props: FunctionProperties): CodeInput {
  const code = props.Code;
  if (code.ZipFile !== undefined) return { ZipFile: Buffer.from(zipSync({ 'index.js': strToU8(code.ZipFile) })) };
  return { S3Bucket: code.S3Bucket, S3Key: code.S3Key };
}

function configOf(props: FunctionProperties) {
  return {
    Runtime: props.Runtime,
    Role: props.Role,
    Handler: props.Handler,
    Description: props.Description ?? '',
    Timeout: props.Timeout ?? 3,
    MemorySize: props.MemorySize ?? 128,
    Environment: { Variables: { ...(props.Environment?.Variables ?? {}) } },
  };
}

const ignoreMissing = (err: unknown): void => {
  if (!(err instanceof AwsError && err.code === 'ResourceNotFoundException')) throw err;
};

export function lambdaResources(lambda: LambdaDomain): ResourceProvider[] {
  const fn = defineResource({
    type: 'AWS::Lambda::Function',
    properties: functionProperties,
    replaceOn: ['FunctionName'],
    async create(ctx, props) {
      const name = props.FunctionName ?? generatedName(ctx, 64);
      const tags = Object.fromEntries((props.Tags ?? []).map((t) => [t.Key, t.Value]));
      const config = lambda.createFunction(ctx.region, {
        FunctionName: name,
        Code: codeOf(props),
        ...configOf(props),
        Tags: { ...tags, 'aws:cloudformation:stack-name': ctx.stackName, 'aws:cloudformation:logical-id': ctx.logicalId },
      });
      return { physicalId: name, attributes: { Arn: config.FunctionArn } };
    },
    async update(ctx, physicalId, props, oldProps) {
      // As CloudFormation does on AWS: each update finishes (LastUpdateStatus Successful) before the
      // next starts, and the resource completes only then (realism aws: a few seconds each).
      const settled = () => sleepOn(ctx.cloud.clock, ctx.cloud.realism?.lambdaUpdateMs ?? 0);
      if (JSON.stringify(props.Code) !== JSON.stringify(oldProps.Code)) {
        lambda.updateFunctionCode(ctx.region, physicalId, codeOf(props));
        await settled();
      }
      const config = lambda.updateFunctionConfiguration(ctx.region, physicalId, configOf(props));
      await settled();
      return { physicalId, attributes: { Arn: config.FunctionArn } };
    },
    async delete(ctx, physicalId) {
      await lambda.deleteFunction(ctx.region, physicalId).catch(ignoreMissing);
    },
  });
  const permission = defineResource({
    type: 'AWS::Lambda::Permission',
    properties: permissionProperties,
    async create(ctx, props) {
      const sid = generatedName(ctx, 100).replace(/[^a-zA-Z0-9-_.]/g, '');
      lambda.addPermission(ctx.region, props.FunctionName, {
        StatementId: sid,
        Action: props.Action,
        Principal: props.Principal,
        SourceArn: props.SourceArn,
        SourceAccount: props.SourceAccount,
      });
      return { physicalId: sid, attributes: {} };
    },
    async delete(ctx, physicalId, props) {
      try {
        lambda.removePermission(ctx.region, props.FunctionName, physicalId);
      } catch (err) {
        ignoreMissing(err);
      }
    },
  });
  return [fn, permission];
}
