// regionctl.yml table: eventual by default; strong only with three regions of one MRSC region set, or
// two plus a witness of the same set (checked before deploy, so no half-made table).
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';

const parse = (regions: string[], table: unknown) => configSchema.safeParse({ service: 'shop', regions, table });
const messages = (r: ReturnType<typeof parse>) => (r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));

describe('table:', () => {
  it('defaults to eventual consistency and is absent without the section', () => {
    expect(parse(['us-east-1', 'eu-west-1'], {}).data?.table).toEqual({ consistency: 'eventual' });
    expect(configSchema.parse({ service: 'shop', regions: ['us-east-1'] }).table).toBeUndefined();
  });
  it('accepts strong with three regions of one set, or two and a witness', () => {
    expect(parse(['us-east-1', 'us-east-2', 'us-west-2'], { consistency: 'strong' }).success).toBe(true);
    expect(parse(['eu-west-1', 'eu-central-1'], { consistency: 'strong', witness: 'eu-west-2' }).success).toBe(true);
  });
  it('refuses strong across region sets, with the sets in the hint', () => {
    const r = parse(['us-east-1', 'us-west-2', 'eu-west-1'], { consistency: 'strong' });
    expect(messages(r)).toEqual(['table.consistency: strong needs every member in one region set; us-east-1, us-west-2, eu-west-1 are not']);
  });
  it('refuses strong with the wrong number of members', () => {
    expect(messages(parse(['us-east-1', 'us-east-2'], { consistency: 'strong' }))).toEqual(['table.consistency: strong needs three replica regions, or two and a witness; regions has 2']);
    expect(messages(parse(['us-east-1'], { consistency: 'strong', witness: 'us-east-2' }))[0]).toMatch(/strong needs three replica regions, or two and a witness; regions has 1 and a witness/);
  });
  it('refuses a witness that is also a replica region, or with eventual consistency', () => {
    expect(messages(parse(['us-east-1', 'us-east-2'], { consistency: 'strong', witness: 'us-east-2' }))).toEqual(['table.witness: "us-east-2" is also one of regions']);
    expect(messages(parse(['us-east-1', 'us-east-2'], { witness: 'us-west-2' }))).toEqual(['table.witness: is only used with consistency: strong']);
  });
  it('refuses unknown keys and modes', () => {
    expect(parse(['us-east-1'], { consistency: 'linearizable' }).success).toBe(false);
    expect(parse(['us-east-1'], { replicas: 2 }).success).toBe(false);
  });
});
