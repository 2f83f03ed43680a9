import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../../src/cfn-yaml.js';
import { Resolver, evaluateConditions, type ResolveEnv } from '../../../src/local-cloud/cloudformation/intrinsics.js';

function env(template: Record<string, any>, params: Record<string, string | string[]> = {}, preview = false): ResolveEnv {
  const resources: Record<string, { physicalId: string; attributes: Record<string, unknown> }> = {
    Bucket: { physicalId: 'my-bucket', attributes: { Arn: 'arn:aws:s3:::my-bucket', DomainName: 'my-bucket.s3.amazonaws.com' } },
  };
  return {
    template: { Resources: {}, ...template },
    region: 'eu-west-1',
    accountId: '000000000000',
    stackName: 'demo',
    stackId: 'arn:aws:cloudformation:eu-west-1:000000000000:stack/demo/abc',
    params,
    resource: (id) => resources[id],
    importValue: (name) => (name === 'shared-vpc' ? 'vpc-123' : undefined),
    preview,
  };
}

function resolveYaml(yaml: string, params: Record<string, string | string[]> = {}, extra: Record<string, any> = {}): any {
  const template = { ...extra, Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } };
  const e = env(template, params);
  const resolver = new Resolver(e, evaluateConditions(e));
  return resolver.resolve(parseTemplate(yaml).Value);
}

describe('intrinsic functions', () => {
  it('resolves Ref to resources, parameters and pseudo parameters', () => {
    expect(resolveYaml('Value: [!Ref Bucket, !Ref Stage, !Ref AWS::Region, !Ref AWS::AccountId, !Ref AWS::StackName, !Ref AWS::Partition, !Ref AWS::URLSuffix]', { Stage: 'prod' }))
      .toEqual(['my-bucket', 'prod', 'eu-west-1', '000000000000', 'demo', 'aws', 'amazonaws.com']);
  });

  it('resolves GetAtt in both forms and rejects unknown attributes', () => {
    expect(resolveYaml('Value: [!GetAtt Bucket.Arn, {"Fn::GetAtt": [Bucket, DomainName]}]')).toEqual(['arn:aws:s3:::my-bucket', 'my-bucket.s3.amazonaws.com']);
    expect(() => resolveYaml('Value: !GetAtt Bucket.Nope')).toThrow(/does not support attribute type Nope/);
  });

  it('substitutes ${Res}, ${Res.Attr}, pseudo parameters, local variables and ${!Literal}', () => {
    expect(resolveYaml('Value: !Sub "${Bucket}|${Bucket.Arn}|${AWS::Region}|${Stage}|${!NotMe}"', { Stage: 'dev' }))
      .toBe('my-bucket|arn:aws:s3:::my-bucket|eu-west-1|dev|${NotMe}');
    expect(resolveYaml('Value: !Sub ["${Who}-${AWS::AccountId}", { Who: !Ref Bucket }]')).toBe('my-bucket-000000000000');
  });

  it('joins, selects and splits, including list parameters and GetAZs', () => {
    expect(resolveYaml('Value: !Join [",", [a, !Ref Bucket]]')).toBe('a,my-bucket');
    expect(resolveYaml('Value: !Select [1, !Ref Names]', { Names: ['x', 'y', 'z'] })).toBe('y');
    expect(resolveYaml('Value: !Select ["0", !Split ["/", "p/q/r"]]')).toBe('p');
    expect(resolveYaml('Value: !Select [2, !GetAZs ""]')).toBe('eu-west-1c');
    expect(() => resolveYaml('Value: !Select [5, [a]]')).toThrow(/nonexistent value/);
  });

  it('evaluates conditions, Fn::If and AWS::NoValue', () => {
    const conditions = {
      IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
      NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
      Both: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['1', 1] }] },
      Either: { 'Fn::Or': [{ Condition: 'NotProd' }, { Condition: 'IsProd' }] },
    };
    const yaml = 'Value: { A: !If [IsProd, big, small], B: !If [NotProd, !Ref AWS::NoValue, kept], C: [one, !If [IsProd, !Ref AWS::NoValue, two]] }';
    expect(resolveYaml(yaml, { Stage: 'prod' }, { Conditions: conditions })).toEqual({ A: 'big', B: 'kept', C: ['one'] });
    expect(resolveYaml(yaml, { Stage: 'dev' }, { Conditions: conditions })).toEqual({ A: 'small', C: ['one', 'two'] });
    const e = env({ Conditions: conditions, Resources: {} }, { Stage: 'prod' });
    expect(evaluateConditions(e)).toEqual({ IsProd: true, NotProd: false, Both: true, Either: true });
  });

  it('finds values in mappings, encodes base64 and imports exports', () => {
    const mappings = { Mappings: { Sizes: { 'eu-west-1': { Memory: 256 } } } };
    expect(resolveYaml('Value: !FindInMap [Sizes, !Ref AWS::Region, Memory]', {}, mappings)).toBe(256);
    expect(() => resolveYaml('Value: !FindInMap [Sizes, us-east-1, Memory]', {}, mappings)).toThrow('Unable to get mapping for Sizes::us-east-1::Memory');
    expect(resolveYaml('Value: !Base64 hello')).toBe('aGVsbG8=');
    expect(resolveYaml('Value: !ImportValue shared-vpc')).toBe('vpc-123');
    expect(() => resolveYaml('Value: !ImportValue nope')).toThrow('No export named nope found.');
  });

  it('in preview mode stands in for values of resources that do not exist yet', () => {
    const e = env({ Resources: { Later: { Type: 'X' } } }, {}, true);
    const resolver = new Resolver(e, {});
    expect(resolver.resolve({ Ref: 'Later' })).toBe('{{unresolved:Later}}');
  });
});
