/**
 * Human units for values in a profile type's unit: nanoseconds → µs/ms/s/min, bytes → KiB/MiB/GiB,
 * counts → k/M/G. Tooltips, tables and legends all format through here.
 */
export function formatValue(v: number, unit: string): string {
  if (!Number.isFinite(v)) return '–';
  const neg = v < 0;
  const a = Math.abs(v);
  const s = neg ? '−' : '';
  switch (normaliseUnit(unit)) {
    case 'nanoseconds':
      return s + formatDuration(a);
    case 'bytes':
      return s + formatBytes(a);
    default:
      return s + formatCount(a);
  }
}

export function normaliseUnit(unit: string): 'nanoseconds' | 'bytes' | 'count' {
  const u = unit.toLowerCase();
  if (u === 'nanoseconds' || u === 'ns') return 'nanoseconds';
  if (u === 'bytes' || u === 'byte') return 'bytes';
  return 'count';
}

function formatDuration(ns: number): string {
  if (ns < 1e3) return `${trim(ns)} ns`;
  if (ns < 1e6) return `${trim(ns / 1e3)} µs`;
  if (ns < 1e9) return `${trim(ns / 1e6)} ms`;
  if (ns < 60e9) return `${trim(ns / 1e9)} s`;
  if (ns < 3600e9) return `${trim(ns / 60e9)} min`;
  return `${trim(ns / 3600e9)} h`;
}

function formatBytes(b: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let k = 0;
  while (b >= 1024 && k < units.length - 1) {
    b /= 1024;
    k++;
  }
  return `${trim(b)} ${units[k]}`;
}

function formatCount(c: number): string {
  if (c < 1e3) return trim(c);
  if (c < 1e6) return `${trim(c / 1e3)} k`;
  if (c < 1e9) return `${trim(c / 1e6)} M`;
  return `${trim(c / 1e9)} G`;
}

/** Three significant digits at most, no trailing zeros: 1.5, 12.3, 123, 0.25. */
function trim(x: number): string {
  if (x === 0) return '0';
  const digits = x >= 100 ? 0 : x >= 10 ? 1 : 2;
  return String(Number(x.toFixed(digits)));
}

/** A share as a percentage: 12.3 %, 0.04 %, < 0.01 %. */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return '–';
  const p = share * 100;
  if (p !== 0 && Math.abs(p) < 0.01) return p < 0 ? '> −0.01 %' : '< 0.01 %';
  const digits = Math.abs(p) >= 10 ? 1 : 2;
  return `${Number(p.toFixed(digits))} %`;
}

/** A change of share in percentage points with its sign: +4.2 pp, −0.3 pp. */
export function formatShareChange(delta: number): string {
  const p = delta * 100;
  const digits = Math.abs(p) >= 10 ? 1 : 2;
  const v = Number(Math.abs(p).toFixed(digits));
  return `${p >= 0 ? '+' : '−'}${v} pp`;
}

/** The unit part of a profile type id (`name:sample_type:sample_unit:period_type:period_unit`). */
export function unitOfProfileType(id: string): string {
  return id.split(':')[2] ?? '';
}
