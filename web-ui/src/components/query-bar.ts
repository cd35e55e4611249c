import * as api from '../api';
import { joinQuery, parseMatchers, splitQuery, withMatcher } from '../state';
import { displayTime, isRelative, PRESETS, toApiTime } from '../transform/time';
import { h, replace } from './dom';

export interface QueryValue {
  query: string;
  from: string;
  until: string;
}

const SERVICE_LABEL = 'service_name';

/**
 * One selection: profile type, service, a label selector with autocomplete from the labels API,
 * and a relative or absolute time range. Reports a new value when the user applies it.
 */
export class QueryBar {
  readonly el: HTMLElement;
  private readonly typeSelect = h('select', { 'data-testid': 'profile-type', title: 'Profile type' });
  private readonly serviceSelect = h('select', { 'data-testid': 'service', title: 'Service' });
  private readonly selector = h('input', { class: 'text selector', spellcheck: false, autocomplete: 'off', 'data-testid': 'selector', placeholder: '{service_name="api", env!="dev"}' });
  private readonly suggestions = h('div', { class: 'suggestions hidden', role: 'listbox' });
  private readonly preset = h('select', { 'data-testid': 'range-preset', title: 'Time range' });
  private readonly from = h('input', { class: 'text time', 'data-testid': 'from', title: 'From: now-1h, a date, or epoch' });
  private readonly until = h('input', { class: 'text time', 'data-testid': 'until', title: 'Until: now, a date, or epoch' });
  private readonly error = h('span', { class: 'muted', role: 'alert' });
  private value: QueryValue;
  private active = -1;
  private items: { label: string; apply: () => void }[] = [];
  private suggestSeq = 0;
  private typesLoaded = '';

  private readonly onProblem: (title: string, detail: string) => void;

  /** `onProblem` hears when there is nothing to pick from: no profile types, or no API. */
  constructor(
    initial: QueryValue,
    private readonly onApply: (v: QueryValue) => void,
    opts: { label?: string; onProblem?: (title: string, detail: string) => void } = {},
  ) {
    this.onProblem = opts.onProblem ?? (() => {});
    this.value = initial;
    for (const p of PRESETS) this.preset.append(h('option', { value: p.from }, p.label));
    this.preset.append(h('option', { value: 'custom' }, 'Custom range'));
    const apply = h('button', { class: 'btn primary', 'data-testid': 'apply', onclick: () => this.apply() }, 'Show');
    this.el = h(
      'div',
      { class: 'panel query-bar' },
      h(
        'div',
        { class: 'row' },
        opts.label ? h('b', {}, opts.label) : null,
        this.typeSelect,
        this.serviceSelect,
        h('div', { class: 'autocomplete' }, this.selector, this.suggestions),
      ),
      h('div', { class: 'row', style: { marginTop: '8px' } }, this.preset, this.from, h('span', { class: 'muted' }, '→'), this.until, apply, this.error),
    );
    this.typeSelect.addEventListener('change', () => {
      this.value = { ...this.value, query: joinQuery(this.typeSelect.value, this.currentSelector()) };
      void this.loadServices();
      this.apply();
    });
    this.serviceSelect.addEventListener('change', () => {
      this.selector.value = withMatcher(this.currentSelector(), SERVICE_LABEL, this.serviceSelect.value);
      this.apply();
    });
    this.preset.addEventListener('change', () => {
      if (this.preset.value === 'custom') {
        this.from.focus();
        return;
      }
      this.from.value = this.preset.value;
      this.until.value = 'now';
      this.apply();
    });
    for (const input of [this.from, this.until]) input.addEventListener('keydown', (e) => e.key === 'Enter' && this.apply());
    this.selector.addEventListener('input', () => void this.suggest());
    this.selector.addEventListener('focus', () => void this.suggest());
    this.selector.addEventListener('blur', () => setTimeout(() => this.hideSuggestions(), 150));
    this.selector.addEventListener('keydown', (e) => this.onKey(e));
    this.show(initial);
  }

