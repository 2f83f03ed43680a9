// The wire's DistributionConfig (XML: text leaves, <Items> lists) parsed by its schema.
import { describe, expect, it } from 'vitest';
import { distributionInputFromXml } from '../../../src/local-cloud/cloudfront/config.js';

const origin = { Id: 'api', DomainName: 'Origin.Example.com', OriginPath: '' };

const refusal = (raw: unknown, ref?: string) => {
  try {
    distributionInputFromXml(raw, ref);
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
  throw new Error('expected a refusal');
};

describe('DistributionConfig from the wire', () => {
  it('reads one or many items, lower-cases origins and defaults Enabled to true', () => {
    const one = distributionInputFromXml({ CallerReference: 'r', Origins: { Quantity: '1', Items: { Origin: origin } }, Aliases: { Quantity: '1', Items: { CNAME: 'www.example.com' } } });
    expect(one).toMatchObject({ callerReference: 'r', enabled: true, aliases: ['www.example.com'], origins: [{ id: 'api', domainName: 'origin.example.com', originPath: undefined }] });
    const two = distributionInputFromXml({ Enabled: 'false', Origins: { Items: { Origin: [origin, { ...origin, Id: 'b' }] } }, Aliases: { Quantity: '0' } }, 'kept');
    expect(two).toMatchObject({ callerReference: 'kept', enabled: false, aliases: [], origins: [{ id: 'api' }, { id: 'b' }] });
  });

  it('refuses a malformed config as CloudFront does', () => {
    expect(refusal(undefined)).toEqual({ code: 'MalformedInput', message: 'Unexpected list element termination' });
    expect(refusal({ CallerReference: 'r', Origins: { Items: { Origin: { Id: 'api' } } } })).toEqual({ code: 'MalformedInput', message: 'Unexpected list element termination' });
    expect(refusal({ CallerReference: 'r', Enabled: 'yes' }).code).toBe('MalformedInput');
    expect(refusal({ CallerReference: 'r', Aliases: { Items: { CNAME: { nested: 'x' } } } }).code).toBe('MalformedInput');
    expect(refusal({ Origins: { Items: { Origin: origin } } })).toEqual({ code: 'InvalidArgument', message: 'The parameter CallerReference is required.' });
  });
});
