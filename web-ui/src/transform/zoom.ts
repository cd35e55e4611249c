import { type FlameTable, nodeName, pathOf } from '../model/flamegraph';

/** What part of the flamegraph is on screen: a value range and the focused node. */
export interface Focus {
  node: number;
  /** Visible value range `[x0, x1)`. */
  x0: number;
  x1: number;
}

/** Zooming into a node shows its subtree across the full width, its ancestors above it. */
export function focusOn(t: FlameTable, node: number): Focus {
  if (t.count === 0) return { node: 0, x0: 0, x1: 1 };
  const n = Math.max(0, Math.min(node, t.count - 1));
  return { node: n, x0: t.start[n], x1: t.start[n] + Math.max(t.total[n], 1e-9) };
}

export interface Crumb {
  node: number;
  name: string;
}

/** Breadcrumbs: the root-first path to the focused node. */
export function breadcrumbs(t: FlameTable, node: number): Crumb[] {
  if (t.count === 0) return [];
  return pathOf(t, node).map((n) => ({ node: n, name: n === 0 && nodeName(t, 0) === 'total' ? 'all' : nodeName(t, n) }));
}

/** A step of an animated zoom: linear in the range ends, eased. */
export function interpolate(a: Focus, b: Focus, progress: number): Focus {
  const e = progress < 0.5 ? 2 * progress * progress : 1 - Math.pow(-2 * progress + 2, 2) / 2;
  return { node: b.node, x0: a.x0 + (b.x0 - a.x0) * e, x1: a.x1 + (b.x1 - a.x1) * e };
}
