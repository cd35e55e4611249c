import { DIFF_STRIDE, FORMAT_VERSION, SINGLE_STRIDE, type WireFlamegraph } from './wire';

/**
 * A decoded flamegraph: one row per node in a struct of typed arrays, ordered by level and then
 * left to right (the wire order). Absolute positions replace the wire's `xDelta`, and parent /
 * child links are resolved once, so zoom, search and layout never rebuild a tree.
 */
export interface FlameTable {
  kind: 'single' | 'diff';
  profileType: string;
  unit: string;
  names: string[];
  /** Parallel to `names` when the server sent frame types (see `WireFlamegraph.frameTypes`). */
  frameTypes?: string[];
  /** Number of nodes. Node 0 is the root `total`. */
  count: number;
  /** Number of levels (the deepest level is `depth - 1`). */
  depth: number;
  /** `levelStart[d]` is the first node of level d; `levelStart[depth] === count`. */
  levelStart: Int32Array;
  level: Int32Array;
  /** Absolute start, in value units. */
  start: Float64Array;
  total: Float64Array;
  self: Float64Array;
  name: Int32Array;
  /** Parent node, -1 for the root. */
  parent: Int32Array;
  /** Children are contiguous on the next level: `[firstChild, childEnd)`. */
  firstChild: Int32Array;
  childEnd: Int32Array;
  /** Diff only (zero-length otherwise): the left side's values and the z-score. */
  leftTotal: Float64Array;
  leftSelf: Float64Array;
  z: Float64Array;
  grandTotal: number;
  /** Diff only: each side's grand total and sample count (0 for single). */
  leftGrandTotal: number;
  rightGrandTotal: number;
  leftCount: number;
  rightCount: number;
  /** True when the server folded nodes into `other` (maxNodes). */
  truncated: boolean;
  /** False when the z-scores carry no information (a diff computed in the browser). */
  hasSignificance: boolean;
  /**
   * Diff only: the right side's values were multiplied by this for layout (a browser diff of
   * two sources in different units or magnitudes weighs both sides equally); divide to show them.
   */
  rightScale: number;
  /** Diff only: the right side's unit (differs from `unit` only for browser diffs). */
  rightUnit: string;
}

export class FormatError extends Error {}

/** Decodes a wire flamegraph (spec v1) into a {@link FlameTable}; throws {@link FormatError}. */
export function decodeFlamegraph(wire: WireFlamegraph): FlameTable {
  if (wire == null || typeof wire !== 'object') throw new FormatError('flamegraph: not an object');
  if (wire.version !== FORMAT_VERSION) {
    throw new FormatError(
      `flamegraph format version ${wire.version} is not supported (this UI reads version ${FORMAT_VERSION})`,
    );
  }
  const diff = wire.kind === 'diff';
  if (!diff && wire.kind !== 'single') throw new FormatError(`flamegraph: unknown kind ${wire.kind}`);
  const stride = diff ? DIFF_STRIDE : SINGLE_STRIDE;
  const levels = wire.levels ?? [];
  let count = 0;
  for (let d = 0; d < levels.length; d++) {
    if (levels[d].length % stride !== 0) {
      throw new FormatError(`flamegraph: level ${d} has ${levels[d].length} integers, not a multiple of ${stride}`);
    }
    count += levels[d].length / stride;
  }
  const depth = levels.length;
  const t: FlameTable = {
    kind: diff ? 'diff' : 'single',
    profileType: wire.profileType ?? '',
    unit: wire.unit ?? '',
    names: wire.names ?? ['total'],
    frameTypes: Array.isArray(wire.frameTypes) ? wire.frameTypes : undefined,
    count,
    depth,
    levelStart: new Int32Array(depth + 1),
    level: new Int32Array(count),
    start: new Float64Array(count),
    total: new Float64Array(count),
    self: new Float64Array(count),
    name: new Int32Array(count),
    parent: new Int32Array(count).fill(-1),
    firstChild: new Int32Array(count),
    childEnd: new Int32Array(count),
    leftTotal: new Float64Array(diff ? count : 0),
    leftSelf: new Float64Array(diff ? count : 0),
    z: new Float64Array(diff ? count : 0),
    grandTotal: wire.total ?? 0,
    leftGrandTotal: wire.leftTotal ?? 0,
    rightGrandTotal: wire.rightTotal ?? 0,
    leftCount: wire.leftCount ?? 0,
    rightCount: wire.rightCount ?? 0,
    truncated: wire.truncated ?? false,
    hasSignificance: diff,
    rightScale: 1,
    rightUnit: wire.unit ?? '',
  };
  const nameOffset = diff ? 5 : 3;
  let i = 0;
  for (let d = 0; d < depth; d++) {
    t.levelStart[d] = i;
    const row = levels[d];
    let x = 0;
    for (let k = 0; k < row.length; k += stride, i++) {
      x += row[k];
      t.level[i] = d;
      t.start[i] = x;
      t.total[i] = row[k + 1];
      t.self[i] = row[k + 2];
      const n = row[k + nameOffset];
      if (n < 0 || n >= t.names.length) throw new FormatError(`flamegraph: name index ${n} out of range`);
      t.name[i] = n;
      if (diff) {
        t.leftTotal[i] = row[k + 3];
        t.leftSelf[i] = row[k + 4];
        t.z[i] = row[k + 6] / 1000;
      }
      x += row[k + 1];
    }
  }
  t.levelStart[depth] = count;
  linkParents(t);
  if (count > 0 && t.grandTotal === 0) t.grandTotal = t.total[0];
  return t;
}

