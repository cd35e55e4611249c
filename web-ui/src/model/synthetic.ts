import { addStack, toWire, treeNode, type TreeNode } from './tree';
import type { WireFlamegraph } from './wire';

/**
 * A deterministic synthetic profile of at least `nodes` nodes with a realistic shape (deep
 * chains, wide fan-out near the leaves, values over orders of magnitude). For the draw-time
 * benchmark and geometry tests; never shown for real data.
 */
export function syntheticWire(nodes: number, seed = 42): WireFlamegraph {
  let s = seed;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const root = treeNode('total');
  const pkgs = ['java.util', 'com.acme.api', 'io.netty.channel', 'org.springframework.web', 'libc.so.6', 'runtime', 'std::io'];
  const fn = (d: number) => `${pkgs[Math.floor(rand() * pkgs.length)]}.Fn${Math.floor(rand() * (5 + d * 20))}`;
  let count = 1;
  while (count < nodes) {
    const depth = 3 + Math.floor(rand() * 30);
    const frames = ['main'];
    for (let d = 1; d < depth; d++) frames.push(fn(d));
    count += newNodes(root, frames);
    addStack(root, frames, Math.floor(1 + 1e6 * rand() ** 4));
  }
  return toWire(root, { profileType: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds', unit: 'nanoseconds' });
}

/** How many nodes adding this stack would create. */
function newNodes(root: TreeNode, frames: string[]): number {
  let n: TreeNode | undefined = root;
  for (let k = 0; k < frames.length; k++) {
    n = n?.children.get(frames[k]);
    if (!n) return frames.length - k;
  }
  return 0;
}
