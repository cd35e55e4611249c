import { describe, expect, it } from 'vitest';
import { decodeFlamegraph, findByPath, nodeName, rightTotal } from '../src/model/flamegraph';
import { parseFolded, toWire } from '../src/model/tree';
import { changeOf, diffTables } from '../src/transform/diff';
import { sandwich } from '../src/transform/sandwich';
import { matcher, search } from '../src/transform/search';
import { shareChange, sortRows, topFunctions } from '../src/transform/top';
import { breadcrumbs, focusOn, interpolate } from '../src/transform/zoom';
import { fixture } from './fixtures';

const folded = (s: string) => decodeFlamegraph(toWire(parseFolded(s), { unit: 'nanoseconds' }));

const RECURSIVE = `main;serve;handle;parse 40
main;serve;handle;render 30
main;serve;handle;handle;parse 20
main;gc 10
`;

describe('search', () => {
  it('matches substrings case-insensitively and counts nested matches once', () => {
    const t = folded(RECURSIVE);
    const r = search(t, 'HANDLE');
    expect(r.matched).toBe(2);
    expect(r.functions).toBe(1);
    expect(r.value).toBe(90);
    expect(r.share).toBeCloseTo(0.9);
  });
  it('takes /regular expressions/ and measures within a focused subtree', () => {
    const t = folded(RECURSIVE);
    const r = search(t, '/^(parse|gc)$/');
    expect(r.value).toBe(70);
    const handle = findByPath(t, ['main', 'serve', 'handle']);
    expect(search(t, 'parse', handle).share).toBeCloseTo(60 / 90);
  });
  it('an empty query matches nothing; a broken regex is a substring', () => {
    expect(search(folded(RECURSIVE), '  ').matched).toBe(0);
    expect(matcher('/[/')('a/[/b')).toBe(true);
  });
});

describe('topFunctions', () => {
  it('sums self, and total once per stack even under recursion', () => {
    const rows = topFunctions(folded(RECURSIVE));
    const handle = rows.find((r) => r.name === 'handle')!;
    expect(handle.total).toBe(90);
    expect(handle.self).toBe(0);
    const parse = rows.find((r) => r.name === 'parse')!;
    expect([parse.self, parse.total]).toEqual([60, 60]);
    expect(sortRows(rows, 'self', true)[0].name).toBe('parse');
    expect(sortRows(rows, 'total', true)[0].name).toBe('main');
    expect(sortRows(rows, 'name', false)[0].name).toBe('gc');
  });
  it('sorts a diff by change of share, biggest growth first', () => {
    const t = decodeFlamegraph(fixture('diff-small.json').wire);
    const rows = sortRows(topFunctions(t), 'change', true, { left: t.leftGrandTotal, right: t.rightGrandTotal });
    expect(rows[0].name).toBe('parse');
    expect(rows[rows.length - 1].name).toBe('gc');
    expect(shareChange(rows[0], { left: 5000, right: 7000 })).toBeCloseTo(5500 / 7000 - 0.6);
  });
  it('keeps the right side in self/total and the left side apart for diffs', () => {
    const t = decodeFlamegraph(fixture('diff-small.json').wire);
    const parse = topFunctions(t).find((r) => r.name === 'parse')!;
    expect([parse.leftSelf, parse.self]).toEqual([3000, 5500]);
  });
});

describe('sandwich', () => {
  it('collects callers upwards and merges callees of the outermost occurrences', () => {
    const t = folded(RECURSIVE);
    const s = sandwich(t, 'handle');
    const callers = decodeFlamegraph(s.callers);
    expect(nodeName(callers, 0)).toBe('handle');
    expect(callers.total[0]).toBe(90);
    expect(nodeName(callers, 1)).toBe('serve');
    expect(nodeName(callers, 2)).toBe('main');
    const callees = decodeFlamegraph(s.callees);
    expect(callees.total[0]).toBe(90);
    expect(callees.total[findByPath(callees, ['handle'])]).toBe(20);
    expect(callees.total[findByPath(callees, ['parse'])]).toBe(40);
  });
  it('is empty for an unknown function', () => {
    expect(decodeFlamegraph(sandwich(folded(RECURSIVE), 'nope').callees).total[0]).toBe(0);
  });
});

describe('diff', () => {
  it('reads share changes and mutes insignificant ones', () => {
    const t = decodeFlamegraph(fixture('diff-small.json').wire);
    const parse = changeOf(t, findByPath(t, ['main', 'parse']));
    expect(parse.leftShare).toBeCloseTo(0.6);
    expect(parse.rightShare).toBeCloseTo(5500 / 7000);
    expect(parse.noise).toBe(false);
    expect(changeOf(t, findByPath(t, ['main', 'log'])).noise).toBe(true);
    expect(changeOf(t, findByPath(t, ['main', 'gc'])).delta).toBeLessThan(0);
  });
  it('diffs two flamegraphs in the browser without claiming significance', () => {
    const t = diffTables(folded('main;a 10\nmain;b 10\n'), folded('main;a 30\nmain;c 10\n'));
    expect(t.kind).toBe('diff');
    expect(t.hasSignificance).toBe(false);
    // The right side is weighed like the left for layout; its own values stay readable.
    expect([t.leftGrandTotal, t.rightGrandTotal, t.rightScale]).toEqual([20, 20, 0.5]);
    const a = findByPath(t, ['main', 'a']);
    expect([t.leftTotal[a], rightTotal(t, a)]).toEqual([10, 30]);
    expect(changeOf(t, a).delta).toBeCloseTo(0.75 - 0.5);
    expect(changeOf(t, a).noise).toBe(false);
    expect(changeOf(t, findByPath(t, ['main', 'b'])).rightShare).toBe(0);
  });
});

describe('zoom', () => {
  it('focuses a node across the full range with breadcrumbs to it', () => {
    const t = folded(RECURSIVE);
    const n = findByPath(t, ['main', 'serve', 'handle']);
    const f = focusOn(t, n);
    expect([f.x1 - f.x0]).toEqual([90]);
    expect(breadcrumbs(t, n).map((c) => c.name)).toEqual(['all', 'main', 'serve', 'handle']);
    const mid = interpolate(focusOn(t, 0), f, 0.5);
    expect(mid.x1 - mid.x0).toBeCloseTo(95);
  });
});
