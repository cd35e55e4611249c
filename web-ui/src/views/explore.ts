import * as api from '../api';
import { h, replace, saveBlob, statusPanel } from '../components/dom';
import { FlamegraphView } from '../components/flamegraph-view';
import { QueryBar } from '../components/query-bar';
import { Timeline } from '../components/timeline';
import { TopTable } from '../components/top-table';
import { decodeFlamegraph, type FlameTable } from '../model/flamegraph';
import type { State, Tab } from '../state';
import { sandwich as localSandwich } from '../transform/sandwich';
import { resolveTime } from '../transform/time';
import { type FunctionRow, topFunctions } from '../transform/top';
import { type FileSource, shortSelection } from './source';

export interface ViewContext {
  /** Changes the state (and the URL); `push` adds a history entry. */
  update(patch: Partial<State>, push?: boolean): void;
  /** The file opened from disk, if the view shows one instead of a selection. */
  file: FileSource | null;
  closeFile(): void;
  compareFile(): void;
}

const TABS: [Tab, string][] = [
  ['both', 'Table + flamegraph'],
  ['flamegraph', 'Flamegraph'],
  ['table', 'Table'],
  ['sandwich', 'Sandwich'],
];

/**
 * Explore: one selection (or an opened file), its timeline, the flamegraph, the top-functions
 * table and the sandwich view of one function.
 */
export class ExploreView {
  readonly el = h('div', { class: 'view explore' });
  private readonly bar: QueryBar | null;
  private readonly timeline: Timeline;
  private readonly fg: FlamegraphView;
  private readonly topTable: TopTable;
  private readonly tabs = h('div', { class: 'row', role: 'tablist' });
  private readonly body = h('div', { class: 'panel', 'data-testid': 'explore-body' });
  private readonly sandwichBox = h('div', { class: 'sandwich' });
  private readonly callers: FlamegraphView;
  private readonly callees: FlamegraphView;
  private state: State;
  private table: FlameTable | null = null;
  private rows: FunctionRow[] = [];
  private rowsTotal = 0;
  private loaded = '';
  private abort: AbortController | null = null;
  private sandwichKey = '';

  constructor(
    state: State,
    private readonly ctx: ViewContext,
  ) {
    this.state = state;
    const actions = ctx.file
      ? []
      : [
          h('button', { class: 'btn small', 'data-testid': 'download-pprof', title: 'gzip pprof of this selection (go tool pprof reads it)', onclick: () => void this.download('pprof') }, '⤓ pprof'),
          h('button', { class: 'btn small', 'data-testid': 'download-folded', title: 'Folded stacks of this selection', onclick: () => void this.download('folded') }, '⤓ folded'),
        ];
    this.fg = new FlamegraphView(
      {
        onFocus: (path) => ctx.update({ focus: path.join(';') }, true),
        onSearch: (q) => ctx.update({ search: q }),
        onOrientation: (o) => ctx.update({ orientation: o }),
        onSandwich: (fn) => ctx.update({ tab: 'sandwich', fn }, true),
      },
      { actions },
    );
    this.topTable = new TopTable({
      onSelect: (name) => {
        ctx.update({ search: name ? exact(name) : '' });
        this.fg.applySearch(name ? exact(name) : '');
      },
      onSort: (key) => ctx.update({ sort: key }),
    });
    this.callers = new FlamegraphView({}, { toolbar: false, rowHeight: 18 });
    this.callees = new FlamegraphView({}, { toolbar: false, rowHeight: 18 });
    this.timeline = new Timeline((fromMs, untilMs) => ctx.update({ from: String(Math.floor(fromMs / 1000)), until: String(Math.ceil(untilMs / 1000)), focus: '' }, true));
    this.bar = ctx.file
      ? null
      : new QueryBar({ query: state.query, from: state.from, until: state.until }, (v) => ctx.update({ ...v, focus: '' }, true), {
          onProblem: (title, detail) => replace(this.body, statusPanel(title.startsWith('Could not') ? 'error' : 'empty', title, detail)),
        });
    const head = ctx.file
      ? h(
          'div',
          { class: 'panel file-banner', 'data-testid': 'file-banner' },
          h('span', {}, 'Viewing file'),
          h('span', { class: 'name' }, ctx.file.name),
          h('span', { class: 'muted' }, '(rendered by the server, not stored)'),
          h('span', { class: 'spacer' }),
          h('button', { class: 'btn', onclick: () => ctx.compareFile() }, 'Compare with a selection'),
          h('button', { class: 'btn', onclick: () => ctx.closeFile() }, 'Close file'),
        )
      : null;
    this.el.append(...[head, this.bar?.el, ctx.file ? null : h('div', { class: 'panel' }, this.timeline.el), h('div', { class: 'panel' }, this.tabs), this.body].filter((x): x is HTMLElement => !!x));
    this.update(state);
  }

