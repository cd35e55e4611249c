import { type FunctionRow, shareChange, type SortKey, sortRows } from '../transform/top';
import { formatPercent, formatShareChange, formatValue } from '../transform/units';
import { h, replace } from './dom';

export interface TopTableCallbacks {
  /** A row was clicked: focus that function (the flamegraph highlights it). */
  onSelect?(name: string): void;
  onSort?(key: SortKey): void;
}

const MAX_ROWS = 500;

/**
 * The sortable top-functions table. For a diff it shows each side's share and the change, so
 * the biggest regressions sort to the top.
 */
export class TopTable {
  readonly el: HTMLElement;
  private readonly tbody = h('tbody');
  private readonly thead = h('thead');
  private rows: FunctionRow[] = [];
  private unit = '';
  private total = 0;
  private leftTotal = 0;
  private diff = false;
  private key: SortKey = 'self';
  private descending = true;
  private selected = '';

  constructor(private readonly cb: TopTableCallbacks = {}) {
    this.el = h('div', { class: 'table-wrap' }, h('table', { class: 'top', 'data-testid': 'top-table' }, this.thead, this.tbody));
  }

  setRows(rows: FunctionRow[], unit: string, total: number, opts: { diff?: boolean; leftTotal?: number; sort?: SortKey; selected?: string } = {}): void {
    this.rows = rows;
    this.unit = unit;
    this.total = total;
    this.diff = opts.diff ?? false;
    this.leftTotal = opts.leftTotal ?? 0;
    if (opts.sort) {
      this.key = opts.sort;
      this.descending = opts.sort !== 'name';
    }
    this.selected = opts.selected ?? '';
    this.render();
  }

  private header(label: string, key: SortKey, num: boolean): HTMLElement {
    const sort = this.key === key ? (this.descending ? 'descending' : 'ascending') : undefined;
    return h(
      'th',
      {
        class: num ? 'num' : '',
        'aria-sort': sort,
        'data-sort': key,
        onclick: () => {
          if (this.key === key) this.descending = !this.descending;
          else {
            this.key = key;
            this.descending = key !== 'name';
          }
          this.cb.onSort?.(key);
          this.render();
        },
      },
      label,
    );
  }

  private render(): void {
    const totals = this.diff ? { left: this.leftTotal, right: this.total } : undefined;
    const rows = sortRows(this.rows, this.key, this.descending, totals).slice(0, MAX_ROWS);
    const share = (v: number) => (this.total > 0 ? v / this.total : 0);
    replace(
      this.thead,
      h(
        'tr',
        {},
        this.header('Function', 'name', false),
        this.header(this.diff ? 'Self (after)' : 'Self', 'self', true),
        this.header(this.diff ? 'Total (after)' : 'Total', 'total', true),
        this.diff ? this.header('Change', 'change', true) : null,
      ),
    );
    const barKey = this.key === 'name' || this.key === 'change' ? 'total' : this.key;
    const max = Math.max(1, ...rows.map((r) => r[barKey]));
    replace(
      this.tbody,
      rows.map((r) => {
        const barValue = r[barKey];
        const change = shareChange(r, totals);
        return h(
          'tr',
          { class: r.name === this.selected ? 'selected' : '', 'data-fn': r.name, onclick: () => this.select(r.name) },
          h('td', { class: 'fn bar-cell', title: r.name }, h('span', { class: 'bar', style: { width: `${(100 * barValue) / max}%` } }), r.name),
          h('td', { class: 'num' }, formatValue(r.self, this.unit), h('span', { class: 'muted' }, ` ${formatPercent(share(r.self))}`)),
          h('td', { class: 'num' }, formatValue(r.total, this.unit), h('span', { class: 'muted' }, ` ${formatPercent(share(r.total))}`)),
          this.diff ? h('td', { class: 'num', style: { color: Math.abs(change) < 0.0005 ? '' : change > 0 ? 'var(--regress)' : 'var(--improve)' } }, formatShareChange(change)) : null,
        );
      }),
    );
    if (rows.length === 0) replace(this.tbody, h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No functions.')));
  }

  private select(name: string): void {
    this.selected = this.selected === name ? '' : name;
    for (const tr of this.tbody.querySelectorAll('tr')) tr.classList.toggle('selected', tr.getAttribute('data-fn') === this.selected);
    this.cb.onSelect?.(this.selected);
  }
}
