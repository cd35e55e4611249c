import * as api from '../api';
import { h, replace, statusPanel } from '../components/dom';
import { QueryBar } from '../components/query-bar';
import { type State, splitQuery } from '../state';
import { formatPercent } from '../transform/units';
import type { ViewContext } from './explore';

/**
 * Correlate: functions hot in at least two of CPU, off-CPU, allocations and IO, with their share
 * in each and how their per-step series move with the other categories.
 */
export class CorrelateView {
  readonly el = h('div', { class: 'view correlate' });
  private readonly bar: QueryBar;
  private readonly body = h('div', { class: 'panel', 'data-testid': 'correlate-body' });
  private state: State;
  private loaded = '';

  constructor(
    state: State,
    private readonly ctx: ViewContext,
  ) {
    this.state = state;
    this.bar = new QueryBar({ query: state.query, from: state.from, until: state.until }, (v) => ctx.update({ ...v }, true));
    this.el.append(
      this.bar.el,
      h('div', { class: 'panel muted' }, 'Functions that are hot in at least two categories (CPU, off-CPU, allocations, IO) for the selected labels. The profile type picked above is ignored: every category is read. r is the Pearson correlation of the function’s per-step series with another category.'),
      this.body,
    );
    this.update(state);
  }

  update(state: State): void {
    this.state = state;
    this.bar.show({ query: state.query, from: state.from, until: state.until });
    const key = `${splitQuery(state.query).selector}|${state.from}|${state.until}`;
    if (key === this.loaded) return;
    this.loaded = key;
    void this.load();
  }

  private async load(): Promise<void> {
    const s = this.state;
    const selector = splitQuery(s.query).selector;
    replace(this.body, statusPanel('loading', `Correlating categories for ${selector}…`));
    try {
      const r = await api.correlate({ query: selector, from: s.from, until: s.until });
      if (r.functions.length === 0) {
        const withData = r.categories.filter((c) => c.total > 0).map((c) => c.name);
        replace(
          this.body,
          statusPanel(
            'empty',
            'No function is hot in two categories',
            withData.length < 2
              ? `${withData.length === 0 ? 'No category' : `Only ${withData.join(', ')}`} has data for these labels in this range; correlating needs at least two of CPU, off-CPU, allocations and IO.`
              : `${withData.join(', ')} have data, but no function is among the top ones of two of them. Try a wider range.`,
          ),
        );
        return;
      }
      const cats = r.categories.map((c) => c.name);
      const maxShare = Math.max(1e-9, ...r.functions.flatMap((f) => Object.values(f.shares)));
      const rCell = (v: number | undefined) => {
        if (v === undefined) return h('td', { class: 'corr muted' }, '–');
        const a = Math.min(1, Math.abs(v));
        const bg = v >= 0 ? `rgba(212, 87, 42, ${0.1 + 0.5 * a})` : `rgba(47, 126, 216, ${0.1 + 0.5 * a})`;
        return h('td', { class: 'corr', style: { background: bg }, title: `r = ${v.toFixed(3)}` }, v.toFixed(2));
      };
      const pairs = [...new Set(r.functions.flatMap((f) => f.correlations.map((c) => `${c.category}~${c.with}~${c.kind}`)))].slice(0, 8);
      replace(
        this.body,
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'top', 'data-testid': 'correlate-table' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Function'), h('th', { class: 'num' }, 'Score'), cats.map((c) => h('th', { class: 'num' }, c)), pairs.map((p) => {
              const [c, w, k] = p.split('~');
              const label = k === 'total' ? `r ${c} ↔ all ${w}` : `r ${c} ↔ ${w}`;
              const title = k === 'total' ? `Pearson r of the function's ${c} series with the whole selection's ${w} series` : `Pearson r of the function's ${c} series with its own ${w} series`;
              return h('th', { class: 'num', title }, label);
            }))),
            h(
              'tbody',
              {},
              r.functions.map((f) =>
                h(
                  'tr',
                  { onclick: () => this.ctx.update({ view: 'explore', search: `/^${f.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$/` }, true), title: 'Open in Explore' },
                  h('td', { class: 'fn' }, f.name),
                  h('td', { class: 'num' }, f.score.toFixed(3)),
                  cats.map((c) => {
                    const v = f.shares[c];
                    return h('td', { class: 'num bar-cell' }, v ? h('span', { class: 'bar', style: { width: `${(100 * v) / maxShare}%` } }) : null, v ? formatPercent(v) : '–');
                  }),
                  pairs.map((p) => {
                    const [c, w, k] = p.split('~');
                    return rCell(f.correlations.find((x) => x.category === c && x.with === w && x.kind === k)?.r);
                  }),
                ),
              ),
            ),
          ),
        ),
      );
    } catch (e) {
      replace(this.body, statusPanel('error', 'Could not correlate', (e as Error).message));
    }
  }
}