  /** Shows a value (from the URL) without applying it. */
  show(v: QueryValue): void {
    this.value = v;
    const { selector } = splitQuery(v.query);
    this.selector.value = selector;
    this.from.value = displayTime(v.from);
    this.until.value = displayTime(v.until);
    const preset = PRESETS.find((p) => p.from === v.from && v.until === 'now');
    this.preset.value = preset ? preset.from : 'custom';
    void this.loadTypes();
  }

  private currentSelector(): string {
    return this.selector.value.trim() || '{}';
  }

  private apply(): void {
    const from = toApiTime(this.from.value);
    const until = toApiTime(this.until.value);
    if (from === null || until === null) {
      this.error.textContent = `Not a time: ${from === null ? this.from.value : this.until.value} (try now-1h, 2026-11-26 10:00, or epoch seconds)`;
      return;
    }
    this.error.textContent = '';
    this.hideSuggestions();
    const type = this.typeSelect.value || splitQuery(this.value.query).profileType;
    this.value = { query: joinQuery(type, this.currentSelector()), from, until };
    this.preset.value = PRESETS.find((p) => p.from === from && until === 'now')?.from ?? 'custom';
    if (!isRelative(from)) this.from.value = displayTime(from);
    if (!isRelative(until)) this.until.value = displayTime(until);
    this.onApply(this.value);
  }

  private async loadTypes(): Promise<void> {
    const key = `${this.value.from}|${this.value.until}`;
    if (this.typesLoaded === key) return this.syncType();
    this.typesLoaded = key;
    try {
      const types = await api.profileTypes(this.value.from, this.value.until);
      replace(this.typeSelect, types.length === 0 ? h('option', { value: '' }, 'no profile types') : types.map((t) => h('option', { value: t.id, title: t.id }, labelOfType(t))));
      const current = splitQuery(this.value.query).profileType;
      if (current && !types.some((t) => t.id === current)) this.typeSelect.prepend(h('option', { value: current }, current));
      if (types.length === 0 && !current) {
        this.onProblem(
          'No profiles in this range yet',
          'Hearth has no data between these times. Send some (the agent, Pyroscope SDKs and Alloy to /ingest, OTLP to :4317 or /v1development/profiles) or widen the range.',
        );
      }
      this.syncType();
      if (!current && types.length > 0) {
        // Nothing chosen yet: start on the first type (CPU, if the server lists it first).
        const cpu = types.find((t) => t.id.startsWith('process_cpu')) ?? types[0];
        this.typeSelect.value = cpu.id;
        this.value = { ...this.value, query: joinQuery(cpu.id, this.currentSelector()) };
        this.onApply(this.value);
      }
    } catch (e) {
      this.typesLoaded = '';
      const current = splitQuery(this.value.query).profileType;
      replace(this.typeSelect, h('option', { value: current }, current || 'profile types unavailable'));
      if (!current) this.onProblem('Could not list profile types', (e as Error).message);
    }
    await this.loadServices();
  }

  private syncType(): void {
    const current = splitQuery(this.value.query).profileType;
    if (current) this.typeSelect.value = current;
  }

  private async loadServices(): Promise<void> {
    // The choice is read after the answer arrives: the user may have picked meanwhile.
    const chosen = () => parseMatchers(this.currentSelector()).find(([n, op]) => n === SERVICE_LABEL && op === '=')?.[2] ?? '';
    try {
      const values = await api.labelValues(SERVICE_LABEL, joinQuery(this.typeSelect.value, '{}'), this.value.from, this.value.until);
      const c = chosen();
      replace(this.serviceSelect, h('option', { value: '' }, 'all services'), values.map((v) => h('option', { value: v }, v)));
      if (c && !values.includes(c)) this.serviceSelect.append(h('option', { value: c }, c));
      this.serviceSelect.value = c;
    } catch {
      replace(this.serviceSelect, h('option', { value: chosen() }, chosen() || 'services unavailable'));
    }
  }

