// loadTemplate: the sections' shapes are checked (zod) before the engine reads them, with
// CloudFormation's "Template format error" wording, and the result is a typed Template.
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../src/local-cloud/cloudformation/template.js';

const refused = (template: unknown): string => {
  try {
    loadTemplate(JSON.stringify(template));
  } catch (err) {
    return `${(err as { code?: string }).code}: ${(err as Error).message}`;
  }
  throw new Error('expected the template to be refused');
};

const handle = { Type: 'AWS::CloudFormation::WaitConditionHandle' };

describe('loadTemplate', () => {
  it('refuses sections of the wrong shape, naming the member', () => {
    expect(refused({ Resources: { H: { Properties: {} } } })).toBe('ValidationError: Template format error: [/Resources/H] Every Resources object must contain a Type member.');
    expect(refused({ Resources: { H: 'AWS::S3::Bucket' } })).toBe('ValidationError: Template format error: [/Resources/H] Every Resources object must contain a Type member.');
    expect(refused({ Parameters: { Size: { Default: 1 } }, Resources: { H: handle } })).toBe('ValidationError: Template format error: [/Parameters/Size] Every Parameters object must contain a Type member.');
    expect(refused({ Resources: { H: handle }, Outputs: { Id: { Description: 'x' } } })).toBe('ValidationError: Template format error: [/Outputs/Id] Every Outputs member must contain a Value object');
    expect(refused({ Description: ['x'], Resources: { H: handle } })).toBe('ValidationError: Template format error: [/Description] Every Description member must be a string.');
    expect(refused({ Resources: { H: { ...handle, DependsOn: 7 } } })).toBe('ValidationError: Template format error: [/Resources/H] DependsOn must be a string or list of strings.');
    expect(refused({ Resources: { H: { ...handle, Properties: [] } } })).toBe('ValidationError: Template format error: [/Resources/H] Every Properties member must be an object.');
  });

  it('keeps the structural checks that come first (unknown sections, no resources, names)', () => {
    expect(refused({ Resource: {} })).toBe('ValidationError: Template format error: Invalid template property or properties [Resource]');
    expect(refused({ Resources: {} })).toBe('ValidationError: Template format error: At least one Resources member must be defined.');
    expect(refused({ Resources: { 'my-handle': handle } })).toBe('ValidationError: Template format error: Resource name my-handle is non alphanumeric.');
  });

  it('returns the template as written, typed', () => {
    const t = loadTemplate('Parameters:\n  Size:\n    Type: Number\n    MinValue: 1\nResources:\n  H:\n    Type: AWS::CloudFormation::WaitConditionHandle\n    DependsOn: []\nOutputs:\n  Id:\n    Value: !Ref H\n');
    expect(t.Parameters?.Size).toEqual({ Type: 'Number', MinValue: 1 });
    expect(t.Resources.H.Type).toBe('AWS::CloudFormation::WaitConditionHandle');
    expect(t.Outputs?.Id.Value).toEqual({ Ref: 'H' });
  });
});
