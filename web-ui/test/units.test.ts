import { describe, expect, it } from 'vitest';
import { formatPercent, formatShareChange, formatValue, unitOfProfileType } from '../src/transform/units';
import { displayTime, epochToMillis, resolveTime, timeTicks, toApiTime } from '../src/transform/time';
import { parseMatchers, parseState, serialiseState, splitQuery, withMatcher, DEFAULT_STATE } from '../src/state';

describe('human units', () => {
  it('turns nanoseconds into ms/s and bytes into MiB', () => {
    expect(formatValue(1_500_000, 'nanoseconds')).toBe('1.5 ms');
    expect(formatValue(2_340_000_000, 'nanoseconds')).toBe('2.34 s');
    expect(formatValue(90e9, 'nanoseconds')).toBe('1.5 min');
    expect(formatValue(812, 'nanoseconds')).toBe('812 ns');
    expect(formatValue(5 * 1024 * 1024, 'bytes')).toBe('5 MiB');
    expect(formatValue(1536, 'bytes')).toBe('1.5 KiB');
    expect(formatValue(12_300, 'count')).toBe('12.3 k');
    expect(formatValue(-2e6, 'nanoseconds')).toBe('−2 ms');
  });
  it('formats shares and share changes', () => {
    expect(formatPercent(0.1234)).toBe('12.3 %');
    expect(formatPercent(0.00001)).toBe('< 0.01 %');
    expect(formatShareChange(0.042)).toBe('+4.2 pp');
    expect(formatShareChange(-0.003)).toBe('−0.3 pp');
    expect(unitOfProfileType('memory:alloc_space:bytes:space:bytes')).toBe('bytes');
  });
});

describe('time expressions', () => {
  const now = Date.UTC(2026, 10, 26, 12, 0, 0);
  it('resolves relative and epoch times by magnitude', () => {
    expect(resolveTime('now-1h', now)).toBe(now - 3600e3);
    expect(resolveTime('now', now)).toBe(now);
    expect(epochToMillis(1764158400)).toBe(1764158400000);
    expect(epochToMillis(1764158400000)).toBe(1764158400000);
    expect(epochToMillis(1764158400000000)).toBe(1764158400000);
    expect(epochToMillis(1764158400000000000)).toBe(1764158400000);
    expect(Number.isNaN(resolveTime('yesterday-ish', now))).toBe(true);
  });
  it('sends relative expressions as they are and dates as epoch seconds', () => {
    expect(toApiTime(' now - 6h ')).toBe('now-6h');
    expect(toApiTime('1764158400')).toBe('1764158400');
    expect(toApiTime(displayTime('1764158400'))).toBe('1764158400');
    expect(toApiTime('garbage')).toBeNull();
  });
  it('puts ticks on round boundaries', () => {
    const ticks = timeTicks(now - 3600e3, now, 8);
    expect(ticks.length).toBeGreaterThan(3);
    expect(ticks.every((t) => t % 60e3 === 0)).toBe(true);
  });
});

describe('URL state', () => {
  it('round-trips and leaves defaults out', () => {
    const s = { ...DEFAULT_STATE, query: 'cpu{service_name="api"}', focus: 'main;serve', search: 'parse', view: 'compare' as const };
    const q = serialiseState(s);
    expect(q).not.toContain('from=');
    expect(parseState(q)).toEqual(s);
    expect(serialiseState(DEFAULT_STATE)).toBe('');
  });
  it('accepts the diff API names and ignores bad values', () => {
    const s = parseState('?leftQuery=a{}&leftFrom=now-2h&view=bogus&tab=table');
    expect([s.query, s.from, s.view, s.tab]).toEqual(['a{}', 'now-2h', 'explore', 'table']);
  });
  it('edits selectors', () => {
    expect(splitQuery('p:c:ns:c:ns{a="b"}')).toEqual({ profileType: 'p:c:ns:c:ns', selector: '{a="b"}' });
    expect(withMatcher('{env!="dev", service_name="x"}', 'service_name', 'a"pi')).toBe('{service_name="a\\"pi", env!="dev"}');
    expect(parseMatchers('{service_name="a\\"pi"}')).toEqual([['service_name', '=', 'a"pi']]);
    expect(withMatcher('{service_name="x"}', 'service_name', '')).toBe('{}');
  });
});
