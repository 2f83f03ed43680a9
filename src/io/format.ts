import type { IoEvent, Style } from './types.js';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

// The event's text without timestamp: shared by the plain log and the spinner's persisted lines.
export function eventText(event: IoEvent, style: Style): string {
  const region = event.region ? `${style.dim(`[${event.region}]`)} ` : '';
  if (event.kind === 'step') {
    switch (event.state) {
      case 'start':
        return `${region}${event.label}...`;
      case 'update':
        return `${region}${event.label}`;
      case 'done':
        return `${region}${style.ok('done')} ${event.label}`;
      case 'failed':
        return `${region}${style.bad('FAILED')} ${event.label}`;
    }
  }
  switch (event.kind) {
    case 'warn':
      return `${region}${style.warn('warning:')} ${event.message}`;
    case 'success':
      return `${region}${style.ok(event.message)}`;
    case 'debug':
      return `${region}${style.dim(event.message)}`;
    default:
      return `${region}${event.message}`;
  }
}

// "HH:MM:SS [region] message": the non-TTY progress format, greppable in CI logs.
export function plainLine(event: IoEvent, style: Style, now: number): string {
  return `${style.dim(clockTime(now))} ${eventText(event, style)}`;
}
