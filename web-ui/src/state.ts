/**
 * The whole view state, and its round trip through the URL's query string: every view can be
 * shared by copying the address. Defaults are left out so URLs stay short.
 */
export type View = 'explore' | 'compare' | 'correlate';
export type Tab = 'both' | 'flamegraph' | 'table' | 'sandwich';

export interface State {
  view: View;
  /** Selector with the profile-type prefix: `process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name="api"}`. */
  query: string;
  from: string;
  until: string;
  tab: Tab;
  /** Focused (zoomed) node as its name path from the root, `;`-separated. */
  focus: string;
  search: string;
  orientation: 'icicle' | 'flame';
  /** Sandwich view's function. */
  fn: string;
  sort: 'self' | 'total' | 'name' | 'change';
  /** Compare view: the right side's selection (the left one is query/from/until). */
  rightQuery: string;
  rightFrom: string;
  rightUntil: string;
}

export const DEFAULT_STATE: State = {
  view: 'explore',
  query: '',
  from: 'now-1h',
  until: 'now',
  tab: 'both',
  focus: '',
  search: '',
  orientation: 'icicle',
  fn: '',
  sort: 'self',
  rightQuery: '',
  rightFrom: 'now-1h',
  rightUntil: 'now',
};

const ENUMS: Partial<Record<keyof State, readonly string[]>> = {
  view: ['explore', 'compare', 'correlate'],
  tab: ['both', 'flamegraph', 'table', 'sandwich'],
  orientation: ['icicle', 'flame'],
  sort: ['self', 'total', 'name', 'change'],
};

/**
 * Reads a state from a query string. Compare URLs may also use the diff API's own names
 * (`leftQuery`, `leftFrom`, `leftUntil`) for the left side. Unknown enum values fall back to
 * defaults rather than breaking the page.
 */
export function parseState(search: string): State {
  const q = new URLSearchParams(search);
  const s: State = { ...DEFAULT_STATE };
  const alias: Record<string, keyof State> = { leftQuery: 'query', leftFrom: 'from', leftUntil: 'until' };
  for (const [rawKey, value] of q) {
    const key = (alias[rawKey] ?? rawKey) as keyof State;
    if (!(key in DEFAULT_STATE)) continue;
    const allowed = ENUMS[key];
    if (allowed && !allowed.includes(value)) continue;
    (s as unknown as Record<string, string>)[key] = value;
  }
  return s;
}

/** Writes a state as a query string (leading `?`), leaving out defaults. */
export function serialiseState(s: State): string {
  const q = new URLSearchParams();
  for (const key of Object.keys(DEFAULT_STATE) as (keyof State)[]) {
    if (s[key] !== DEFAULT_STATE[key]) q.set(key, s[key]);
  }
  const str = q.toString();
  return str ? `?${str}` : '';
}

/** Splits `type{matchers}` into the profile type and the selector part (`{…}`, possibly empty). */
export function splitQuery(query: string): { profileType: string; selector: string } {
  const brace = query.indexOf('{');
  if (brace < 0) return { profileType: query.trim(), selector: '{}' };
  return { profileType: query.slice(0, brace).trim(), selector: query.slice(brace).trim() };
}

export function joinQuery(profileType: string, selector: string): string {
  const sel = selector.trim() === '' ? '{}' : selector.trim();
  return `${profileType}${sel}`;
}

/** Matchers of a selector as `[name, op, value]` (values unescaped); tolerant of partial input. */
export function parseMatchers(selector: string): [string, string, string][] {
  const out: [string, string, string][] = [];
  const re = /([a-zA-Z_][a-zA-Z0-9_.]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(selector); m; m = re.exec(selector)) out.push([m[1], m[2], m[3].replace(/\\(.)/g, '$1')]);
  return out;
}

/** Sets (or with value '' removes) the equality matcher for `name` in a selector. */
export function withMatcher(selector: string, name: string, value: string): string {
  const rest = parseMatchers(selector).filter(([n]) => n !== name);
  if (value !== '') rest.unshift([name, '=', value]);
  return `{${rest.map(([n, op, v]) => `${n}${op}"${v.replace(/(["\\])/g, '\\$1')}"`).join(', ')}}`;
}
