import { describe, expect, it } from 'vitest';
import { decodeFlamegraph, findByPath } from '../src/model/flamegraph';
import { syntheticWire } from '../src/model/synthetic';
import { parseFolded, toWire } from '../src/model/tree';
import { fitLabel, hitTest, layout } from '../src/geometry/layout';
import { focusOn } from '../src/transform/zoom';

const t = decodeFlamegraph(toWire(parseFolded('main;a;x 500\nmain;b 300\nmain;c 1\nmain;d 1\nmain;e 1\nmain 197\n')));
const base = { width: 1000, rowHeight: 20, orientation: 'icicle' as const, x0: 0, x1: 1000 };

describe('layout', () => {
  it('maps values to pixels, one row per level, icicle from the top', () => {
    const l = layout(t, base);
    expect(l.levels).toBe(4);
    expect(l.height).toBe(80);
    const a = l.bars.find((b) => b.node === findByPath(t, ['main', 'a']))!;
    expect([a.x, a.w, a.y, a.label]).toEqual([0, 500, 40, true]);
  });

  it('turns over for flame orientation: the root at the bottom', () => {
    const l = layout(t, { ...base, orientation: 'flame' });
    expect(l.bars.find((b) => b.node === 0)!.y).toBe(60);
    expect(l.bars.find((b) => b.node === findByPath(t, ['main', 'a', 'x']))!.y).toBe(0);
  });

  it('merges neighbouring sub-pixel siblings into one bar', () => {
    const l = layout(t, { ...base, mergeBelow: 2, hideBelow: 0.1 });
    const level2 = l.bars.filter((b) => b.level === 2);
    expect(level2.map((b) => b.merged)).toEqual([1, 1, 3]);
    expect(level2[2].w).toBeCloseTo(3);
    expect(level2[2].label).toBe(false);
  });

  it('hides bars too small to see, and all below them', () => {
    const l = layout(t, { ...base, width: 100, mergeBelow: 1, hideBelow: 0.5 });
    expect(l.bars.some((b) => b.node === findByPath(t, ['main', 'c']))).toBe(false);
    expect(l.bars.filter((b) => b.level === 2)).toHaveLength(2);
  });

  it('zooms: the focused subtree fills the width, ancestors span it, the rest is culled', () => {
    const a = findByPath(t, ['main', 'a']);
    const f = focusOn(t, a);
    const l = layout(t, { ...base, x0: f.x0, x1: f.x1 });
    expect(l.bars.map((b) => [b.node, b.x, b.w])).toEqual([
      [0, 0, 1000],
      [findByPath(t, ['main']), 0, 1000],
      [a, 0, 1000],
      [findByPath(t, ['main', 'a', 'x']), 0, 1000],
    ]);
  });

  it('finds the bar under a point in both orientations', () => {
    const l = layout(t, base);
    expect(hitTest(l, 600, 45)?.node).toBe(findByPath(t, ['main', 'b']));
    expect(hitTest(l, 990, 45)).toBeUndefined();
    expect(hitTest(l, 10, 500)).toBeUndefined();
    const f = layout(t, { ...base, orientation: 'flame' });
    expect(hitTest(f, 10, 5)?.node).toBe(findByPath(t, ['main', 'a', 'x']));
  });

  it('lays a 10,000-node flamegraph out as fewer bars (timing: e2e/bench.mjs)', () => {
    const big = decodeFlamegraph(syntheticWire(10_000));
    expect(big.count).toBeGreaterThanOrEqual(10_000);
    const l = layout(big, { ...base, width: 1200, x0: 0, x1: big.total[0] });
    expect(l.bars.length).toBeLessThan(big.count);
    expect(l.bars.some((b) => b.merged > 1)).toBe(true);
    expect(l.bars.every((b) => b.w >= 0.35 && b.x >= 0 && b.x + b.w <= 1200 + 1e-9)).toBe(true);
  });
});

describe('fitLabel', () => {
  const m = (s: string) => s.length * 7;
  it('keeps the name when it fits, else its tail behind an ellipsis, else nothing', () => {
    expect(fitLabel('parse', 100, m)).toBe('parse');
    expect(fitLabel('java.util.HashMap.get', 70, m)).toBe('…shMap.get');
    expect(fitLabel('java.util.HashMap.get', 10, m)).toBe('');
    expect(fitLabel('java.util.HashMap.get', 27, m)).toBe(''); // room for "…" and two letters: too little
    expect(fitLabel('java.util.HashMap.get', 28, m)).toBe('…get');
  });
});