  update(state: State): void {
    const prev = this.state;
    this.state = state;
    this.bar?.show({ query: state.query, from: state.from, until: state.until });
    this.renderTabs();
    const key = this.ctx.file ? `file:${this.ctx.file.name}` : `${state.query}|${state.from}|${state.until}`;
    if (key !== this.loaded) {
      this.loaded = key;
      void this.load();
      return;
    }
    if (this.table) {
      if (prev.tab !== state.tab || prev.fn !== state.fn) this.layoutBody();
      // Changes the flamegraph made itself (zoom, search, flip) are already on screen.
      else if (state.focus !== this.fg.focusPath().join(';') || state.orientation !== this.fg.currentOrientation()) {
        this.fg.setData(this.table, focusPath(state), state.search, state.orientation);
      } else if (prev.search !== state.search) this.fg.applySearch(state.search);
    }
  }

  private renderTabs(): void {
    replace(
      this.tabs,
      TABS.map(([tab, label]) =>
        h('button', { class: 'btn', role: 'tab', 'aria-pressed': String(this.state.tab === tab), 'data-tab': tab, onclick: () => this.ctx.update({ tab }, true) }, label),
      ),
      this.state.tab === 'sandwich' && this.state.fn ? h('span', { class: 'muted' }, `function: ${this.state.fn}`) : null,
    );
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const s = this.state;
    this.table = null;
    if (this.ctx.file) {
      this.table = this.ctx.file.table;
      this.rows = topFunctions(this.table);
      this.rowsTotal = this.table.total[0] ?? 0;
      this.layoutBody();
      return;
    }
    if (!s.query) {
      replace(this.body, statusPanel('empty', 'Pick a profile type to start', 'Hearth lists the profile types that have data in the chosen range.'));
      this.timeline.setData(null, resolveTime(s.from), resolveTime(s.until), 'no selection');
      return;
    }
    replace(this.body, statusPanel('loading', `Merging profiles for ${shortSelection(s.query)}…`));
    const sel = { query: s.query, from: s.from, until: s.until };
    this.timeline.setData(null, resolveTime(s.from), resolveTime(s.until), 'loading…');
    api.series(sel, [], undefined, abort.signal).then(
      (r) => !abort.signal.aborted && this.timeline.setData(r, resolveTime(s.from), resolveTime(s.until)),
      (e) => !abort.signal.aborted && this.timeline.setData(null, resolveTime(s.from), resolveTime(s.until), `series unavailable: ${(e as Error).message}`),
    );
    try {
      const wire = await api.flamegraph(sel, undefined, abort.signal);
      if (abort.signal.aborted) return;
      const t = decodeFlamegraph(wire);
      if (t.count === 0 || t.total[0] === 0) {
        replace(this.body, statusPanel('empty', 'No samples for this selection', `Nothing matched ${s.query} between ${s.from} and ${s.until}. Widen the range or loosen the selector.`));
        return;
      }
      this.table = t;
      try {
        const top = await api.top(sel, abort.signal);
        this.rows = top.functions.map((f) => ({ ...f, leftSelf: 0, leftTotal: 0 }));
        this.rowsTotal = top.total || t.total[0];
      } catch {
        this.rows = topFunctions(t); // the flamegraph holds the same numbers, within maxNodes
        this.rowsTotal = t.total[0];
      }
      if (abort.signal.aborted) return;
      this.layoutBody();
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      replace(this.body, statusPanel('error', 'Could not load the flamegraph', (e as Error).message));
    }
  }

