/** Number and date formatting for tables, tiles and tooltips. */

export function fmtInt(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '–' : Math.round(n).toLocaleString('en-US');
}

/** 0.8734 → "87.3%". */
export function fmtPct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`;
}

/** Compact metric values: 3 significant digits, exponent only for tiny or huge values ("1.4e-4"). */
export function fmtNum(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1e5 || a < 1e-3) {
    const [m, e] = x.toExponential(2).split('e');
    return `${m.replace(/\.?0+$/, '')}e${e.replace('+', '')}`;
  }
  if (a >= 100) return x.toFixed(0);
  return String(Number(x.toPrecision(3)));
}

/** Signed difference, e.g. "+2.1 pp" for rates. */
export function fmtDeltaPct(d: number): string {
  if (!Number.isFinite(d)) return '–';
  const v = d * 100;
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(1)} pp`;
}

/** ISO timestamp → "2026-11-29 08:42" in local time; tolerates SQLite's "YYYY-MM-DD HH:MM:SS". */
export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = parseDate(iso);
  if (!d) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Short relative time: "3 min ago", "2 h ago", "5 d ago". */
export function fmtAgo(iso: string | null | undefined, now = Date.now()): string {
  const d = iso ? parseDate(iso) : null;
  if (!d) return '–';
  const s = Math.max(0, (now - d.getTime()) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function parseDate(s: string): Date | null {
  const iso = /^\d{4}-\d{2}-\d{2} \d/.test(s) ? s.replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? '' : 'Z') : s;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}
