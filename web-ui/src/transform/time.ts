/**
 * Time range expressions as the API takes them (`now`, `now-6h`, epoch numbers whose magnitude
 * tells the unit) and what the UI shows for them.
 */
const UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };

/** Resolves a time expression to epoch milliseconds; NaN when it is not one. */
export function resolveTime(expr: string, now: number = Date.now()): number {
  const s = expr.trim();
  if (s === 'now') return now;
  const rel = /^now\s*-\s*(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(s);
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]];
  if (/^\d+(\.\d+)?$/.test(s)) return epochToMillis(Number(s));
  // A date as people type it: `2026-11-26 05:49` (local time) or ISO 8601.
  const t = Date.parse(s.includes('T') ? s : s.replace(' ', 'T'));
  return Number.isNaN(t) ? Number.NaN : t;
}

/** Epoch by magnitude: seconds, milliseconds, microseconds or nanoseconds → milliseconds. */
export function epochToMillis(n: number): number {
  if (n < 1e11) return n * 1e3;
  if (n < 1e14) return n;
  if (n < 1e17) return n / 1e3;
  return n / 1e6;
}

/** Normalises what a user typed into an API time: relative stays, a date becomes epoch seconds. */
export function toApiTime(expr: string): string | null {
  const s = expr.trim();
  if (s === 'now' || /^now\s*-\s*\d+(\.\d+)?\s*[smhdw]$/.test(s)) return s.replace(/\s+/g, '');
  const t = resolveTime(s);
  return Number.isNaN(t) ? null : String(Math.round(t / 1000));
}

/** True for `now`-relative expressions. */
export function isRelative(expr: string): boolean {
  return expr.trim().startsWith('now');
}

/** For an input box: relative stays as typed; epoch becomes local `YYYY-MM-DD HH:MM:SS`. */
export function displayTime(expr: string): string {
  if (isRelative(expr)) return expr;
  const t = resolveTime(expr);
  if (Number.isNaN(t)) return expr;
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Presets for the range picker. */
export const PRESETS: { label: string; from: string }[] = [
  { label: 'Last 5 minutes', from: 'now-5m' },
  { label: 'Last 15 minutes', from: 'now-15m' },
  { label: 'Last hour', from: 'now-1h' },
  { label: 'Last 6 hours', from: 'now-6h' },
  { label: 'Last 24 hours', from: 'now-24h' },
  { label: 'Last 7 days', from: 'now-7d' },
];

/** Nice axis ticks for a time range: about `count` ticks on round boundaries. */
export function timeTicks(fromMs: number, untilMs: number, count: number): number[] {
  const span = untilMs - fromMs;
  if (!(span > 0)) return [];
  const steps = [1e3, 5e3, 15e3, 30e3, 60e3, 300e3, 900e3, 1800e3, 3600e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3, 86400e3, 7 * 86400e3];
  const step = steps.find((s) => span / s <= count) ?? steps[steps.length - 1];
  const offset = new Date(fromMs).getTimezoneOffset() * 60e3;
  const ticks: number[] = [];
  for (let t = Math.ceil((fromMs - offset) / step) * step + offset; t <= untilMs; t += step) ticks.push(t);
  return ticks;
}

export function formatTick(t: number, spanMs: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  const hm = `${p(d.getHours())}:${p(d.getMinutes())}`;
  if (spanMs > 2 * 86400e3) return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${hm}`;
  if (spanMs < 600e3) return `${hm}:${p(d.getSeconds())}`;
  return hm;
}
