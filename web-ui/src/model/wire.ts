/**
 * The flamegraph wire format, version 1, as specified in `query/FLAMEGRAPH-FORMAT.md` (the one
 * description both the Java encoder and this decoder cite). These are the JSON shapes exactly as
 * the server sends them; `flamegraph.ts` decodes them into a flat node table.
 */

/** Integers per node on a level: `[xDelta, total, self, name]`. */
export const SINGLE_STRIDE = 4;
/** Integers per node on a level: `[xDelta, total, self, leftTotal, leftSelf, name, zMilli]`. */
export const DIFF_STRIDE = 7;
/** The only version this decoder understands; a newer one is refused with a clear message. */
export const FORMAT_VERSION = 1;

export interface WireFlamegraph {
  version: number;
  kind: 'single' | 'diff';
  profileType?: string;
  unit?: string;
  /** String table; `names[0]` is always `"total"`. */
  names: string[];
  /**
   * Optional, parallel to `names`: each name's frame type (`native`, `kernel`, `python`, `jvm`,
   * `jit`, or `""` when unknown).
   */
  frameTypes?: string[];
  /** `levels[d]`: nodes at depth d, left to right, `stride` integers each. */
  levels: number[][];
  total: number;
  maxSelf?: number;
  nodes?: number;
  truncated?: boolean;
  /** Diff only: each side's grand total (value units) and sample count. */
  leftTotal?: number;
  rightTotal?: number;
  leftCount?: number;
  rightCount?: number;
}
