// Resource types CloudFormation itself owns (no other service provides them).

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ResourceProvider } from '../types.js';
import { defineResource } from './resource-properties.js';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-waitconditionhandle.html: no properties.
const waitConditionHandle = defineResource({
  type: 'AWS::CloudFormation::WaitConditionHandle',
  properties: z.strictObject({}),
  async create(ctx) {
    const url = `${ctx.cloud.url()}/cloudformation-waitcondition/${ctx.region}/${randomUUID()}`;
    return { physicalId: url, attributes: {} };
  },
  async delete() {},
});

// CDK adds this to every stack; it has no behaviour (its one property is a compressed usage report).
const cdkMetadata = defineResource({
  type: 'AWS::CDK::Metadata',
  properties: z.strictObject({ Analytics: z.string().optional() }),
  async create(ctx) {
    return { physicalId: `${ctx.stackName}-${ctx.logicalId}-${randomUUID().slice(0, 8)}`, attributes: {} };
  },
  async update(_ctx, physicalId) {
    return { physicalId, attributes: {} };
  },
  async delete() {},
});

export const builtInProviders: Record<string, ResourceProvider> = Object.fromEntries(
  [waitConditionHandle, cdkMetadata].map((p) => [p.type, p]),
);
