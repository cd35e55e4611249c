import { type FlameTable } from '../model/flamegraph';

/** One row of the top-functions table. */
export interface FunctionRow {
  name: string;
  self: number;
  /** Value of stacks the function is on, counted once per stack (recursion is not doubled). */
  total: number;
  /** Diff tables only: the left side's self and total. */
  leftSelf: number;
  leftTotal: number;
}

/** Functions of a flamegraph with their self and total values, in no particular order. */
export function topFunctions(t: FlameTable): FunctionRow[] {
  const rows = new Map<number, FunctionRow>();
  const diff = t.kind === 'diff';
  // onPath[name] counts ancestors with that name on the current root path; a DFS over the
  // contiguous child ranges keeps it exact without per-node ancestor walks.
  const onPath = new Int32Array(t.names.length);
  const visit = (root: number) => {
    const stack: number[] = [root];
    const exit: number[] = [];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (i < 0) {
        onPath[t.name[exit.pop()!]]--;
        continue;
      }
      const n = t.name[i];
      let row = rows.get(n);
      if (!row) {
        row = { name: t.names[n], self: 0, total: 0, leftSelf: 0, leftTotal: 0 };
        rows.set(n, row);
      }
      row.self += diff ? (t.self[i] - t.leftSelf[i]) / t.rightScale : t.self[i];
      if (diff) row.leftSelf += t.leftSelf[i];
      if (onPath[n] === 0) {
        row.total += diff ? (t.total[i] - t.leftTotal[i]) / t.rightScale : t.total[i];
        if (diff) row.leftTotal += t.leftTotal[i];
      }
      onPath[n]++;
      exit.push(i);
      stack.push(-1);
      for (let c = t.childEnd[i] - 1; c >= t.firstChild[i]; c--) stack.push(c);
    }
  };
  for (let c = t.count > 0 ? t.firstChild[0] : 0; c < (t.count > 0 ? t.childEnd[0] : 0); c++) visit(c);
  return [...rows.values()];
}

export type SortKey = 'name' | 'self' | 'total' | 'change';

/** Totals a diff's change of share is relative to (right / left grand totals). */
export interface DiffTotals {
  left: number;
  right: number;
}

/** A diff row's change of total share, right minus left (0 without totals). */
export function shareChange(r: FunctionRow, totals?: DiffTotals): number {
  if (!totals || totals.left <= 0 || totals.right <= 0) return 0;
  return r.total / totals.right - r.leftTotal / totals.left;
}

/** Sorts rows by a column; ties fall back to the name so the order is stable. */
export function sortRows(rows: FunctionRow[], key: SortKey, descending: boolean, totals?: DiffTotals): FunctionRow[] {
  const sign = descending ? -1 : 1;
  const value = (r: FunctionRow) => (key === 'change' ? shareChange(r, totals) : key === 'name' ? 0 : r[key]);
  return [...rows].sort((a, b) => {
    const c = key === 'name' ? a.name.localeCompare(b.name) : value(a) - value(b);
    return c !== 0 ? sign * c : a.name.localeCompare(b.name);
  });
}
