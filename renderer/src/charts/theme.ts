/** Colours and recharts styling shared by the dashboard and training views (dark, neutral). */
import type { CSSProperties } from 'react';

export const COLORS = {
  bg: '#1e1e1e',
  panel: '#252526',
  panelAlt: '#2d2d30',
  border: '#3c3c3c',
  grid: '#333336',
  text: '#d4d4d4',
  muted: '#9a9a9a',
  accent: '#4c8dff',
  good: '#3fb950',
  bad: '#f85149',
  warn: '#d29922',
} as const;

const EMOTION_COLORS: Readonly<Record<string, string>> = {
  anger: '#e5534b',
  disgust: '#8fbf3f',
  fear: '#a371f7',
  happiness: '#e3b341',
  neutral: '#8b949e',
  sadness: '#4c8dff',
  surprise: '#f0883e',
  contempt: '#d36ba6',
};
const FALLBACK = ['#39c5cf', '#db61a2', '#7ee787', '#ffa657', '#79c0ff', '#d2a8ff', '#ff7b72', '#a5d6ff'];

/** A stable colour per emotion; unknown emotions get a palette colour from their name. */
export function emotionColor(emotion: string): string {
  const known = EMOTION_COLORS[emotion];
  if (known) return known;
  let h = 0;
  for (const ch of emotion) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return FALLBACK[h % FALLBACK.length];
}

export const STATUS_COLORS: Readonly<Record<string, string>> = {
  unlabeled: '#6e7681',
  weak: '#d29922',
  labeled: '#3fb950',
  reviewed: '#58a6ff',
};

/** Series colours for metric small multiples. */
export const SERIES = ['#4c8dff', '#f0883e', '#3fb950', '#e3b341', '#a371f7', '#39c5cf', '#db61a2'];

export const axisProps = {
  stroke: COLORS.muted,
  tick: { fill: COLORS.muted, fontSize: 11 },
  tickLine: false,
  axisLine: { stroke: COLORS.border },
} as const;

export const gridProps = { stroke: COLORS.grid, strokeDasharray: '2 4', vertical: false } as const;

export const tooltipProps = {
  contentStyle: {
    background: COLORS.panelAlt,
    border: `1px solid ${COLORS.border}`,
    borderRadius: 4,
    fontSize: 12,
    padding: '6px 8px',
  } satisfies CSSProperties,
  labelStyle: { color: COLORS.text, fontWeight: 600, marginBottom: 2 } satisfies CSSProperties,
  itemStyle: { color: COLORS.text, padding: 0 } satisfies CSSProperties,
  cursor: { fill: 'rgba(255,255,255,0.04)', stroke: COLORS.border },
  isAnimationActive: false,
} as const;

/** The hover highlight for bar charts: a faint band, no outline. */
export const barCursor = { fill: 'rgba(255,255,255,0.05)', stroke: 'none' } as const;

/**
 * Sequential scale for heatmaps and F1 bars: 0 → dark panel, 1 → accent blue.
 * Interpolated in RGB; good enough for a small number of cells.
 */
export function heatColor(t: number): string {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0));
  const from = [0x2d, 0x2d, 0x30];
  const to = [0x3b, 0x82, 0xf6];
  const c = from.map((f, i) => Math.round(f + (to[i] - f) * Math.pow(x, 0.8)));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Red → amber → green for scores in [0, 1] (F1, rates where higher is better). */
export function scoreColor(t: number): string {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0));
  if (x < 0.5) return mix('#f85149', '#d29922', x / 0.5);
  return mix('#d29922', '#3fb950', (x - 0.5) / 0.5);
}

function mix(a: string, b: string, t: number): string {
  const pa = [1, 3, 5].map((i) => parseInt(a.slice(i, i + 2), 16));
  const pb = [1, 3, 5].map((i) => parseInt(b.slice(i, i + 2), 16));
  const c = pa.map((v, i) => Math.round(v + (pb[i] - v) * t));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
