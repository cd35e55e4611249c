import { type FlameTable } from '../model/flamegraph';

/**
 * Pure flamegraph geometry: which rectangles to draw for a viewport, in CSS pixels. No canvas
 * here, so it is unit-tested directly; `paint/` only fills what this returns.
 */
export interface LayoutParams {
  /** Drawing width in CSS pixels. */
  width: number;
  rowHeight: number;
  orientation: 'icicle' | 'flame';
  /** Visible value range `[x0, x1)`. */
  x0: number;
  x1: number;
  /** Bars narrower than this merge with narrow neighbours of the same parent. */
  mergeBelow?: number;
  /** Bars (merged or not) narrower than this are not drawn at all. */
  hideBelow?: number;
  /** Bars at least this wide get a label (clipped to the bar by the painter). */
  labelAbove?: number;
}

export const DEFAULTS = { mergeBelow: 1, hideBelow: 0.35, labelAbove: 18 } as const;

export interface Bar {
  /** The node drawn (the first of a merged run). */
  node: number;
  level: number;
  x: number;
  y: number;
  w: number;
  /** How many nodes this bar stands for (more than 1: sub-pixel neighbours merged). */
  merged: number;
  label: boolean;
}

export interface Layout {
  bars: Bar[];
  /** `levelBars[l]` is the index of the first bar on visible level l (rows from the top of the data). */
  levelBars: number[];
  levels: number;
  height: number;
  params: Required<LayoutParams>;
}

/** Lays out every visible node of `t` for the viewport. O(nodes in range). */
export function layout(t: FlameTable, p: LayoutParams): Layout {
  const params: Required<LayoutParams> = { ...DEFAULTS, ...p };
  const { width, x0, x1, mergeBelow, hideBelow, labelAbove } = params;
  const scale = x1 > x0 ? width / (x1 - x0) : 0;
  const bars: Bar[] = [];
  const levelBars: number[] = [];
  let levels = 0;
  for (let d = 0; d < t.depth; d++) {
    const first = firstEndingAfter(t, d, x0);
    const end = t.levelStart[d + 1];
    const levelFirstBar = bars.length;
    // A run of narrow siblings being merged: its first node, pixel start, pixel end, size.
    let runNode = -1;
    let runX = 0;
    let runEnd = 0;
    let runCount = 0;
    let runParent = -2;
    const flush = () => {
      if (runNode >= 0 && runEnd - runX >= hideBelow) {
        bars.push({ node: runNode, level: d, x: runX, y: 0, w: runEnd - runX, merged: runCount, label: runCount === 1 && runEnd - runX >= labelAbove });
      }
      runNode = -1;
    };
    for (let i = first; i < end; i++) {
      const s = t.start[i];
      if (s >= x1) break;
      const e = s + t.total[i];
      const px = (Math.max(s, x0) - x0) * scale;
      const pe = (Math.min(e, x1) - x0) * scale;
      const w = pe - px;
      if (w <= 0) continue;
      if (w < mergeBelow) {
        const parent = t.parent[i];
        if (runNode >= 0 && parent === runParent && px - runEnd < 0.5) {
          runEnd = pe;
          runCount++;
        } else {
          flush();
          runNode = i;
          runX = px;
          runEnd = pe;
          runCount = 1;
          runParent = parent;
        }
        continue;
      }
      flush();
      bars.push({ node: i, level: d, x: px, y: 0, w, merged: 1, label: w >= labelAbove });
    }
    flush();
    if (bars.length === levelFirstBar) break; // nothing visible here, so nothing deeper either
    levelBars.push(levelFirstBar);
    levels = d + 1;
  }
  levelBars.push(bars.length);
  const rh = params.rowHeight;
  for (const b of bars) {
    b.y = params.orientation === 'icicle' ? b.level * rh : (levels - 1 - b.level) * rh;
  }
  return { bars, levelBars, levels, height: levels * rh, params };
}

/** First node on level d whose end lies after x (binary search; a level is sorted by start). */
function firstEndingAfter(t: FlameTable, d: number, x: number): number {
  let lo = t.levelStart[d];
  let hi = t.levelStart[d + 1];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t.start[mid] + t.total[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The bar under a point (CSS pixels), or undefined. */
export function hitTest(l: Layout, x: number, y: number): Bar | undefined {
  const row = Math.floor(y / l.params.rowHeight);
  if (row < 0 || row >= l.levels || x < 0) return undefined;
  const level = l.params.orientation === 'icicle' ? row : l.levels - 1 - row;
  let lo = l.levelBars[level];
  let hi = l.levelBars[level + 1];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (l.bars[mid].x + l.bars[mid].w <= x) lo = mid + 1;
    else hi = mid;
  }
  const b = l.bars[lo];
  return b && lo < l.levelBars[level + 1] && b.x <= x ? b : undefined;
}

/**
 * Fits a label into `avail` pixels given a text measure: the whole name, else its tail with a
 * leading ellipsis (the end of a qualified name says most), else nothing.
 */
export function fitLabel(name: string, avail: number, measure: (s: string) => number): string {
  if (avail <= 0) return '';
  if (measure(name) <= avail) return name;
  const ell = '…';
  // Fewer than three characters of a name tell nothing: leave the bar unlabelled.
  if (measure(ell + name.slice(-3)) > avail) return '';
  let lo = 3;
  let hi = name.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (measure(ell + name.slice(-mid)) <= avail) lo = mid;
    else hi = mid - 1;
  }
  return ell + name.slice(-lo);
}
