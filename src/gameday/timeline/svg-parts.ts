import { escapeXml as x } from '../report-format.js';

// Small drawing pieces of the timeline SVG: scale, axis ticks, colours, patterns, labels.
// Colour is never the only cue: health states also differ by pattern and text, routing spans carry
// the region's name, markers differ by shape, lag series by dash pattern.

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
const REGION_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#8C6D1F', '#4D4D4D'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2', '10 4'];

export function regionColour(palette: string[], region: string): string {
  const i = palette.indexOf(region);
  return REGION_COLOURS[(i < 0 ? palette.length : i) % REGION_COLOURS.length];
}

/** Black or white text, whichever reads on the fill. */
export function textOn(fill: string): string {
  const n = parseInt(fill.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#000' : '#fff';
}

export function seriesColour(i: number): string {
  return REGION_COLOURS[(i + 3) % REGION_COLOURS.length];
}

export function seriesDash(i: number): string {
  return DASHES[i % DASHES.length];
}

export interface Scale {
  t0: number;
  t1: number;
  left: number;
  width: number;
  x(t: number): number;
}

export function scale(t0: number, t1: number, left: number, width: number): Scale {
  const span = t1 - t0 || 1;
  return { t0, t1, left, width, x: (t) => round(left + ((Math.min(Math.max(t, t0), t1) - t0) / span) * width) };
}

export function round(n: number): number {
  return Math.round(n * 10) / 10;
}

const TICK_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** Tick offsets (ms from t0) at a round step, about 6–10 of them. */
export function ticks(durationMs: number): number[] {
  const step = (TICK_STEPS_S.find((s) => durationMs / (s * 1000) <= 10) ?? 86400) * 1000;
  const out: number[] = [];
  for (let t = 0; t <= durationMs + 1; t += step) out.push(t);
  return out;
}

/** "+0:00", "+2:30", "+1:05:00": offset from the run's start. */
export function offsetLabel(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `+${h}:${String(m).padStart(2, '0')}:${s}` : `+${m}:${s}`;
}

export function iso(t: number): string {
  return Number.isFinite(t) ? new Date(t).toISOString() : '';
}

export function clock(t: number): string {
  return iso(t).slice(11, 19) + 'Z';
}

/** Rough width of 11px sans-serif text, to decide whether a label fits inside a span. */
export function textWidth(s: string, size = 11): number {
  return s.length * size * 0.6;
}

/** A label drawn inside a span only when it fits; the span's <title> carries it either way. */
export function spanLabel(text: string, x0: number, x1: number, y: number, fill: string): string {
  if (textWidth(text) + 6 > x1 - x0) return '';
  return `<text class="span-label" x="${round((x0 + x1) / 2)}" y="${round(y)}" text-anchor="middle" fill="${fill}">${x(text)}</text>`;
}

export const DEFS = `<defs>
<pattern id="pat-unhealthy" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#c62828"/><rect width="3" height="8" fill="#ef9a9a"/></pattern>
<pattern id="pat-unknown" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#eeeeee"/><circle cx="3" cy="3" r="1" fill="#9e9e9e"/></pattern>
<pattern id="pat-nobody" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#424242"/><path d="M0 0L8 8M8 0L0 8" stroke="#bdbdbd" stroke-width="1"/></pattern>
<pattern id="pat-fault" width="10" height="10" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="10" height="10" fill="#ffb74d"/><rect width="4" height="10" fill="#f57c00"/></pattern>
</defs>`;

export const HEALTH_FILL = { healthy: '#2e7d32', unhealthy: 'url(#pat-unhealthy)', unknown: 'url(#pat-unknown)' } as const;
export const HEALTH_TEXT = { healthy: '#fff', unhealthy: '#fff', unknown: '#424242' } as const;

/** Diamond (alarm) or triangle (health check, pointing up when healthy) centred on (cx, cy). */
export function markerPath(shape: 'diamond' | 'up' | 'down', cx: number, cy: number, r = 5): string {
  const c = (n: number) => round(n);
  if (shape === 'diamond') return `M${c(cx)} ${c(cy - r)}L${c(cx + r)} ${c(cy)}L${c(cx)} ${c(cy + r)}L${c(cx - r)} ${c(cy)}Z`;
  if (shape === 'up') return `M${c(cx)} ${c(cy - r)}L${c(cx + r)} ${c(cy + r)}L${c(cx - r)} ${c(cy + r)}Z`;
  return `M${c(cx - r)} ${c(cy - r)}L${c(cx + r)} ${c(cy - r)}L${c(cx)} ${c(cy + r)}Z`;
}

export const ALARM_FILL = { ALARM: '#c62828', OK: '#2e7d32', INSUFFICIENT_DATA: '#9e9e9e' } as const;
