import { describe, expect, it } from 'vitest';
import { createIo, createMemoryIo } from '../../src/io/index.js';

function sinks() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
  };
}

const at = new Date(2024, 0, 2, 13, 4, 5).getTime();

describe('createIo plain mode', () => {
  it('writes progress as timestamped lines on stderr and the result on stdout', () => {
    const s = sinks();
    const io = createIo({ json: false, color: false, verbose: false, isTTY: false, env: {}, stdout: s.stdout, stderr: s.stderr, now: () => at });
    io.emit({ kind: 'step', id: 'deploy:us-east-1', state: 'start', label: 'deploying health stack', region: 'us-east-1' });
    io.emit({ kind: 'step', id: 'deploy:us-east-1', state: 'done', label: 'deploying health stack', region: 'us-east-1' });
    io.emit({ kind: 'warn', message: 'no certificate' });
    io.result('all good', { ok: true });
    expect(s.out.stderr).toBe(
      '13:04:05 [us-east-1] deploying health stack...\n' +
        '13:04:05 [us-east-1] done deploying health stack\n' +
        '13:04:05 warning: no certificate\n',
    );
    expect(s.out.stdout).toBe('all good\n');
  });

  it('shows debug events only with --verbose', () => {
    const quiet = sinks();
    createIo({ json: false, color: false, verbose: false, isTTY: false, env: {}, ...quiet }).emit({ kind: 'debug', message: 'GET /x' });
    const loud = sinks();
    createIo({ json: false, color: false, verbose: true, isTTY: false, env: {}, ...loud }).emit({ kind: 'debug', message: 'GET /x' });
    expect(quiet.out.stderr).toBe('');
    expect(loud.out.stderr).toContain('GET /x');
  });

  it('uses no escape codes without color and some with it', () => {
    const plain = sinks();
    createIo({ json: false, color: false, verbose: false, isTTY: false, env: {}, ...plain }).emit({ kind: 'warn', message: 'x' });
    const colored = sinks();
    createIo({ json: false, color: true, verbose: false, isTTY: false, env: {}, ...colored }).emit({ kind: 'warn', message: 'x' });
    expect(plain.out.stderr).not.toContain('\u001b[');
    expect(colored.out.stderr).toContain('\u001b[');
  });

  it('is not interactive in CI even on a TTY, so confirm answers false without asking', async () => {
    const s = sinks();
    const io = createIo({ json: false, color: false, verbose: false, isTTY: true, env: { CI: 'true' }, ...s });
    expect(io.interactive).toBe(false);
    await expect(io.confirm('delete everything?')).resolves.toBe(false);
    expect(s.out.stderr).toBe('');
  });
});

describe('createIo on a terminal', () => {
  it('falls back to plain lines on a pty that reports zero columns (ora would loop dividing by zero)', () => {
    const s = sinks();
    const stderr = { ...s.stderr, isTTY: true, columns: 0 };
    const io = createIo({ json: false, color: false, verbose: false, isTTY: true, env: {}, stdout: s.stdout, stderr, now: () => at });
    expect(io.interactive).toBe(true);
    io.emit({ kind: 'step', id: 'a', state: 'start', label: 'deploying', region: 'us-east-1' });
    io.close();
    expect(s.out.stderr).toBe('13:04:05 [us-east-1] deploying...\n');
  });
});

describe('createIo JSON mode', () => {
  it('prints exactly one JSON document on stdout and keeps progress on stderr', () => {
    const s = sinks();
    const io = createIo({ json: true, color: false, verbose: false, isTTY: false, env: {}, ...s });
    io.emit({ kind: 'info', message: 'working', region: 'eu-west-1' });
    io.result('human text', { regions: ['eu-west-1'], ok: true });
    expect(JSON.parse(s.out.stdout)).toEqual({ regions: ['eu-west-1'], ok: true });
    expect(s.out.stdout.trim().split('\n')).toHaveLength(1);
    expect(s.out.stderr).toContain('[eu-west-1] working');
    expect(io.resultWritten).toBe(true);
    expect(() => io.result('again', {})).toThrow(/twice/);
  });
});

describe('createMemoryIo', () => {
  it('records events and both streams', () => {
    const io = createMemoryIo();
    io.emit({ kind: 'success', message: 'deployed', region: 'us-west-2' });
    io.result('done', { done: true });
    expect(io.events).toEqual([{ kind: 'success', message: 'deployed', region: 'us-west-2' }]);
    expect(io.stderr).toContain('[us-west-2] deployed');
    expect(io.stdout).toBe('done\n');
  });

  it('answers confirm only when told it is interactive', async () => {
    await expect(createMemoryIo().confirm('sure?')).resolves.toBe(false);
    const yes = createMemoryIo({ interactive: true, answer: true });
    await expect(yes.confirm('sure?')).resolves.toBe(true);
    expect(yes.questions).toEqual(['sure?']);
  });

  it('in JSON mode writes the json value, not the human text', () => {
    const io = createMemoryIo({ json: true });
    io.result('human', { a: 1 });
    expect(io.stdout).toBe('{"a":1}\n');
  });
});
