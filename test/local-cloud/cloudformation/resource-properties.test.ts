import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineResource, validateProperties } from '../../../src/local-cloud/cloudformation/resource-properties.js';
import type { ResourceContext } from '../../../src/local-cloud/types.js';

const schema = z.strictObject({
  BucketName: z.string().optional(),
  VersioningConfiguration: z.strictObject({ Status: z.enum(['Enabled', 'Suspended']) }).optional(),
  Tags: z.array(z.strictObject({ Key: z.string(), Value: z.string() })).optional(),
});
const ctx = { logicalId: 'Bucket' } as ResourceContext;

describe('resource properties (CloudFormation registry validation)', () => {
  it('reports every broken property the way CloudFormation words it', () => {
    expect(() => validateProperties(schema, ctx, { BucketName: ['x'], Foo: 1, Tags: [{ Key: 'a' }] })).toThrow(
      'Properties validation failed for resource Bucket with message: #/BucketName: expected type: String, found: JSONArray #/Tags/0: required key [Value] not found #: extraneous key [Foo] is not permitted',
    );
    expect(() => validateProperties(schema, ctx, { VersioningConfiguration: { Status: 'On' } })).toThrow(/#\/VersioningConfiguration\/Status: /);
  });

  it('hands the provider typed properties and validates on create and update, not on delete', async () => {
    const seen: unknown[] = [];
    const provider = defineResource({
      type: 'Test::Bucket',
      properties: schema,
      async create(_ctx, props) {
        seen.push(props.BucketName);
        return { physicalId: props.BucketName ?? 'generated', attributes: {} };
      },
      async update(_ctx, physicalId, props, old) {
        seen.push([old.BucketName, props.BucketName]);
        return { physicalId, attributes: {} };
      },
      async delete(_ctx, physicalId) {
        seen.push(`deleted ${physicalId}`);
      },
    });
    await expect(provider.create(ctx, { BucketName: 'b' })).resolves.toMatchObject({ physicalId: 'b' });
    await expect(provider.create(ctx, { BucketName: 7 })).rejects.toThrow(/expected type: String, found: Integer/);
    await expect(provider.update!(ctx, 'b', { Nope: true }, { BucketName: 'b' })).rejects.toThrow(/extraneous key \[Nope\]/);
    await provider.update!(ctx, 'b', { BucketName: 'c' }, { BucketName: 'b' });
    // A resource created under an older, looser schema can still be deleted.
    await provider.delete(ctx, 'old', { Legacy: 1 });
    expect(seen).toEqual(['b', ['b', 'c'], 'deleted old']);
  });
});
