import { describe, expect, it } from 'vitest';
import { validatePolicyDocument } from '../../../src/local-cloud/iam/policy-document.js';

const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const identity = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/t' } };

function message(doc: unknown, kind: 'trust' | 'identity'): string {
  try {
    validatePolicyDocument(doc, kind);
  } catch (err) {
    expect((err as { code: string }).code).toBe('MalformedPolicyDocument');
    return (err as Error).message;
  }
  return 'valid';
}

describe('IAM policy documents', () => {
  it('accepts well-formed trust and identity policies, as text or objects', () => {
    expect(message(JSON.stringify(trust), 'trust')).toBe('valid');
    expect(message(identity, 'identity')).toBe('valid');
  });

  it('rejects what IAM rejects, with IAM\'s messages', () => {
    expect(message('{not json', 'identity')).toBe('Syntax errors in policy.');
    expect(message({ Version: '2012-10-17' }, 'identity')).toBe('Syntax errors in policy.');
    expect(message({ ...identity, Version: '2020-01-01' }, 'identity')).toBe('The policy failed legacy parsing');
    expect(message({ Statement: [{ Effect: 'allow', Action: 's3:GetObject', Resource: '*' }] }, 'identity')).toBe('Syntax errors in policy.');
    expect(message({ Statement: [{ Effect: 'Allow', Resource: '*' }] }, 'identity')).toBe('Policy statement must contain actions.');
    expect(message({ Statement: [{ Effect: 'Allow', Action: 'GetObject', Resource: '*' }] }, 'identity')).toBe('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    expect(message({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] }, 'identity')).toBe('Policy statement must contain resources.');
    expect(message(trust, 'identity')).toBe('Policy document should not specify a principal.');
    expect(message({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }, 'trust')).toBe('Missing required field Principal');
  });
});
