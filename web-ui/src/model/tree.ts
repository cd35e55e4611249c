import type { WireFlamegraph } from './wire';
import { FORMAT_VERSION } from './wire';

/**
 * A plain call tree, used where the browser itself makes a flamegraph: folded files, the local
 * sandwich and the local diff, test fixtures. {@link toWire} encodes it exactly as the spec says
 * the server does (siblings sorted by name), so everything downstream reads one format.
 */
export interface TreeNode {
  name: string;
  /** Value of this node and everything below (right side for a diff tree). */
  total: number;
  self: number;
  /** Diff trees only: the left side's values. */
  leftTotal: number;
  leftSelf: number;
  children: Map<string, TreeNode>;
}

export function treeNode(name: string): TreeNode {
  return { name, total: 0, self: 0, leftTotal: 0, leftSelf: 0, children: new Map() };
}

/** Adds `value` along a root-first stack of frame names (to the left side when `left`). */
export function addStack(root: TreeNode, frames: readonly string[], value: number, left = false): void {
  let n = root;
  bump(n, value, left, frames.length === 0);
  for (let k = 0; k < frames.length; k++) {
    let c = n.children.get(frames[k]);
    if (!c) {
      c = treeNode(frames[k]);
      n.children.set(frames[k], c);
    }
    bump(c, value, left, k === frames.length - 1);
    n = c;
  }
}

function bump(n: TreeNode, v: number, left: boolean, leaf: boolean): void {
  if (left) {
    n.leftTotal += v;
    if (leaf) n.leftSelf += v;
  } else {
    n.total += v;
    if (leaf) n.self += v;
  }
}

/** Parses folded stacks (`a;b;c 42` per line, root first) into a tree rooted at `total`. */
export function parseFolded(text: string): TreeNode {
  const root = treeNode('total');
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const sp = line.lastIndexOf(' ');
    if (sp <= 0) continue;
    const value = Number(line.slice(sp + 1));
    if (!Number.isFinite(value) || value <= 0) continue;
    addStack(root, line.slice(0, sp).split(';'), value);
  }
  return root;
}

export interface WireOptions {
  profileType?: string;
  unit?: string;
  /** Encode as a diff: `total`/`self` become left + right, as the spec lays diffs out. */
  diff?: boolean;
  /** Diff only: per-node z-scores (already computed), keyed by node. */
  z?: (n: TreeNode) => number;
}

/** Encodes a tree in the wire format, level by level, siblings sorted by name. */
export function toWire(root: TreeNode, opts: WireOptions = {}): WireFlamegraph {
  const names: string[] = ['total'];
  const index = new Map<string, number>([['total', 0]]);
  const nameOf = (s: string): number => {
    let k = index.get(s);
    if (k === undefined) {
      k = names.length;
      names.push(s);
      index.set(s, k);
    }
    return k;
  };
  const levels: number[][] = [];
  let maxSelf = 0;
  let nodes = 0;
  // Breadth-first keeps each level in left-to-right order because children are visited in
  // order and parents are already ordered.
  let frontier: { node: TreeNode; x: number }[] = [{ node: root, x: 0 }];
  while (frontier.length > 0) {
    const row: number[] = [];
    const next: { node: TreeNode; x: number }[] = [];
    let end = 0;
    for (const { node, x } of frontier) {
      const total = opts.diff ? node.total + node.leftTotal : node.total;
      const self = opts.diff ? node.self + node.leftSelf : node.self;
      row.push(x - end, total, self);
      if (opts.diff) row.push(node.leftTotal, node.leftSelf, nameOf(node.name), Math.round((opts.z?.(node) ?? 0) * 1000));
      else row.push(nameOf(node.name));
      end = x + total;
      maxSelf = Math.max(maxSelf, self);
      nodes++;
      let cx = x;
      for (const c of [...node.children.values()].sort((a, b) => cmp(a.name, b.name))) {
        next.push({ node: c, x: cx });
        cx += opts.diff ? c.total + c.leftTotal : c.total;
      }
    }
    levels.push(row);
    frontier = next;
  }
  const wire: WireFlamegraph = {
    version: FORMAT_VERSION,
    kind: opts.diff ? 'diff' : 'single',
    profileType: opts.profileType ?? '',
    unit: opts.unit ?? '',
    names,
    levels,
    total: opts.diff ? root.total + root.leftTotal : root.total,
    maxSelf,
    nodes,
    truncated: false,
  };
  if (opts.diff) {
    wire.leftTotal = root.leftTotal;
    wire.rightTotal = root.total;
  }
  return wire;
}

/** Code-point order, the same on every platform (the Java encoder sorts by String.compareTo). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
