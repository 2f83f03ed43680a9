import ora, { type Ora } from 'ora';
import { eventText } from './format.js';
import type { IoEvent, Style, TextSink } from './types.js';

// One ora instance renders every running step as its own line: several independent ora spinners on
// one stream would overwrite each other's lines. Finished steps and messages are persisted above it.
export class SpinnerLog {
  private readonly running = new Map<string, IoEvent & { kind: 'step' }>();
  private spinner: Ora | undefined;

  constructor(
    private readonly stream: TextSink,
    private readonly style: Style,
  ) {}

  emit(event: IoEvent): void {
    if (event.kind === 'step' && (event.state === 'start' || event.state === 'update')) {
      this.running.set(event.id, event);
      this.redraw();
      return;
    }
    if (event.kind === 'step') this.running.delete(event.id);
    this.persist(eventText(event, this.style));
  }

  // Leaves the terminal clean (cursor shown, no half-drawn spinner) before the result is printed.
  stop(): void {
    this.spinner?.stop();
    this.spinner = undefined;
  }

  private persist(line: string): void {
    if (this.spinner) this.spinner.clear();
    this.stream.write(`${line}\n`);
    this.redraw();
  }

  private redraw(): void {
    if (this.running.size === 0) {
      this.stop();
      return;
    }
    const text = [...this.running.values()].map((e) => eventText(e, this.style)).join('\n');
    if (!this.spinner) {
      this.spinner = ora({
        text,
        stream: this.stream as unknown as NodeJS.WritableStream,
        isEnabled: true,
        discardStdin: false,
        color: 'cyan',
      }).start();
    } else {
      this.spinner.text = text;
    }
  }
}
