import { type FlameTable } from '../model/flamegraph';

/** Which nodes a search matches, and the share of the total they account for. */
export interface SearchResult {
  /** 1 where the node's name matches. */
  matches: Uint8Array;
  /** Number of matching nodes. */
  matched: number;
  /** Distinct function names matched. */
  functions: number;
  /**
   * Sum of `total` over matching nodes that have no matching ancestor (so recursion and nested
   * matches are not counted twice), and that sum's share of the root (or of `within`).
   */
  value: number;
  share: number;
}

/**
 * Builds a case-insensitive matcher: `/re/` is a regular expression, anything else a substring.
 * An invalid regular expression falls back to a substring.
 */
export function matcher(query: string): (name: string) => boolean {
  const q = query.trim();
  if (q.length > 2 && q.startsWith('/') && q.endsWith('/')) {
    try {
      const re = new RegExp(q.slice(1, -1), 'i');
      return (s) => re.test(s);
    } catch {
      // fall through to a plain substring
    }
  }
  const needle = q.toLowerCase();
  return (s) => s.toLowerCase().includes(needle);
}

/** Searches node names; `within` (a node) restricts the share to that node's subtree. */
export function search(t: FlameTable, query: string, within = 0): SearchResult {
  const matches = new Uint8Array(t.count);
  if (query.trim() === '' || t.count === 0) {
    return { matches, matched: 0, functions: 0, value: 0, share: 0 };
  }
  const test = matcher(query);
  const byName = new Int8Array(t.names.length).fill(-1);
  let matched = 0;
  let functions = 0;
  for (let i = 0; i < t.count; i++) {
    const n = t.name[i];
    if (byName[n] < 0) {
      byName[n] = test(t.names[n]) ? 1 : 0;
      if (byName[n]) functions++;
    }
    if (byName[n]) {
      matches[i] = 1;
      matched++;
    }
  }
  // covered[i]: the node or an ancestor matched. Levels are in order, so parents come first.
  const covered = new Uint8Array(t.count);
  let value = 0;
  const lo = t.start[within];
  const hi = lo + t.total[within];
  for (let i = 0; i < t.count; i++) {
    const p = t.parent[i];
    const above = p >= 0 && covered[p] === 1;
    covered[i] = above || matches[i] ? 1 : 0;
    if (matches[i] && !above && t.level[i] >= t.level[within] && t.start[i] >= lo && t.start[i] < hi) {
      value += t.total[i];
    }
  }
  const base = t.total[within];
  return { matches, matched, functions, value, share: base > 0 ? value / base : 0 };
}
