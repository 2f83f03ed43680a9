import { describe, expect, it } from 'vitest';
import { SpinnerLog } from '../../src/io/spinner-log.js';
import { plainStyle } from '../../src/io/style.js';

describe('SpinnerLog', () => {
  it('draws running steps and persists finished ones above the spinner', () => {
    let out = '';
    const stream = { write: (s: string) => ((out += s), true), isTTY: true, columns: 80, cursorTo() {}, clearLine() {}, moveCursor() {} };
    const log = new SpinnerLog(stream, plainStyle);
    log.emit({ kind: 'step', id: 'a', state: 'start', label: 'deploying', region: 'us-east-1' });
    log.emit({ kind: 'step', id: 'b', state: 'start', label: 'deploying', region: 'eu-west-1' });
    log.emit({ kind: 'step', id: 'a', state: 'done', label: 'deployed', region: 'us-east-1' });
    log.emit({ kind: 'step', id: 'b', state: 'failed', label: 'stack rolled back', region: 'eu-west-1' });
    log.stop();
    expect(out).toContain('[us-east-1] deploying...');
    expect(out).toContain('[eu-west-1] deploying...');
    expect(out).toContain('[us-east-1] done deployed\n');
    expect(out).toContain('[eu-west-1] FAILED stack rolled back\n');
  });
});
