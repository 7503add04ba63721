// The chart of numeric topics (uPlot), each on its own scale, over the last minutes chosen.

import uPlot from 'uplot';
import { type TopicMessage, numberOf } from '../../explorer/tree';
import { $, draw, set, tree, W } from './page';

/** Charted topics at most, and points kept a topic (an hour at one a second). */
export const MAX_CHARTED = 8;
const MAX_POINTS = 3600;
const COLOURS = ['#1f6fd1', '#c2410c', '#15803d', '#7c3aed', '#b91c1c', '#0e7490', '#a16207', '#4b5563'];

export const charted = new Map<string, { t: number[]; v: number[] }>();
/** The minutes the chart shows, a live binding: setWindow changes it. */
export let windowMinutes = 5;

export function setWindow(minutes: number): void {
  windowMinutes = minutes;
}

let plot: uPlot | null = null;

export function chart(topic: string, on: boolean): void {
  if (!on) charted.delete(topic);
  else if (!charted.has(topic) && charted.size < MAX_CHARTED) {
    const points = { t: [] as number[], v: [] as number[] };
    for (const s of tree.topics.get(topic)?.history ?? []) {
      const v = numberOf(s);
      if (v !== null) {
        points.t.push(s.at / 1000);
        points.v.push(v);
      }
    }
    charted.set(topic, points);
  }
  plot?.destroy();
  plot = null;
  draw();
}

export function point(s: TopicMessage): void {
  const p = charted.get(s.topic);
  const v = numberOf(s);
  if (!p || v === null) return;
  p.t.push(s.at / 1000);
  p.v.push(v);
  if (p.t.length > MAX_POINTS) {
    p.t.splice(0, p.t.length - MAX_POINTS);
    p.v.splice(0, p.v.length - MAX_POINTS);
  }
}

/** The charted series on one time axis (uPlot's aligned data): the union of their times, gaps as null. */
function aligned(now: number): uPlot.AlignedData {
  const from = now / 1000 - windowMinutes * 60;
  const times = new Set<number>();
  for (const p of charted.values()) for (const t of p.t) if (t >= from) times.add(t);
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((t, i) => [t, i]));
  const ys = [...charted.values()].map((p) => {
    const y: (number | null)[] = new Array(xs.length).fill(null);
    p.t.forEach((t, i) => {
      const at = index.get(t);
      if (at !== undefined) y[at] = p.v[i];
    });
    return y;
  });
  return [xs, ...ys];
}

export function drawChart(now: number): void {
  const box = $('chart');
  $('no-numbers').hidden = charted.size > 0;
  set($('no-numbers'), W.noNumbers);
  if (!charted.size) {
    plot?.destroy();
    plot = null;
    return;
  }
  const width = Math.max(240, box.clientWidth || $('detail').clientWidth - 24);
  if (!plot) {
    // Each topic on its own scale (a temperature near 20 beside a pressure near 1013): the first
    // two have an axis, left and right, in their colour.
    const topics = [...charted.keys()];
    const series: uPlot.Series[] = [
      {},
      ...topics.map((label, i) => ({ label, scale: `y${i}`, stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: true })),
    ];
    // The time as the reader's clock says it (14:05:30), a tick every 90 px at least; the value
    // axes wide enough for "1 013,5" in either language.
    const time: uPlot.Axis = { space: 90, values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleTimeString(W.locale)) };
    const axes: uPlot.Axis[] = [
      time,
      ...topics.slice(0, 2).map((_, i) => ({ scale: `y${i}`, side: i ? 1 : 3, size: 72, stroke: COLOURS[i], grid: { show: i === 0 } })),
    ];
    const scales: uPlot.Scales = { x: { time: true } };
    plot = new uPlot({ width, height: 260, series, axes, scales, legend: { live: false } }, aligned(now), box);
  } else {
    if (Math.abs(plot.width - width) > 4) plot.setSize({ width, height: 260 });
    plot.setData(aligned(now));
  }
}
