import type { GamedayJournal } from '../journal.js';
import { escapeXml as x, formatDuration, formatMs } from '../report-format.js';
import { timelineModel, type TimelineModel } from './lanes.js';
import {
  ALARM_FILL,
  DEFS,
  HEALTH_FILL,
  HEALTH_TEXT,
  clock,
  iso,
  markerPath,
  offsetLabel,
  regionColour,
  round,
  scale,
  seriesColour,
  seriesDash,
  spanLabel,
  textOn,
  textWidth,
  ticks,
  type Scale,
} from './svg-parts.js';

// The timeline chart of report.html as one inline SVG: lanes top to bottom (steps, rollbacks,
// region health with alarm and health-check markers, client routing, faults), a time axis in cloud
// time, and the replication lag line chart on the same axis. Every lane is a <g data-lane="...">
// and every span carries data-state / data-region / data-from / data-to, so tests (and people with
// devtools) can find what is drawn; every shape has a <title> for the tooltip and screen readers.

const WIDTH = 1000;
const LEFT = 260;
/** Lane labels longer than this are cut (the lane's <title> has the whole text). */
const LABEL_CHARS = 36;
const RIGHT = 24;
const LANE = 22;
const GAP = 6;
const HEADING = 22;
const LAG_HEIGHT = 90;

interface Cursor {
  y: number;
  out: string[];
}

function heading(c: Cursor, text: string): void {
  c.y += HEADING;
  c.out.push(`<text class="section" x="8" y="${c.y - 6}">${x(text)}</text>`);
}

function laneStart(c: Cursor, lane: string, label: string, sx: Scale, cls: string, height = LANE): void {
  const shown = label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label;
  c.out.push(`<g class="lane ${cls}" data-lane="${x(lane)}"><title>${x(label)}</title>`);
  c.out.push(`<text class="lane-label" x="${LEFT - 8}" y="${round(c.y + height / 2 + 4)}" text-anchor="end">${x(shown)}</text>`);
  c.out.push(`<rect class="lane-bg" x="${sx.left}" y="${c.y}" width="${sx.width}" height="${height}"/>`);
}

function laneEnd(c: Cursor, height = LANE): void {
  c.out.push('</g>');
  c.y += height + GAP;
}

function spanRect(sx: Scale, y: number, from: number, to: number, fill: string, attrs: string, title: string, label: string, labelFill: string, height = LANE): string {
  const x0 = sx.x(from);
  const x1 = sx.x(to);
  const w = round(Math.max(x1 - x0, 1));
  return (
    `<g ${attrs} data-from="${iso(from)}" data-to="${iso(to)}"><title>${x(title)}</title>` +
    `<rect x="${x0}" y="${y}" width="${w}" height="${height}" fill="${fill}"/>` +
    spanLabel(label, x0, x0 + w, y + height / 2 + 4, labelFill) +
    '</g>'
  );
}

function during(from: number, to: number): string {
  return `${clock(from)}–${clock(to)} (${formatDuration((to - from) / 1000)})`;
}

function stepLanes(c: Cursor, m: TimelineModel, sx: Scale): void {
  for (const rollback of [false, true]) {
    const bands = m.steps.filter((s) => s.rollback === rollback);
    if (rollback && bands.length === 0) continue;
    laneStart(c, rollback ? 'rollbacks' : 'steps', rollback ? 'rollbacks' : 'steps', sx, 'lane-steps');
    bands.forEach((s, i) => {
      const failed = s.status !== 'succeeded';
      const fill = failed ? '#ffcdd2' : i % 2 ? '#cfd8dc' : '#eceff1';
      const mark = s.status === 'failed' ? '✗' : s.status === 'skipped' ? '–' : s.status === 'aborted' ? '■' : '';
      const title = `${rollback ? 'rollback' : 'step'} ${s.index}: ${s.name} (${s.type}) ${s.status}, ${during(s.from, s.to)}`;
      c.out.push(
        spanRect(sx, c.y, s.from, s.to, fill, `class="step step-${x(s.status)}" data-step="${s.index}" data-status="${x(s.status)}"${rollback ? ' data-rollback="true"' : ''}`, title, `${s.index}${mark}`, '#000'),
      );
      if (failed) c.out.push(`<rect class="step-outline" x="${sx.x(s.from)}" y="${c.y}" width="${round(Math.max(sx.x(s.to) - sx.x(s.from), 1))}" height="${LANE}" fill="none" stroke="#c62828" stroke-width="1.5"/>`);
    });
    laneEnd(c);
  }
}

