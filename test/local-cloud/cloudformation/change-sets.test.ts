import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../src/local-cloud/aws-error.js';
import { fakeCloud } from './fake-cloud.js';

const R = 'us-west-2';
const v1 = 'Parameters: { V: { Type: String, Default: one } }\nResources: { A: { Type: Test::Thing, Properties: { Value: !Ref V } }, K: { Type: Test::Immutable, Properties: { Value: k } }, Gone: { Type: Test::Thing } }';
const v2 = 'Parameters: { V: { Type: String, Default: one } }\nResources: { A: { Type: Test::Thing, Properties: { Value: !Ref V } }, K: { Type: Test::Immutable, Properties: { Value: k2 } }, New: { Type: Test::Thing } }';

describe('CloudFormation change sets', () => {
  it('CREATE puts a new stack in REVIEW_IN_PROGRESS, lists every resource as Add, and creates it on execute', async () => {
    const { cfn } = fakeCloud();
    const { Id, StackId } = cfn.createChangeSet(R, { StackName: 'cs', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: v1 });
    expect(Id).toMatch(/^arn:aws:cloudformation:us-west-2:000000000000:changeSet\/first\//);
    expect(cfn.describeStacks(R, { StackName: 'cs' }).Stacks[0].StackStatus).toBe('REVIEW_IN_PROGRESS');
    const described = cfn.describeChangeSet(R, { ChangeSetName: Id });
    expect(described).toMatchObject({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', StackId });
    expect((described.Changes as any[]).map((c) => `${c.ResourceChange.Action}:${c.ResourceChange.LogicalResourceId}`)).toEqual(['Add:A', 'Add:K', 'Add:Gone']);
    cfn.executeChangeSet(R, { ChangeSetName: 'first', StackName: 'cs' });
    await cfn.idle();
    expect(cfn.describeStacks(R, { StackName: 'cs' }).Stacks[0].StackStatus).toBe('CREATE_COMPLETE');
    expect(cfn.describeChangeSet(R, { ChangeSetName: Id }).ExecutionStatus).toBe('EXECUTE_COMPLETE');
  });

  it('UPDATE describes Modify with Replacement True/False and Remove', async () => {
    const { cfn, calls } = fakeCloud();
    cfn.createStack(R, { StackName: 'cs', TemplateBody: v1 });
    await cfn.idle();
    cfn.createChangeSet(R, { StackName: 'cs', ChangeSetName: 'two', TemplateBody: v2, Parameters: [{ ParameterKey: 'V', ParameterValue: 'changed' }] });
    const changes = (cfn.describeChangeSet(R, { ChangeSetName: 'two', StackName: 'cs' }).Changes as any[]).map((c) => c.ResourceChange);
    expect(changes.map((c) => [c.Action, c.LogicalResourceId, c.Replacement])).toEqual([
      ['Modify', 'A', 'False'],
      ['Modify', 'K', 'True'],
      ['Add', 'New', undefined],
      ['Remove', 'Gone', undefined],
    ]);
    expect(changes[1].Details[0]).toMatchObject({ Target: { Attribute: 'Properties', Name: 'Value', RequiresRecreation: 'Always' } });
    expect(calls.filter((c) => !c.startsWith('start'))).toEqual(['create:A', 'create:K', 'create:Gone']);
    expect(cfn.listChangeSets(R, { StackName: 'cs' }).Summaries).toHaveLength(1);
    cfn.executeChangeSet(R, { ChangeSetName: 'two', StackName: 'cs' });
    await cfn.idle();
    expect(cfn.describeStacks(R, { StackName: 'cs' }).Stacks[0].StackStatus).toBe('UPDATE_COMPLETE');
  });

  it('reports "didn\'t contain changes" exactly as AWS and refuses to execute it', async () => {
    const { cfn } = fakeCloud();
    cfn.createStack(R, { StackName: 'same', TemplateBody: v1 });
    await cfn.idle();
    const { Id } = cfn.createChangeSet(R, { StackName: 'same', ChangeSetName: 'noop', TemplateBody: v1 });
    expect(cfn.describeChangeSet(R, { ChangeSetName: 'noop', StackName: 'same' })).toMatchObject({
      Status: 'FAILED',
      ExecutionStatus: 'UNAVAILABLE',
      StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set.",
      Changes: [],
    });
    let error: AwsError | undefined;
    try {
      cfn.executeChangeSet(R, { ChangeSetName: Id });
    } catch (err) {
      error = err as AwsError;
    }
    expect(error?.code).toBe('InvalidChangeSetStatus');
    expect(error?.message).toBe(`ChangeSet [${Id}] cannot be executed in its current status of [FAILED]`);
    cfn.deleteChangeSet(R, { ChangeSetName: Id });
    expect(() => cfn.describeChangeSet(R, { ChangeSetName: Id })).toThrow(`ChangeSet [${Id}] does not exist`);
  });

  it('rejects CREATE for an existing stack and UPDATE for a missing one', async () => {
    const { cfn } = fakeCloud();
    expect(() => cfn.createChangeSet(R, { StackName: 'none', ChangeSetName: 'x', TemplateBody: v1 })).toThrow('Stack [none] does not exist');
    cfn.createStack(R, { StackName: 'there', TemplateBody: v1 });
    await cfn.idle();
    expect(() => cfn.createChangeSet(R, { StackName: 'there', ChangeSetName: 'x', ChangeSetType: 'CREATE', TemplateBody: v1 }))
      .toThrow('Stack [there] already exists and cannot be created again with the changeSet [x].');
  });
});
