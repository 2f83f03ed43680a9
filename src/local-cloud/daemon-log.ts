/**
 * The daemon's log, written at most every 200 ms: it logs every request, and stdout is its log
 * file, where each write is a synchronous system call (a busy cloud spent ~5% of its time in
 * writev). A kill -9 loses at most the last 200 ms of log lines, never state.
 */
export function bufferedLog(write: (text: string) => void, everyMs = 200): { line: (line: string) => void; flush: () => void } {
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    write(text);
  };
  process.once('exit', flush);
  return {
    line(line) {
      pending.push(`${new Date().toISOString()} ${line}\n`);
      if (!timer) {
        timer = setTimeout(flush, everyMs);
        timer.unref();
      }
    },
    flush,
  };
}