function regionLanes(c: Cursor, m: TimelineModel, sx: Scale): void {
  heading(c, 'Region health (markers: ◆ alarm, ▲▼ health check)');
  for (const lane of m.regions) {
    c.y += 8; // room for the markers above the lane
    laneStart(c, `region:${lane.region}`, lane.region, sx, 'lane-region');
    for (const s of lane.spans) {
      c.out.push(
        spanRect(sx, c.y, s.from, s.to, HEALTH_FILL[s.state], `class="span health health-${s.state}" data-state="${s.state}"`, `${lane.region} ${s.state}, ${during(s.from, s.to)}`, s.state === 'unhealthy' ? 'UNHEALTHY' : s.state, HEALTH_TEXT[s.state]),
      );
    }
    for (const a of lane.alarms) {
      c.out.push(
        `<path class="marker marker-alarm" data-marker="alarm" data-region="${x(lane.region)}" data-state="${x(a.state)}" data-at="${iso(a.at)}" d="${markerPath('diamond', sx.x(a.at), c.y - 2)}" fill="${ALARM_FILL[a.state] ?? '#9e9e9e'}" stroke="#000" stroke-width="0.8"><title>${x(`alarm ${a.name} → ${a.state} at ${clock(a.at)}`)}</title></path>`,
      );
    }
    for (const h of lane.checks) {
      c.out.push(
        `<path class="marker marker-check" data-marker="health-check" data-region="${x(lane.region)}" data-state="${h.healthy ? 'healthy' : 'unhealthy'}" data-at="${iso(h.at)}" d="${markerPath(h.healthy ? 'up' : 'down', sx.x(h.at), c.y + LANE + 1, 4)}" fill="${h.healthy ? '#2e7d32' : '#c62828'}" stroke="#000" stroke-width="0.8"><title>${x(`Route 53 health check of ${lane.region} → ${h.healthy ? 'healthy' : 'unhealthy'} at ${clock(h.at)}`)}</title></path>`,
      );
    }
    laneEnd(c);
  }
}

function routingLanes(c: Cursor, m: TimelineModel, sx: Scale): void {
  if (m.routing.length === 0) return;
  heading(c, 'Which region served each client subnet');
  for (const lane of m.routing) {
    laneStart(c, `subnet:${lane.subnet}`, lane.label ? `${lane.label} (${lane.subnet})` : lane.subnet, sx, 'lane-routing');
    for (const s of lane.spans) {
      if (s.state === undefined) {
        c.out.push(spanRect(sx, c.y, s.from, s.to, 'url(#pat-unknown)', 'class="span route route-unknown" data-state="unknown"', `${lane.subnet}: not observed yet, ${during(s.from, s.to)}`, 'not observed', '#424242'));
      } else if (s.state === null) {
        c.out.push(spanRect(sx, c.y, s.from, s.to, 'url(#pat-nobody)', 'class="span route route-nobody" data-state="nobody"', `${lane.subnet}: no answer, ${during(s.from, s.to)}`, 'no answer', '#fff'));
      } else {
        const fill = regionColour(m.palette, s.state);
        c.out.push(
          spanRect(sx, c.y, s.from, s.to, fill, `class="span route" data-state="served" data-region="${x(s.state)}"`, `${lane.subnet} served by ${s.state}, ${during(s.from, s.to)}`, s.state, textOn(fill)),
        );
      }
    }
    laneEnd(c);
  }
}

function faultLane(c: Cursor, m: TimelineModel, sx: Scale): void {
  if (m.faults.length === 0) return;
  heading(c, 'Injected faults');
  const height = m.faultRows * LANE + (m.faultRows - 1) * 2;
  laneStart(c, 'faults', 'faults', sx, 'lane-faults', height);
  for (const f of m.faults) {
    const y = c.y + f.row * (LANE + 2);
    const label = `${f.kind}${f.where ? ` ${f.where}` : ''}${f.open ? ' (still in place)' : ''}`;
    c.out.push(spanRect(sx, y, f.from, f.to, 'url(#pat-fault)', `class="span fault" data-fault-kind="${x(f.kind)}" data-open="${f.open}"`, `${label}: ${f.detail}, ${during(f.from, f.to)}`, label, '#000'));
  }
  laneEnd(c, height);
}