  private layoutBody(): void {
    const t = this.table;
    if (!t) return;
    const s = this.state;
    if (s.tab === 'sandwich') {
      this.showSandwich();
      return;
    }
    const split = h('div', { class: s.tab === 'both' ? 'split' : 'split single' });
    if (s.tab !== 'flamegraph') split.append(this.topTable.el);
    if (s.tab !== 'table') split.append(this.fg.el);
    replace(this.body, t.truncated ? h('div', { class: 'muted', style: { marginBottom: '6px' } }, 'Small frames were folded into “other” nodes to keep the flamegraph fast.') : null, split);
    this.topTable.setRows(this.rows, t.unit, this.rowsTotal, { sort: s.sort, selected: selectedName(s.search) });
    if (s.tab !== 'table') requestAnimationFrame(() => this.fg.setData(t, focusPath(s), s.search, s.orientation));
  }

  private async showSandwich(): Promise<void> {
    const t = this.table!;
    const s = this.state;
    const fn = s.fn || this.rows.slice().sort((a, b) => b.self - a.self)[0]?.name || '';
    const picker = h('input', { class: 'text', list: 'fn-list', value: fn, placeholder: 'function name', 'data-testid': 'sandwich-fn', style: { width: '420px' } });
    picker.addEventListener('change', () => this.ctx.update({ fn: picker.value }, true));
    const list = h('datalist', { id: 'fn-list' }, this.rows.slice(0, 500).map((r) => h('option', { value: r.name })));
    replace(this.body, h('div', { class: 'row', style: { marginBottom: '8px' } }, h('span', {}, 'Function'), picker, list), this.sandwichBox);
    replace(this.sandwichBox, statusPanel('loading', `Finding callers and callees of ${fn}…`));
    const key = `${this.loaded}|${fn}`;
    this.sandwichKey = key;
    let result: api.SandwichResult;
    try {
      result = this.ctx.file ? localSandwich(t, fn) : await api.sandwich({ query: s.query, from: s.from, until: s.until }, fn);
    } catch {
      result = localSandwich(t, fn);
    }
    if (this.sandwichKey !== key) return;
    const callers = decodeFlamegraph(result.callers);
    const callees = decodeFlamegraph(result.callees);
    if (callers.total[0] === 0 && callees.total[0] === 0) {
      replace(this.sandwichBox, statusPanel('empty', `${fn || 'No function'} is not in this profile`, 'Pick a function from the list, or right-click a frame in the flamegraph and choose “Sandwich view”.'));
      return;
    }
    replace(this.sandwichBox, h('h3', {}, 'Callers (who calls it)'), this.callers.el, h('h3', {}, 'Callees (what it calls)'), this.callees.el);
    requestAnimationFrame(() => {
      this.callers.setData(callers, [], '', 'flame');
      this.callees.setData(callees, [], '', 'icicle');
    });
  }

  private async download(kind: 'pprof' | 'folded'): Promise<void> {
    const s = this.state;
    try {
      const blob = await api.download(kind, { query: s.query, from: s.from, until: s.until });
      const base = (shortSelection(s.query).match(/service_name="([^"]+)"/)?.[1] ?? 'profile').replace(/[^\w.-]+/g, '_');
      saveBlob(blob, kind === 'pprof' ? `${base}.pb.gz` : `${base}.folded`);
    } catch (e) {
      alert(`Download failed: ${(e as Error).message}`);
    }
  }
}

/** The exact-name search a table click sets (a regex anchored at both ends). */
export function exact(name: string): string {
  return `/^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$/`;
}

function selectedName(search: string): string {
  const m = /^\/\^(.*)\$\/$/.exec(search);
  return m ? m[1].replace(/\\(.)/g, '$1') : '';
}

function focusPath(s: State): string[] {
  return s.focus ? s.focus.split(';') : [];
}
