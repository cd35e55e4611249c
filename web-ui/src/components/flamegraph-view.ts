import { findByPath, type FlameTable, namePath, nodeName, rightSelf, rightTotal } from '../model/flamegraph';
import { type Bar, hitTest, layout, type Layout } from '../geometry/layout';
import { DARK, diffLegend, LIGHT, type Theme } from '../paint/colors';
import { paint } from '../paint/flamegraph';
import { changeOf } from '../transform/diff';
import { search, type SearchResult } from '../transform/search';
import { formatPercent, formatShareChange, formatValue } from '../transform/units';
import { breadcrumbs, type Focus, focusOn, interpolate } from '../transform/zoom';
import { h, replace } from './dom';

export interface FlamegraphCallbacks {
  /** The focused node changed (its name path; empty = root). */
  onFocus?(path: string[]): void;
  onSearch?(query: string): void;
  onOrientation?(o: 'icicle' | 'flame'): void;
  /** "Sandwich view" chosen for a function. */
  onSandwich?(fn: string): void;
}

export interface FlamegraphOptions {
  /** Offer the search box and the orientation toggle (the sandwich halves don't). */
  toolbar?: boolean;
  rowHeight?: number;
  /** Extra toolbar elements (downloads). */
  actions?: HTMLElement[];
}

const ZOOM_MS = 180;

/** Last draw's cost (layout + paint), read by the draw-time benchmark. */
declare global {
  interface Window {
    __hearthDraws?: { nodes: number; bars: number; ms: number }[];
  }
}

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? DARK : LIGHT;
}

/**
 * The interactive flamegraph: toolbar (search with the matches' share, orientation), breadcrumbs,
 * the canvas, a tooltip and a context menu. Owns no data fetching: it is handed a table.
 */
export class FlamegraphView {
  readonly el: HTMLElement;
  private readonly canvas = h('canvas', { 'data-testid': 'flamegraph-canvas', 'aria-label': 'flamegraph (Escape zooms out one level)', tabindex: '0' });
  private readonly crumbs = h('div', { class: 'crumbs', 'data-testid': 'breadcrumbs' });
  private readonly searchInput = h('input', { class: 'text search', type: 'search', placeholder: 'Search functions (/regex/)', 'data-testid': 'search' });
  private readonly shareLabel = h('span', { class: 'match-share', 'data-testid': 'match-share' });
  private readonly legend = h('div', { class: 'legend hidden', 'data-testid': 'legend' });
  private readonly orientBtn = h('button', { class: 'btn small', title: 'Flip between icicle (root on top) and flame (root at the bottom)' });
  private readonly tooltip = h('div', { class: 'tooltip hidden', 'data-testid': 'tooltip' });
  private readonly wrap = h('div', { class: 'fg-canvas-wrap' }, this.canvas);
  private table: FlameTable | null = null;
  private focus: Focus = { node: 0, x0: 0, x1: 1 };
  private result: SearchResult | null = null;
  private orientation: 'icicle' | 'flame' = 'icicle';
  private current: Layout | null = null;
  private hover: number | undefined;
  private animation = 0;
  private menu: HTMLElement | null = null;
  private readonly rowHeight: number;