  /**
   * Suggests what fits at the caret: a label name at the start of a matcher, a value after
   * `name="`. Values come from the label-values API, restricted to the profile type.
   */
  private async suggest(): Promise<void> {
    // Answers can arrive out of order while the user types: only the latest request may show.
    const seq = ++this.suggestSeq;
    const text = this.selector.value;
    const caret = this.selector.selectionStart ?? text.length;
    const before = text.slice(0, caret);
    const valueCtx = /([a-zA-Z_][\w.]*)\s*(=~|!~|!=|=)\s*"([^"]*)$/.exec(before);
    const nameCtx = /(?:^\{?|,)\s*([a-zA-Z_][\w.]*)?$/.exec(before);
    const query = joinQuery(this.typeSelect.value, '{}');
    try {
      if (valueCtx) {
        const [, name, , partial] = valueCtx;
        const values = await api.labelValues(name, query, this.value.from, this.value.until);
        if (seq !== this.suggestSeq) return;
        this.showSuggestions(
          values.filter((v) => v.toLowerCase().includes(partial.toLowerCase())).slice(0, 50).map((v) => ({
            label: v,
            apply: () => this.insert(caret - partial.length, caret, `${v.replace(/(["\\])/g, '\\$1')}"`),
          })),
        );
      } else if (nameCtx && (before.trim() === '' || before.trim().startsWith('{'))) {
        const partial = nameCtx[1] ?? '';
        const names = await api.labelNames(query, this.value.from, this.value.until);
        if (seq !== this.suggestSeq) return;
        this.showSuggestions(
          names.filter((n) => n.toLowerCase().startsWith(partial.toLowerCase())).slice(0, 50).map((n) => ({
            label: n,
            apply: () => {
              const prefix = this.selector.value.trim() === '' ? '{' : '';
              // Names outside [a-zA-Z_][a-zA-Z0-9_.]* are quoted, as Prometheus 3 writes UTF-8 names.
              const name = /^[a-zA-Z_][a-zA-Z0-9_.]*$/.test(n) ? n : `"${n.replace(/(["\\])/g, '\\$1')}"`;
              this.insert(caret - partial.length, caret, `${prefix}${name}="`);
              void this.suggest();
            },
          })),
        );
      } else this.hideSuggestions();
    } catch {
      if (seq === this.suggestSeq) this.hideSuggestions();
    }
  }

  private insert(from: number, to: number, s: string): void {
    const v = this.selector.value;
    let next = v.slice(0, from) + s + v.slice(to);
    if (next.startsWith('{') && !next.includes('}')) next += '}';
    this.selector.value = next;
    const caret = from + s.length;
    this.selector.setSelectionRange(caret, caret);
    this.selector.focus();
  }

  private showSuggestions(items: { label: string; apply: () => void }[]): void {
    this.items = items;
    this.active = items.length > 0 ? 0 : -1;
    replace(
      this.suggestions,
      items.map((it, k) => h('div', { class: k === this.active ? 'active' : '', role: 'option', onmousedown: (e: Event) => { e.preventDefault(); it.apply(); } }, it.label)),
    );
    this.suggestions.classList.toggle('hidden', items.length === 0);
  }

  private hideSuggestions(): void {
    this.items = [];
    this.suggestions.classList.add('hidden');
  }

  private onKey(e: KeyboardEvent): void {
    const open = this.items.length > 0;
    if (e.key === 'ArrowDown' && open) this.active = (this.active + 1) % this.items.length;
    else if (e.key === 'ArrowUp' && open) this.active = (this.active - 1 + this.items.length) % this.items.length;
    else if ((e.key === 'Tab' || e.key === 'Enter') && open && this.active >= 0) {
      e.preventDefault();
      this.items[this.active].apply();
      return;
    } else if (e.key === 'Enter') {
      this.apply();
      return;
    } else if (e.key === 'Escape') {
      this.hideSuggestions();
      return;
    } else return;
    e.preventDefault();
    [...this.suggestions.children].forEach((c, k) => c.classList.toggle('active', k === this.active));
  }
}

function labelOfType(t: api.ProfileType): string {
  return `${t.name} · ${t.sampleType} (${t.sampleUnit})`;
}
