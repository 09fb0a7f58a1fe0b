/** Human revisions per day → a gap-free daily series with a running total. */
export interface ProgressDatum {
  day: string;
  count: number;
  cumulative: number;
}

const DAY_MS = 86_400_000;

/** `minDays`: a short history is padded with empty days before it, so that it still reads as a timeline. */
export function progressSeries(progress: { day: string; count: number }[], maxDays = 366, minDays = 14): ProgressDatum[] {
  const byDay = new Map<string, number>();
  for (const p of progress) {
    const day = p.day.slice(0, 10);
    byDay.set(day, (byDay.get(day) ?? 0) + p.count);
  }
  const days = [...byDay.keys()].sort();
  if (days.length === 0) return [];
  const last = Date.parse(`${days[days.length - 1]}T00:00:00Z`);
  const first = Math.min(Date.parse(`${days[0]}T00:00:00Z`), last - (minDays - 1) * DAY_MS);
  // Unparseable day strings: keep them as they are, in order, without filling gaps.
  const filled =
    Number.isFinite(first) && Number.isFinite(last) && (last - first) / DAY_MS <= maxDays
      ? Array.from({ length: Math.round((last - first) / DAY_MS) + 1 }, (_, i) => new Date(first + i * DAY_MS).toISOString().slice(0, 10))
      : days;
  let cumulative = 0;
  return filled.map((day) => {
    const count = byDay.get(day) ?? 0;
    cumulative += count;
    return { day, count, cumulative };
  });
}
