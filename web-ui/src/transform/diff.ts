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
 * Without sample counts there is no significance test, so the result says so
 * (`hasSignificance = false`) and nothing is muted.
 */
export function diffTables(left: FlameTable, right: FlameTable): FlameTable {
  const root = treeNode('total');
  mergeInto(left, 0, root, true);
  mergeInto(right, 0, root, false);
  const t = decodeFlamegraph(toWire(root, { diff: true, profileType: right.profileType || left.profileType, unit: right.unit || left.unit }));
  t.hasSignificance = false;
  return t;
}

function mergeInto(t: FlameTable, i: number, into: TreeNode, left: boolean): void {
  if (t.count === 0) return;
  if (left) {
    into.leftTotal += t.total[i];
    into.leftSelf += t.self[i];
  } else {
    into.total += t.total[i];
    into.self += t.self[i];
  }
  for (let c = t.firstChild[i]; c < t.childEnd[i]; c++) {
    const name = nodeName(t, c);
    let child = into.children.get(name);
    if (!child) {
      child = treeNode(name);
      into.children.set(name, child);
    }
    mergeInto(t, c, child, left);
  }
}