  constructor(
    private readonly cb: FlamegraphCallbacks = {},
    opts: FlamegraphOptions = {},
  ) {
    this.rowHeight = opts.rowHeight ?? 20;
    const toolbar = opts.toolbar !== false;
    this.orientBtn.addEventListener('click', () => {
      this.orientation = this.orientation === 'icicle' ? 'flame' : 'icicle';
      this.cb.onOrientation?.(this.orientation);
      this.draw();
      this.updateOrientLabel();
    });
    let debounce = 0;
    this.searchInput.addEventListener('input', () => {
      clearTimeout(debounce);
      debounce = window.setTimeout(() => {
        this.applySearch(this.searchInput.value);
        this.cb.onSearch?.(this.searchInput.value);
      }, 120);
    });
    const reset = h('button', { class: 'btn small', title: 'Show the whole flamegraph', onclick: () => this.zoomTo(0) }, 'Reset zoom');
    this.el = h(
      'div',
      { class: 'flamegraph' },
      toolbar ? h('div', { class: 'fg-toolbar' }, this.searchInput, this.shareLabel, h('span', { class: 'spacer' }), this.legend, reset, this.orientBtn, ...(opts.actions ?? [])) : null,
      this.crumbs,
      this.wrap,
      this.tooltip,
    );
    this.canvas.addEventListener('mousemove', (e) => this.onMove(e));
    this.canvas.addEventListener('mouseleave', () => this.hideTooltip());
    this.canvas.addEventListener('click', (e) => this.onClick(e));
    this.canvas.addEventListener('contextmenu', (e) => this.onContextMenu(e));
    this.canvas.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.table && this.focus.node > 0) this.zoomTo(Math.max(0, this.table.parent[this.focus.node]));
    });
    new ResizeObserver(() => this.draw()).observe(this.wrap);
    this.updateOrientLabel();
  }

  /** Shows a table, focused on the node at `focusPath`, with a search and an orientation. */
  setData(t: FlameTable, focusPath: string[] = [], query = '', orientation: 'icicle' | 'flame' = this.orientation): void {
    this.table = t;
    this.orientation = orientation;
    this.updateOrientLabel();
    this.focus = focusOn(t, findByPath(t, focusPath));
    this.searchInput.value = query;
    this.result = query ? search(t, query, this.focus.node) : null;
    this.updateLegend();
    this.updateCrumbs();
    this.updateShare();
    this.draw();
  }

  /** The focused node's name path, as last reported through onFocus. */
  focusPath(): string[] {
    return this.table ? namePath(this.table, this.focus.node) : [];
  }

  currentOrientation(): 'icicle' | 'flame' {
    return this.orientation;
  }

  /** Highlights matches of a search (empty clears it). */
  applySearch(query: string): void {
    if (!this.table) return;
    if (this.searchInput.value !== query) this.searchInput.value = query;
    this.result = query.trim() ? search(this.table, query, this.focus.node) : null;
    this.updateShare();
    this.draw();
  }

  /** Zooms into a node, animated; reports the new focus. */
  zoomTo(node: number): void {
    const t = this.table;
    if (!t) return;
    const from = this.focus;
    const to = focusOn(t, node);
    this.focus = to;
    this.cb.onFocus?.(namePath(t, node));
    this.updateCrumbs();
    if (this.result) this.applySearch(this.searchInput.value);
    cancelAnimationFrame(this.animation);
    const started = performance.now();
    const step = (now: number) => {
      const p = Math.min(1, (now - started) / ZOOM_MS);
      this.drawAt(interpolate(from, to, p));
      if (p < 1) this.animation = requestAnimationFrame(step);
    };
    this.animation = requestAnimationFrame(step);
  }

  draw(): void {
    this.drawAt(this.focus);
  }

  private drawAt(f: Focus): void {
    const t = this.table;
    const width = this.wrap.clientWidth;
    if (!t || width === 0) return;
    const started = performance.now();
    this.current = layout(t, { width, rowHeight: this.rowHeight, orientation: this.orientation, x0: f.x0, x1: f.x1 });
    paint(this.canvas, t, this.current, {
      theme: currentTheme(),
      matches: this.result?.matches,
      hover: this.hover,
    });
    const ms = performance.now() - started;
    (window.__hearthDraws ??= []).push({ nodes: t.count, bars: this.current.bars.length, ms });
    if (window.__hearthDraws.length > 50) window.__hearthDraws.shift();
  }

  private updateOrientLabel(): void {
    this.orientBtn.textContent = this.orientation === 'icicle' ? 'Icicle ↓' : 'Flame ↑';
    this.orientBtn.setAttribute('data-orientation', this.orientation);
  }

  private updateCrumbs(): void {
    const t = this.table;
    if (!t) return;
    const parts: (HTMLElement | string)[] = [];
    breadcrumbs(t, this.focus.node).forEach((c, k) => {
      if (k > 0) parts.push(h('span', { class: 'sep' }, '›'));
      parts.push(h('button', { title: c.name, onclick: () => this.zoomTo(c.node) }, shorten(c.name, 48)));
    });
    replace(this.crumbs, parts);
  }

  private updateShare(): void {
    const r = this.result;
    const t = this.table;
    if (!r || !t) {
      replace(this.shareLabel);
      return;
    }
    if (r.matched === 0) {
      replace(this.shareLabel, 'no match');
      return;
    }
    replace(
      this.shareLabel,
      h('b', {}, formatPercent(r.share)),
      ` of ${this.focus.node === 0 ? 'total' : 'focus'} · ${formatValue(r.value, t.unit)} · ${r.functions} function${r.functions === 1 ? '' : 's'}`,
    );
  }

  private updateLegend(): void {
    const t = this.table;
    const diff = t?.kind === 'diff';
    this.legend.classList.toggle('hidden', !diff);
    if (!diff || !t) return;
    const entries = diffLegend(currentTheme()).filter((e) => t.hasSignificance || e.label !== 'not significant');
    replace(
      this.legend,
      h('span', {}, 'share change:'),
      entries.map((e) => h('span', {}, h('span', { class: 'sw', style: { background: e.colour } }), e.label)),
      t.hasSignificance ? null : h('span', { title: 'A diff made in the browser has no sample counts, so no significance test' }, '(no significance test)'),
    );
  }

  private barAt(e: MouseEvent): Bar | undefined {
    if (!this.current) return undefined;
    const r = this.canvas.getBoundingClientRect();
    return hitTest(this.current, e.clientX - r.left, e.clientY - r.top);
  }

  private onMove(e: MouseEvent): void {
    const b = this.barAt(e);
    const node = b && b.merged === 1 ? b.node : undefined;
    if (node !== this.hover) {
      this.hover = node;
      this.draw();
    }
    if (!b) {
      this.hideTooltip();
      return;
    }
    this.showTooltip(b, e.clientX, e.clientY);
  }

  private onClick(e: MouseEvent): void {
    this.closeMenu();
    const b = this.barAt(e);
    if (!b) return;
    // A merged run stands for several frames: zoom to their parent so they become readable.
    const t = this.table!;
    this.zoomTo(b.merged > 1 ? Math.max(0, t.parent[b.node]) : b.node);
  }

  private onContextMenu(e: MouseEvent): void {
    const b = this.barAt(e);
    if (!b || b.merged > 1 || !this.table) return;
    e.preventDefault();
    this.closeMenu();
    const name = nodeName(this.table, b.node);
    const item = (label: string, f: () => void) =>
      h('button', { onclick: () => { this.closeMenu(); f(); } }, label);
    this.menu = h(
      'div',
      { class: 'menu', style: { left: `${e.clientX}px`, top: `${e.clientY}px` } },
      item('Zoom in', () => this.zoomTo(b.node)),
      this.cb.onSandwich && b.node !== 0 ? item('Sandwich view', () => this.cb.onSandwich!(name)) : null,
      b.node !== 0 ? item('Search for this function', () => { this.applySearch(name); this.cb.onSearch?.(name); }) : null,
      item('Copy name', () => void navigator.clipboard?.writeText(name)),
    );
    document.body.append(this.menu);
    setTimeout(() => document.addEventListener('click', () => this.closeMenu(), { once: true }));
  }

  private closeMenu(): void {
    this.menu?.remove();
    this.menu = null;
  }

  private showTooltip(b: Bar, x: number, y: number): void {
    const t = this.table!;
    const i = b.node;
    const rows: [string, string][] = [];
    let title = nodeName(t, i);
    if (b.merged > 1) {
      title = `${b.merged} small frames (click to zoom into their caller)`;
    } else if (t.kind === 'diff') {
      const c = changeOf(t, i);
      rows.push(['before', `${formatValue(t.leftTotal[i], t.unit)} · ${formatPercent(c.leftShare)}`]);
      rows.push(['after', `${formatValue(rightTotal(t, i), t.rightUnit)} · ${formatPercent(c.rightShare)}`]);
      rows.push(['change', formatShareChange(c.delta)]);
      rows.push(['self before / after', `${formatValue(t.leftSelf[i], t.unit)} / ${formatValue(rightSelf(t, i), t.rightUnit)}`]);
      if (t.hasSignificance) rows.push(['significance', `z = ${c.z.toFixed(2)} · ${c.noise ? 'not significant (muted)' : 'significant'}`]);
    } else {
      const root = t.total[0] || 1;
      rows.push(['self', `${formatValue(t.self[i], t.unit)} · ${formatPercent(t.self[i] / root)}`]);
      rows.push(['total', `${formatValue(t.total[i], t.unit)} · ${formatPercent(t.total[i] / root)}`]);
      if (this.focus.node !== 0 && t.total[this.focus.node] > 0) {
        rows.push(['of focus', formatPercent(t.total[i] / t.total[this.focus.node])]);
      }
    }
    replace(
      this.tooltip,
      h('div', { class: 'name' }, title),
      h('table', {}, rows.map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', { class: 'num' }, v)))),
      b.merged > 1 ? null : h('div', { class: 'hint' }, 'click to zoom · right-click for more'),
    );
    this.tooltip.classList.remove('hidden');
    const w = this.tooltip.offsetWidth;
    const hgt = this.tooltip.offsetHeight;
    const left = x + 14 + w > window.innerWidth ? x - w - 10 : x + 14;
    const top = y + 14 + hgt > window.innerHeight ? y - hgt - 10 : y + 14;
    this.tooltip.style.left = `${Math.max(4, left)}px`;
    this.tooltip.style.top = `${Math.max(4, top)}px`;
  }

  private hideTooltip(): void {
    this.tooltip.classList.add('hidden');
    if (this.hover !== undefined) {
      this.hover = undefined;
      this.draw();
    }
  }
}

function shorten(s: string, n: number): string {
  return s.length <= n ? s : '…' + s.slice(-(n - 1));
}
