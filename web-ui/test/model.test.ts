import { describe, expect, it } from 'vitest';
import { decodeFlamegraph, findByPath, FormatError, namePath, nodeName, pathOf } from '../src/model/flamegraph';
import { parseFolded, toWire } from '../src/model/tree';
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

describe('parseFolded', () => {
  it('sums duplicate stacks, skips comments and bad lines', () => {
    const root = parseFolded('# c\na;b 2\na;b 3\na 1\nbad\nx;y -4\n');
    expect(root.total).toBe(6);
    expect(root.children.get('a')!.self).toBe(1);
    expect(root.children.get('a')!.children.get('b')!.total).toBe(5);
  });
});
