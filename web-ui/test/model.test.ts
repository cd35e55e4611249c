import { describe, expect, it } from 'vitest';
import { decodeFlamegraph, findByPath, FormatError, namePath, nodeName, pathOf } from '../src/model/flamegraph';
import { parseFolded, toWire, treeNode, type TreeNode } from '../src/model/tree';
import { zScore } from '../src/transform/diff';
import { fixture, fixtures } from './fixtures';

describe('decodeFlamegraph', () => {
  it('decodes the spec example into absolute positions, parents and children', () => {
    const t = decodeFlamegraph(fixture('spec-example.json').wire);
    expect(t.count).toBe(4);
    expect(t.depth).toBe(3);
    expect([...t.start]).toEqual([0, 0, 0, 600]);
    expect([...t.total]).toEqual([1000, 1000, 600, 300]);
    expect([...t.parent]).toEqual([-1, 0, 1, 1]);
    expect(nodeName(t, 3)).toBe('parse');
    expect([t.firstChild[1], t.childEnd[1]]).toEqual([2, 4]);
    expect(t.childEnd[2] - t.firstChild[2]).toBe(0);
    expect(namePath(t, 3)).toEqual(['main', 'parse']);
    expect(findByPath(t, ['main', 'parse'])).toBe(3);
    expect(findByPath(t, ['main', 'gone'])).toBe(1);
    expect(pathOf(t, 2)).toEqual([0, 1, 2]);
  });

  it('reads diff nodes: left values, z-scores and side totals', () => {
    const t = decodeFlamegraph(fixture('diff-small.json').wire);
    expect(t.kind).toBe('diff');
    expect(t.leftGrandTotal).toBe(5000);
    expect(t.rightGrandTotal).toBe(7000);
    const parse = findByPath(t, ['main', 'parse']);
    expect(t.leftTotal[parse]).toBe(3000);
    expect(t.total[parse] - t.leftTotal[parse]).toBe(5500);
    expect(t.z[parse]).toBeCloseTo(17.8);
  });

  it('refuses other versions and malformed levels with a message', () => {
    const w = fixture('spec-example.json').wire;
    expect(() => decodeFlamegraph({ ...w, version: 2 })).toThrow(/version 2 is not supported/);
    expect(() => decodeFlamegraph({ ...w, levels: [[0, 1, 0]] })).toThrow(FormatError);
    expect(() => decodeFlamegraph({ ...w, levels: [[0, 1, 0, 99]] })).toThrow(/out of range/);
  });

  it('decodes an empty flamegraph', () => {
    const t = decodeFlamegraph({ version: 1, kind: 'single', names: ['total'], levels: [], total: 0 });
    expect(t.count).toBe(0);
  });
});

describe('every fixture (shared with the Java encoder)', () => {
  for (const f of fixtures()) {
    it(`${f.file}: children lie inside parents and sum to at most their total`, () => {
      const t = decodeFlamegraph(f.wire);
      expect(t.names[0]).toBe('total');
      if (f.wire.nodes !== undefined) expect(t.count).toBe(f.wire.nodes);
      expect(t.total[0]).toBe(f.wire.total);
      for (let i = 0; i < t.count; i++) {
        let sum = 0;
        for (let c = t.firstChild[i]; c < t.childEnd[i]; c++) {
          expect(t.parent[c]).toBe(i);
          expect(t.start[c]).toBeGreaterThanOrEqual(t.start[i]);
          expect(t.start[c] + t.total[c]).toBeLessThanOrEqual(t.start[i] + t.total[i]);
          sum += t.total[c];
        }
        expect(sum + t.self[i]).toBe(t.total[i]);
      }
    });
    if (f.folded !== undefined && f.wire.kind === 'single' && !f.wire.truncated) {
      it(`${f.file}: the browser's encoder of its folded input matches byte for byte in layout`, () => {
        const mine = toWire(parseFolded(f.folded!), { profileType: f.wire.profileType, unit: f.wire.unit });
        const a = decodeFlamegraph(mine);
        const b = decodeFlamegraph(f.wire);
        expect(a.count).toBe(b.count);
        for (let i = 0; i < a.count; i++) {
          expect([nodeName(a, i), a.start[i], a.total[i], a.self[i]]).toEqual([nodeName(b, i), b.start[i], b.total[i], b.self[i]]);
        }
      });
    }
  }
});

describe('diff fixtures (shared with the Java encoder)', () => {
  for (const f of fixtures().filter((x) => x.left !== undefined && x.right !== undefined)) {
    it(`${f.file}: a diff built from both sides with the spec's z-score matches the expected payload`, () => {
      const root = parseFolded(f.right!);
      const left = parseFolded(f.left!);
      const add = (into: TreeNode, from: TreeNode) => {
        into.leftTotal += from.total;
        into.leftSelf += from.self;
        for (const [name, c] of from.children) {
          if (!into.children.has(name)) into.children.set(name, treeNode(name));
          add(into.children.get(name)!, c);
        }
      };
      add(root, left);
      // Folded counts are both values and sample counts in the fixtures.
      const z = (n: TreeNode) => zScore(n.leftTotal, root.leftTotal, n.total, root.total);
      const mine = decodeFlamegraph(toWire(root, { diff: true, z }));
      const want = decodeFlamegraph(f.wire);
      expect(mine.count).toBe(want.count);
      for (let i = 0; i < want.count; i++) {
        expect([nodeName(mine, i), mine.start[i], mine.total[i], mine.leftTotal[i], Math.round(mine.z[i] * 1000)]).toEqual([
          nodeName(want, i),
          want.start[i],
          want.total[i],
          want.leftTotal[i],
          Math.round(want.z[i] * 1000),
        ]);
      }
      expect([want.leftGrandTotal, want.rightGrandTotal]).toEqual([root.leftTotal, root.total]);
    });
  }
});

describe('parseFolded', () => {
  it('sums duplicate stacks, skips comments and bad lines', () => {
    const root = parseFolded('# c\na;b 2\na;b 3\na 1\nbad\nx;y -4\n');
    expect(root.total).toBe(6);
    expect(root.children.get('a')!.self).toBe(1);
    expect(root.children.get('a')!.children.get('b')!.total).toBe(5);
  });
});
