import { decodeFlamegraph, type FlameTable, nodeName } from '../model/flamegraph';
import { toWire, treeNode, type TreeNode } from '../model/tree';

/** Share of the node on each side and how it moved (right − left, in shares of each total). */
export interface Change {
  leftShare: number;
  rightShare: number;
  delta: number;
  /** The z-score; NaN when the table has no significance data. */
  z: number;
  /** Not significant at 5 % (|z| < 1.96): drawn muted. False when significance is unknown. */
  noise: boolean;
}

/** |z| below this is noise at the 5 % level (two-sided), as the spec says. */
export const Z_SIGNIFICANT = 1.96;

/**
 * The spec's two-proportion z-score: `c1`, `c2` a node's sample counts on each side, `n1`, `n2`
 * each side's total count; 0 where the denominator is 0.
 */
export function zScore(c1: number, n1: number, c2: number, n2: number): number {
  if (n1 <= 0 || n2 <= 0) return 0;
  const p = (c1 + c2) / (n1 + n2);
  const den = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  return den > 0 ? (c2 / n2 - c1 / n1) / den : 0;
}

export function changeOf(t: FlameTable, i: number): Change {
  const left = t.leftTotal[i];
  const right = t.total[i] - left;
  const leftShare = t.leftGrandTotal > 0 ? left / t.leftGrandTotal : 0;
  const rightShare = t.rightGrandTotal > 0 ? right / t.rightGrandTotal : 0;
  const z = t.hasSignificance ? t.z[i] : Number.NaN;
  return {
    leftShare,
    rightShare,
    delta: rightShare - leftShare,
    z,
    noise: t.hasSignificance && Math.abs(z) < Z_SIGNIFICANT,
  };
}

/**
 * Diffs two single flamegraphs in the browser (comparing an opened file with a selection).
 * The sides may differ in unit (a file's samples against a selection's nanoseconds) or in size,
 * so the right side is scaled to the left's total for layout and `rightScale` records it.
 * Without sample counts there is no significance test: `hasSignificance` is false and nothing
 * is muted.
 */
export function diffTables(left: FlameTable, right: FlameTable): FlameTable {
  const lt = left.count > 0 ? left.total[0] : 0;
  const rt = right.count > 0 ? right.total[0] : 0;
  const scale = lt > 0 && rt > 0 ? lt / rt : 1;
  const root = treeNode('total');
  mergeInto(left, 0, root, true, 1);
  mergeInto(right, 0, root, false, scale);
  const t = decodeFlamegraph(toWire(root, { diff: true, profileType: left.profileType || right.profileType, unit: left.unit || right.unit }));
  t.hasSignificance = false;
  t.rightScale = scale;
  t.rightUnit = right.unit || left.unit;
  return t;
}

function mergeInto(t: FlameTable, i: number, into: TreeNode, left: boolean, scale: number): void {
  if (t.count === 0) return;
  if (left) {
    into.leftTotal += t.total[i];
    into.leftSelf += t.self[i];
  } else {
    into.total += t.total[i] * scale;
    into.self += t.self[i] * scale;
  }
  for (let c = t.firstChild[i]; c < t.childEnd[i]; c++) {
    const name = nodeName(t, c);
    let child = into.children.get(name);
    if (!child) {
      child = treeNode(name);
      into.children.set(name, child);
    }
    mergeInto(t, c, child, left, scale);
  }
}