/**
 * Resolves parents with one merge-like pass per level: both levels are sorted by start, and each
 * child lies inside its parent's `[start, start + total)`.
 */
function linkParents(t: FlameTable): void {
  for (let d = 1; d < t.depth; d++) {
    let p = t.levelStart[d - 1];
    const pEnd = t.levelStart[d];
    for (let c = t.levelStart[d]; c < t.levelStart[d + 1]; c++) {
      const x = t.start[c];
      while (p + 1 < pEnd && x >= t.start[p] + t.total[p] && t.start[p + 1] <= x) p++;
      t.parent[c] = p;
    }
  }
  // Children are contiguous and in order, so each parent's range is found in one sweep.
  for (let i = 0; i < t.count; i++) {
    t.firstChild[i] = t.levelStart[Math.min(t.level[i] + 1, t.depth)];
    t.childEnd[i] = t.firstChild[i];
  }
  for (let c = t.count - 1; c >= 0; c--) {
    const p = t.parent[c];
    if (p < 0) continue;
    t.firstChild[p] = c;
    if (t.childEnd[p] <= c) t.childEnd[p] = c + 1;
  }
}

/** The node's frame type (`native`, `kernel`, `python`, `jvm`, `jit`), or `""` when unknown. */
export function nodeFrameType(t: FlameTable, i: number): string {
  return t.frameTypes?.[t.name[i]] ?? '';
}

/** The node's function name. */
export function nodeName(t: FlameTable, i: number): string {
  return t.names[t.name[i]];
}

/** Root-first path of node i, as node indices (root included). */
export function pathOf(t: FlameTable, i: number): number[] {
  const path: number[] = [];
  for (let n = i; n >= 0; n = t.parent[n]) path.push(n);
  return path.reverse();
}

/** Finds the node reached by following names from the root (the root's own name excluded). */
export function findByPath(t: FlameTable, names: string[]): number {
  if (t.count === 0) return -1;
  let n = 0;
  for (const want of names) {
    let next = -1;
    for (let c = t.firstChild[n]; c < t.childEnd[n]; c++) {
      if (nodeName(t, c) === want) {
        next = c;
        break;
      }
    }
    if (next < 0) return n;
    n = next;
  }
  return n;
}

/** Names from the root's child down to node i: the stable, shareable address of a node. */
export function namePath(t: FlameTable, i: number): string[] {
  return pathOf(t, i).slice(1).map((n) => nodeName(t, n));
}

/** The right side's total of a diff node, in the right side's own unit. */
export function rightTotal(t: FlameTable, i: number): number {
  return (t.total[i] - t.leftTotal[i]) / t.rightScale;
}

export function rightSelf(t: FlameTable, i: number): number {
  return (t.self[i] - t.leftSelf[i]) / t.rightScale;
}
