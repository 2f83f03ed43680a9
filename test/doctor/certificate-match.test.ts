import { describe, expect, it } from 'vitest';
import { arnRegion, certificateCovers } from '../../src/doctor/certificate-match.js';

describe('certificateCovers', () => {
  it('matches exact names and one-label wildcards, case-insensitively', () => {
    expect(certificateCovers(['dev-shop.example.com'], 'dev-shop.example.com')).toBe(true);
    expect(certificateCovers(['*.Example.com'], 'dev-shop.example.com.')).toBe(true);
  });

  it('does not let a wildcard cover the apex or two labels', () => {
    expect(certificateCovers(['*.example.com'], 'example.com')).toBe(false);
    expect(certificateCovers(['*.example.com'], 'a.dev-shop.example.com')).toBe(false);
    expect(certificateCovers(['other.example.com'], 'dev-shop.example.com')).toBe(false);
  });
});

describe('arnRegion', () => {
  it('reads the region of an ACM ARN', () => {
    expect(arnRegion('arn:aws:acm:eu-west-1:123456789012:certificate/abc')).toBe('eu-west-1');
    expect(arnRegion('nonsense')).toBeUndefined();
  });
});
