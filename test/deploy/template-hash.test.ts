import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/deploy/render-template.js';
import { TEMPLATE_HASH_OUTPUT, templateHashOf, withTemplateHash } from '../../src/deploy/template-hash.js';

describe('template hash output', () => {
  it('is stable for the same template and changes with any change to it', () => {
    const a = withTemplateHash({ Resources: { B: { Type: 'AWS::S3::Bucket', Properties: { X: 1, Y: 2 } } } });
    const reordered = withTemplateHash({ Resources: { B: { Properties: { Y: 2, X: 1 }, Type: 'AWS::S3::Bucket' } } });
    const changed = withTemplateHash({ Resources: { B: { Type: 'AWS::S3::Bucket', Properties: { X: 1, Y: 3 } } } });
    expect(a.Outputs[TEMPLATE_HASH_OUTPUT].Value).toMatch(/^[0-9a-f]{64}$/);
    expect(reordered.Outputs[TEMPLATE_HASH_OUTPUT].Value).toBe(a.Outputs[TEMPLATE_HASH_OUTPUT].Value);
    expect(changed.Outputs[TEMPLATE_HASH_OUTPUT].Value).not.toBe(a.Outputs[TEMPLATE_HASH_OUTPUT].Value);
    // Re-hashing a hashed template gives the same hash (the output itself is excluded).
    expect(withTemplateHash(a).Outputs[TEMPLATE_HASH_OUTPUT].Value).toBe(a.Outputs[TEMPLATE_HASH_OUTPUT].Value);
  });

  it('is carried by every rendered template', () => {
    for (const kind of ['toolkit', 'health', 'service', 'dns', 'edge'] as const) {
      expect(templateHashOf(renderTemplate(kind))).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