function axis(c: Cursor, m: TimelineModel, sx: Scale, top: number): void {
  const out = [`<g class="axis" data-lane="axis">`, `<line x1="${sx.left}" y1="${c.y}" x2="${sx.left + sx.width}" y2="${c.y}" stroke="#616161"/>`];
  for (const t of ticks(m.t1 - m.t0)) {
    const px = sx.x(m.t0 + t);
    out.push(`<line class="grid" x1="${px}" y1="${top}" x2="${px}" y2="${c.y + 4}" stroke="#bdbdbd" stroke-dasharray="2 3"/>`);
    out.push(`<text class="tick" x="${px}" y="${c.y + 16}" text-anchor="middle">${x(offsetLabel(t))}</text>`);
  }
  out.push(`<text class="axis-title" x="${sx.left + sx.width}" y="${c.y + 30}" text-anchor="end">${x(`time since ${clock(m.t0)} (cloud time), min:s`)}</text>`, '</g>');
  c.out.push(...out);
  c.y += 40;
}

function lagChart(c: Cursor, m: TimelineModel, sx: Scale): void {
  if (m.lag.length === 0) return;
  heading(c, 'Replication lag');
  const top = c.y;
  const maxMs = Math.max(m.maxLagMs, 1);
  const y = (ms: number) => round(top + LAG_HEIGHT - (ms / maxMs) * LAG_HEIGHT);
  c.out.push(`<g class="lane lane-lag" data-lane="lag" data-max-ms="${round(m.maxLagMs)}">`);
  c.out.push(`<rect class="lane-bg" x="${sx.left}" y="${top}" width="${sx.width}" height="${LAG_HEIGHT}"/>`);
  c.out.push(`<text class="tick" x="${sx.left - 6}" y="${top + 10}" text-anchor="end">${x(formatMs(m.maxLagMs))}</text>`);
  c.out.push(`<text class="tick" x="${sx.left - 6}" y="${top + LAG_HEIGHT}" text-anchor="end">0</text>`);
  const drawPoints = m.lag.reduce((n, s) => n + s.points.length, 0) <= 300;
  m.lag.forEach((s, i) => {
    const colour = seriesColour(i);
    const dash = seriesDash(i);
    const pts = s.points.map((p) => `${sx.x(p.at)},${y(p.ms)}`).join(' ');
    c.out.push(`<g class="series" data-series="${x(s.pair)}"><title>${x(`replication lag ${s.pair}`)}</title>`);
    c.out.push(`<polyline points="${pts}" fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    if (drawPoints) {
      for (const p of s.points) c.out.push(`<circle cx="${sx.x(p.at)}" cy="${y(p.ms)}" r="2.5" fill="${colour}"><title>${x(`${s.pair}: ${formatMs(p.ms)} at ${clock(p.at)}`)}</title></circle>`);
    }
    c.out.push('</g>');
  });
  c.out.push('</g>');
  c.y += LAG_HEIGHT + 8;
  // Series legend under the chart: colour, dash and the pair's name.
  let lx = sx.left;
  m.lag.forEach((s, i) => {
    const dash = seriesDash(i);
    c.out.push(
      `<g class="legend-item" data-legend="lag:${x(s.pair)}"><line x1="${lx}" y1="${c.y + 6}" x2="${lx + 24}" y2="${c.y + 6}" stroke="${seriesColour(i)}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/><text x="${lx + 30}" y="${c.y + 10}">${x(s.pair)}</text></g>`,
    );
    lx += 40 + textWidth(s.pair);
    if (lx > WIDTH - 160) {
      lx = sx.left;
      c.y += 16;
    }
  });
  c.y += 24;
}

