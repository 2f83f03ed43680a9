// A tiny CloudContext with fake resource providers, for driving the CloudFormation domain directly.

import { ManualClock } from '../../../src/local-cloud/clock.js';
import { ContentBlobStore } from '../../../src/local-cloud/persistence/blobs.js';
import { JsonStateStore } from '../../../src/local-cloud/state.js';
import type { CloudContext, ResourceProvider } from '../../../src/local-cloud/types.js';
import { CloudFormation } from '../../../src/local-cloud/cloudformation/domain.js';

export interface FakeCloud {
  ctx: CloudContext;
  cfn: CloudFormation;
  clock: ManualClock;
  /** Provider calls in order: "start:create:A", "create:A", "update:A", "delete:A". */
  calls: string[];
  /** Physical ids currently existing, per type. */
  existing: Set<string>;
  services: Record<string, unknown>;
}

export function fakeCloud(extra: ResourceProvider[] = []): FakeCloud {
  const clock = new ManualClock();
  const calls: string[] = [];
  const existing = new Set<string>();
  let seq = 0;
  const thing = (type: string, withUpdate: boolean): ResourceProvider => ({
    type,
    replaceOn: ['Name'],
    async create(rctx, props) {
      calls.push(`start:create:${rctx.logicalId}`);
      await new Promise((resolve) => setImmediate(resolve));
      if (props.Fail === true || props.Fail === 'true') throw new Error(`${rctx.logicalId} refused to be created`);
      const physicalId = typeof props.Name === 'string' ? props.Name : `${rctx.stackName}-${rctx.logicalId}-${++seq}`;
      existing.add(physicalId);
      calls.push(`create:${rctx.logicalId}`);
      return { physicalId, attributes: { Arn: `arn:aws:test:${rctx.region}:${rctx.accountId}:thing/${physicalId}`, Value: props.Value } };
    },
    update: withUpdate
      ? async (rctx, physicalId, props) => {
          if (props.Fail === true || props.Fail === 'true') throw new Error(`${rctx.logicalId} refused to be updated`);
          calls.push(`update:${rctx.logicalId}`);
          return { physicalId, attributes: { Arn: `arn:aws:test:${rctx.region}:${rctx.accountId}:thing/${physicalId}`, Value: props.Value } };
        }
      : undefined,
    async delete(rctx, physicalId) {
      calls.push(`delete:${rctx.logicalId}`);
      existing.delete(physicalId);
    },
  });
  const providers = new Map<string, ResourceProvider>(
    [thing('Test::Thing', true), thing('Test::Immutable', false), ...extra].map((p) => [p.type, p]),
  );
  const services: Record<string, unknown> = {};
  const ctx: CloudContext = {
    clock,
    accountId: '000000000000',
    url: () => 'http://127.0.0.1:4566',
    state: new JsonStateStore(),
    blobs: new ContentBlobStore(),
    workDir: '/tmp',
    service: <T>(name: string) => services[name] as T,
    resource: (type) => providers.get(type),
    log: () => {},
  };
  return { ctx, cfn: new CloudFormation(ctx), clock, calls, existing, services };
}
