import * as api from '../api';
import { h, replace, statusPanel } from '../components/dom';
import { FlamegraphView } from '../components/flamegraph-view';
import { QueryBar } from '../components/query-bar';
import { Timeline } from '../components/timeline';
import { TopTable } from '../components/top-table';
import { decodeFlamegraph, type FlameTable } from '../model/flamegraph';
import type { State } from '../state';
import { diffTables } from '../transform/diff';
import { resolveTime } from '../transform/time';
import { formatValue } from '../transform/units';
import { topFunctions } from '../transform/top';
import { exact, type ViewContext } from './explore';
import { shortSelection } from './source';

/**
 * Compare: two selections side by side, each with its own timeline (the left one is the
 * baseline), and the diff flamegraph coloured by change of share. With a file open, the file is
 * the right side and the diff is made in the browser.
 */
export class CompareView {
  readonly el = h('div', { class: 'view compare' });
  private readonly leftBar: QueryBar;
  private readonly rightBar: QueryBar | null;
  private readonly leftTimeline: Timeline;
  private readonly rightTimeline: Timeline;
  private readonly fg: FlamegraphView;
  private readonly topTable: TopTable;
  private readonly body = h('div', { class: 'panel', 'data-testid': 'compare-body' });
  private state: State;
  private table: FlameTable | null = null;
  private loaded = '';
  private abort: AbortController | null = null;

  constructor(
    state: State,
    private readonly ctx: ViewContext,
  ) {
    this.state = state;
    const onProblem = (title: string, detail: string) => replace(this.body, statusPanel(title.startsWith('Could not') ? 'error' : 'empty', title, detail));
    this.leftBar = new QueryBar(left(state), (v) => ctx.update({ ...v, focus: '' }, true), { label: 'Baseline', onProblem });
    this.rightBar = ctx.file ? null : new QueryBar(right(state), (v) => ctx.update({ rightQuery: v.query, rightFrom: v.from, rightUntil: v.until, focus: '' }, true), { label: 'Comparison' });
    this.leftTimeline = new Timeline((a, b) => ctx.update({ from: secs(a), until: secs(b, true), focus: '' }, true));
    this.rightTimeline = new Timeline((a, b) => ctx.update({ rightFrom: secs(a), rightUntil: secs(b, true), focus: '' }, true));
    this.fg = new FlamegraphView({
      onFocus: (path) => ctx.update({ focus: path.join(';') }, true),
      onSearch: (q) => ctx.update({ search: q }),
      onOrientation: (o) => ctx.update({ orientation: o }),
    });
    this.topTable = new TopTable({
      onSelect: (name) => {
        ctx.update({ search: name ? exact(name) : '' });
        this.fg.applySearch(name ? exact(name) : '');
      },
    });
    const rightSide = ctx.file
      ? h(
          'div',
          { class: 'panel file-banner' },
          h('b', {}, 'Comparison'),
          h('span', { class: 'name' }, ctx.file.name),
          h('span', { class: 'muted' }, `${formatValue(ctx.file.table.total[0] ?? 0, ctx.file.table.unit)} in all · opened from disk, compared by share`),
          h('span', { class: 'spacer' }),
          h('button', { class: 'btn', onclick: () => ctx.closeFile() }, 'Use a selection instead'),
        )
      : h('div', {}, this.rightBar!.el, h('div', { class: 'panel', style: { marginTop: '8px' } }, this.rightTimeline.el));
    this.el.append(
      h('div', { class: 'compare-sides' }, h('div', {}, this.leftBar.el, h('div', { class: 'panel', style: { marginTop: '8px' } }, this.leftTimeline.el)), rightSide),
      this.body,
    );
    this.update(state);
  }

  update(state: State): void {
    this.state = state;
    this.leftBar.show(left(state));
    this.rightBar?.show(right(state));
    const r = right(state);
    const key = `${state.query}|${state.from}|${state.until}|${this.ctx.file ? 'file:' + this.ctx.file.name : `${r.query}|${r.from}|${r.until}`}`;
    if (key !== this.loaded) {
      this.loaded = key;
      void this.load();
    } else if (this.table) {
      if (state.focus !== this.fg.focusPath().join(';') || state.orientation !== this.fg.currentOrientation()) {
        this.fg.setData(this.table, state.focus ? state.focus.split(';') : [], state.search, state.orientation);
      } else this.fg.applySearch(state.search);
    }
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const s = this.state;
    const l = left(s);
    const r = right(s);
    if (!l.query) {
      replace(this.body, statusPanel('empty', 'Pick the baseline selection', 'Then the comparison: another range, release or host.'));
      return;
    }
    this.loadSeries(this.leftTimeline, l, abort);
    if (!this.ctx.file) this.loadSeries(this.rightTimeline, r, abort);
    replace(this.body, statusPanel('loading', `Diffing ${shortSelection(l.query)} against ${this.ctx.file ? this.ctx.file.name : shortSelection(r.query)}…`));
    try {
      let t: FlameTable;
      if (this.ctx.file) {
        t = diffTables(decodeFlamegraph(await api.flamegraph(l, undefined, abort.signal)), this.ctx.file.table);
      } else {
        t = decodeFlamegraph(await api.diff(l, r, undefined, abort.signal));
      }
      if (abort.signal.aborted) return;
      if (t.count === 0 || t.total[0] === 0) {
        replace(this.body, statusPanel('empty', 'Neither side has samples', 'Widen a range or loosen a selector.'));
        return;
      }
      this.table = t;
      this.topTable.setRows(topFunctions(t), t.rightUnit, t.rightGrandTotal / t.rightScale, { diff: true, leftTotal: t.leftGrandTotal, sort: 'change' });
      const note =
        t.leftGrandTotal === 0 || t.rightGrandTotal === 0
          ? h('div', { class: 'status-detail', role: 'status' }, `The ${t.leftGrandTotal === 0 ? 'baseline' : 'comparison'} has no samples: every frame shows as ${t.leftGrandTotal === 0 ? 'added' : 'removed'}.`)
          : null;
      replace(this.body, note, h('div', { class: 'split' }, this.topTable.el, this.fg.el));
      requestAnimationFrame(() => this.fg.setData(t, s.focus ? s.focus.split(';') : [], s.search, s.orientation));
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      replace(this.body, statusPanel('error', 'Could not compute the diff', (e as Error).message));
    }
  }

  private loadSeries(tl: Timeline, sel: api.Selection, abort: AbortController): void {
    const from = resolveTime(sel.from);
    const until = resolveTime(sel.until);
    tl.setData(null, from, until, 'loading…');
    api.series(sel, [], undefined, abort.signal).then(
      (res) => !abort.signal.aborted && tl.setData(res, from, until),
      (e) => !abort.signal.aborted && tl.setData(null, from, until, `series unavailable: ${(e as Error).message}`),
    );
  }
}

function left(s: State): api.Selection {
  return { query: s.query, from: s.from, until: s.until };
}

/** The comparison defaults to the baseline's selection, so changing only its range is one step. */
function right(s: State): api.Selection {
  return { query: s.rightQuery || s.query, from: s.rightFrom, until: s.rightUntil };
}

function secs(ms: number, up = false): string {
  return String(up ? Math.ceil(ms / 1000) : Math.floor(ms / 1000));
}
