import { describe, expect, it } from 'vitest';
import { table, visibleWidth } from '../../src/io/table.js';

describe('table', () => {
  it('aligns columns and leaves no trailing blanks', () => {
    expect(table(['REGION', 'STATUS'], [['us-east-1', 'ok'], ['eu-west-1', 'failed']])).toBe(
      'REGION     STATUS\nus-east-1  ok\neu-west-1  failed',
    );
  });

  it('measures colored cells by what the terminal shows', () => {
    const red = '\u001b[31mdown\u001b[39m';
    expect(visibleWidth(red)).toBe(4);
    const lines = table(['A', 'B'], [[red, 'x'], ['longer', 'y']]).split('\n');
    expect(lines[1]).toBe(`${red}    x`);
    expect(lines[2]).toBe('longer  y');
  });

  it('handles ragged rows', () => {
    expect(table(['A', 'B', 'C'], [['1']])).toBe('A  B  C\n1');
  });
});
