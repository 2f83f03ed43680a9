// Resource types CloudFormation itself owns (no other service provides them).

import { randomUUID } from 'node:crypto';
import type { ResourceProvider } from '../types.js';

const waitConditionHandle: ResourceProvider = {
  type: 'AWS::CloudFormation::WaitConditionHandle',
  async create(ctx) {
    const url = `${ctx.cloud.url()}/cloudformation-waitcondition/${ctx.region}/${randomUUID()}`;
    return { physicalId: url, attributes: {} };
  },
  async delete() {},
};

// CDK adds this to every stack; it has no behaviour.
const cdkMetadata: ResourceProvider = {
  type: 'AWS::CDK::Metadata',
  async create(ctx) {
    return { physicalId: `${ctx.stackName}-${ctx.logicalId}-${randomUUID().slice(0, 8)}`, attributes: {} };
  },
  async update(_ctx, physicalId) {
    return { physicalId, attributes: {} };
  },
  async delete() {},
};

export const builtInProviders: Record<string, ResourceProvider> = Object.fromEntries(
  [waitConditionHandle, cdkMetadata].map((p) => [p.type, p]),
);