function legend(c: Cursor, m: TimelineModel): void {
  heading(c, 'Legend');
  const items: string[] = [];
  const swatch = (key: string, fill: string, label: string, shape = '') =>
    items.push(`<g class="legend-item" data-legend="${x(key)}">${shape || `<rect width="18" height="12" fill="${fill}" stroke="#616161" stroke-width="0.5"/>`}<text x="24" y="10">${x(label)}</text></g>`);
  swatch('healthy', HEALTH_FILL.healthy, 'healthy');
  swatch('unhealthy', HEALTH_FILL.unhealthy, 'unhealthy (striped)');
  swatch('unknown', HEALTH_FILL.unknown, 'unknown / not observed (dotted)');
  swatch('nobody', 'url(#pat-nobody)', 'no region answered (crossed)');
  if (m.faults.length) swatch('fault', 'url(#pat-fault)', 'injected fault');
  for (const r of m.palette) swatch(`region:${r}`, regionColour(m.palette, r), `served by ${r}`);
  swatch('alarm', '', 'alarm state change', `<path d="${markerPath('diamond', 9, 6)}" fill="${ALARM_FILL.ALARM}" stroke="#000" stroke-width="0.8"/>`);
  swatch('health-check', '', 'health check: ▲ healthy ▼ unhealthy', `<path d="${markerPath('up', 9, 6, 4)}" fill="#2e7d32" stroke="#000" stroke-width="0.8"/>`);
  let lx = LEFT;
  let ly = c.y;
  for (const item of items) {
    const w = 40 + textWidth(item.replace(/<[^>]*>/g, ''));
    if (lx + w > WIDTH - RIGHT) {
      lx = LEFT;
      ly += 18;
    }
    c.out.push(`<g transform="translate(${round(lx)} ${ly})">${item}</g>`);
    lx += w;
  }
  c.y = ly + 24;
}

/** A one-paragraph text equivalent of the chart, for <desc>. */
function description(j: GamedayJournal, m: TimelineModel): string {
  const parts = [`Timeline of game day ${j.name} from ${iso(m.t0)} to ${iso(m.t1)} (cloud time).`];
  for (const r of m.regions) {
    const bad = r.spans.filter((s) => s.state === 'unhealthy');
    parts.push(bad.length ? `${r.region} unhealthy ${bad.map((s) => during(s.from, s.to)).join(', ')}.` : `${r.region} never observed unhealthy.`);
  }
  for (const l of m.routing) {
    const served = l.spans.filter((s) => s.state !== undefined).map((s) => s.state ?? 'nobody');
    parts.push(`${l.subnet} served by ${served.join(' then ') || 'nobody observed'}.`);
  }
  if (m.faults.length) parts.push(`Faults: ${m.faults.map((f) => `${f.kind} ${f.where} ${during(f.from, f.to)}`).join('; ')}.`);
  if (m.lag.length) parts.push(`Replication lag peaked at ${formatMs(m.maxLagMs)}.`);
  return parts.join(' ');
}

/** The timeline chart: an <svg> element to inline in report.html. */
export function renderTimelineSvg(j: GamedayJournal): string {
  const m = timelineModel(j);
  const sx = scale(m.t0, m.t1, LEFT, WIDTH - LEFT - RIGHT);
  // Room above the first lane for the "stopped" label.
  const c: Cursor = { y: 20, out: [] };
  const top = c.y;
  stepLanes(c, m, sx);
  regionLanes(c, m, sx);
  routingLanes(c, m, sx);
  faultLane(c, m, sx);
  const lanesBottom = c.y;
  // Step starts as faint lines across the lanes, so a transition can be read against its step.
  const stepLines = m.steps
    .filter((s) => !s.rollback)
    .map((s) => `<line class="step-line" data-step-line="${s.index}" x1="${sx.x(s.from)}" y1="${top + LANE}" x2="${sx.x(s.from)}" y2="${lanesBottom}" stroke="#90a4ae" stroke-width="0.6"/>`);
  axis(c, m, sx, top);
  const stop =
    m.stoppedAt !== undefined
      ? `<g class="marker-stop" data-marker="stop" data-at="${iso(m.stoppedAt)}"><title>${x(`stopped: ${j.stopped?.condition ?? ''} ${j.stopped?.reason ?? ''} at ${clock(m.stoppedAt)}`)}</title><line x1="${sx.x(m.stoppedAt)}" y1="${top}" x2="${sx.x(m.stoppedAt)}" y2="${lanesBottom}" stroke="#b71c1c" stroke-width="2" stroke-dasharray="5 3"/><text x="${sx.x(m.stoppedAt)}" y="${top - 6}" text-anchor="middle" fill="#b71c1c" font-weight="600">stopped</text></g>`
      : '';
  lagChart(c, m, sx);
  legend(c, m);
  const height = Math.ceil(c.y + 8);
  return [
    `<svg id="timeline" class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="timeline-title timeline-desc" data-t0="${iso(m.t0)}" data-t1="${iso(m.t1)}">`,
    `<title id="timeline-title">${x(`Timeline of ${j.name}`)}</title>`,
    `<desc id="timeline-desc">${x(description(j, m))}</desc>`,
    DEFS,
    ...c.out,
    ...stepLines,
    stop,
    '</svg>',
  ].join('\n');
}
