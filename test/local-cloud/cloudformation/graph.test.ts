import { describe, expect, it } from 'vitest';
import { creationOrder, dependencyGraph, reversed, runGraph } from '../../../src/local-cloud/cloudformation/graph.js';

const template = {
  Parameters: { Stage: { Type: 'String' } },
  Resources: {
    Api: { Type: 'T', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Name: { 'Fn::Sub': '${Table}-${Stage}-${AWS::Region}' } } },
    Role: { Type: 'T' },
    Table: { Type: 'T', DependsOn: 'Role' },
    Alarm: { Type: 'T', Properties: { Target: { Ref: 'Api' } } },
  },
};

describe('dependency graph', () => {
  it('collects edges from Ref, GetAtt, Sub and DependsOn, ignoring parameters and pseudo parameters', () => {
    const graph = dependencyGraph(template, Object.keys(template.Resources));
    expect([...graph.get('Api')!].sort()).toEqual(['Role', 'Table']);
    expect([...graph.get('Table')!]).toEqual(['Role']);
    expect(creationOrder(graph)).toEqual(['Role', 'Table', 'Api', 'Alarm']);
    expect([...reversed(graph).get('Role')!].sort()).toEqual(['Api', 'Table']);
  });

  it('names the resources of a cycle, not the ones that merely depend on it', () => {
    const cyclic = {
      Resources: {
        A: { Type: 'T', Properties: { X: { Ref: 'B' } } },
        B: { Type: 'T', DependsOn: ['A'] },
        C: { Type: 'T', Properties: { X: { Ref: 'A' } } },
      },
    };
    expect(() => dependencyGraph(cyclic, ['A', 'B', 'C'])).toThrow('Circular dependency between resources: [A, B]');
  });

  it('reports references to undeclared resources', () => {
    const broken = { Resources: { A: { Type: 'T', Properties: { X: { Ref: 'Ghost' } } } } };
    expect(() => dependencyGraph(broken, ['A'])).toThrow('Template format error: Unresolved resource dependencies [Ghost] in the Resources block of the template');
  });

  it('runs independent work concurrently and dependent work in order', async () => {
    const graph = dependencyGraph(template, Object.keys(template.Resources));
    const log: string[] = [];
    await runGraph(graph, async (id) => {
      log.push(`start ${id}`);
      await new Promise((r) => setImmediate(r));
      log.push(`end ${id}`);
    });
    expect(log.indexOf('end Role')).toBeLessThan(log.indexOf('start Table'));
    expect(log.indexOf('end Table')).toBeLessThan(log.indexOf('start Api'));
    expect(log.indexOf('end Api')).toBeLessThan(log.indexOf('start Alarm'));
  });

  it('starts nothing new after a failure but lets running work finish', async () => {
    const graph = new Map([['A', new Set<string>()], ['B', new Set<string>()], ['C', new Set(['A'])]]);
    const outcome = await runGraph(graph, async (id) => {
      await new Promise((r) => setImmediate(r));
      if (id === 'A') throw new Error('no');
    });
    expect(outcome).toEqual({ completed: ['B'], failed: ['A'] });
  });
});
