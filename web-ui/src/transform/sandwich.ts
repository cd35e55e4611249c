import { type FlameTable, nodeName } from '../model/flamegraph';
import { addStack, toWire, treeNode, type TreeNode } from '../model/tree';
import type { WireFlamegraph } from '../model/wire';

/** The two halves of a sandwich view: who calls a function, and what it calls. */
export interface Sandwich {
  /** Root = the function; children = its callers, then their callers (drawn flame-wise). */
  callers: WireFlamegraph;
  /** Root = the function; below it, everything it calls, merged over all its call sites. */
  callees: WireFlamegraph;
}

/**
 * Computes a sandwich from a flamegraph in the browser (for opened files, and as the fallback
 * when the server has no sandwich operation). Only outermost occurrences of the function count,
 * so a recursive function is not counted twice.
 */
export function sandwich(t: FlameTable, fn: string): Sandwich {
  const callers = treeNode(fn);
  const callees = treeNode(fn);
  const fnIndex = t.names.indexOf(fn);
  if (fnIndex >= 0) {
    const stack: number[] = t.count > 0 ? [0] : [];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (t.name[i] === fnIndex && i !== 0) {
        const up: string[] = [];
        for (let p = t.parent[i]; p > 0; p = t.parent[p]) up.push(nodeName(t, p));
        addStack(callers, up, t.total[i]);
        addSubtree(t, i, callees);
        continue;
      }
      for (let c = t.childEnd[i] - 1; c >= t.firstChild[i]; c--) stack.push(c);
    }
  }
  const opts = { profileType: t.profileType, unit: t.unit };
  return { callers: toWire(callers, opts), callees: toWire(callees, opts) };
}

function addSubtree(t: FlameTable, i: number, into: TreeNode): void {
  into.total += t.total[i];
  into.self += t.self[i];
  for (let c = t.firstChild[i]; c < t.childEnd[i]; c++) {
    const name = nodeName(t, c);
    let child = into.children.get(name);
    if (!child) {
      child = treeNode(name);
      into.children.set(name, child);
    }
    addSubtree(t, c, child);
  }
}
