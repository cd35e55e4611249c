import './styles.css';
import * as api from './api';
import { h, replace, statusPanel } from './components/dom';
import { promptForToken } from './components/token-prompt';
import { parseState, serialiseState, type State, type View } from './state';
import { CompareView } from './views/compare';
import { CorrelateView } from './views/correlate';
import { ExploreView, type ViewContext } from './views/explore';
import { type FileSource, openFile } from './views/source';

/**
 * The application shell: header, navigation, theme, file opening, and the state ⇄ URL loop.
 * Every change goes through `update`, which rewrites the URL; Back and Forward re-render from it.
 */
let state: State = parseState(location.search);
let file: FileSource | null = null;
let view: { el: HTMLElement; update(s: State): void } | null = null;
let viewKey = '';

const app = document.getElementById('app')!;
const mainEl = h('main');
const nav = h('nav', { class: 'views' });
const fileInput = h('input', { type: 'file', class: 'hidden', 'data-testid': 'file-input', accept: '.pb,.pb.gz,.pprof,.gz,.jfr,.folded,.txt,.collapsed,.otlp,.binpb,.json' });
const themeBtn = h('button', { class: 'btn small', 'data-testid': 'theme', title: 'Light or dark theme' });
const tokenBtn = h('button', { class: 'btn small hidden', title: 'Forget the stored token', onclick: () => { api.forgetToken(); location.reload(); } }, 'Sign out');

api.setTokenPrompt(promptForToken);

function update(patch: Partial<State>, push = false): void {
  state = { ...state, ...patch };
  const url = serialiseState(state) || location.pathname;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  render();
}

const ctx: ViewContext = {
  update,
  get file() {
    return file;
  },
  closeFile() {
    file = null;
    render(true);
  },
  compareFile() {
    update({ view: 'compare', focus: '', search: '' }, true);
  },
};

function render(force = false): void {
  renderNav();
  tokenBtn.classList.toggle('hidden', !api.storedToken());
  const key = `${state.view}|${file?.name ?? ''}`;
  if (force || key !== viewKey || !view) {
    viewKey = key;
    view = state.view === 'compare' ? new CompareView(state, ctx) : state.view === 'correlate' ? new CorrelateView(state, ctx) : new ExploreView(state, ctx);
    replace(mainEl, view.el);
  } else view.update(state);
}

function renderNav(): void {
  const item = (v: View, label: string) =>
    h(
      'a',
      {
        href: serialiseState({ ...state, view: v }) || '?',
        class: state.view === v ? 'active' : '',
        'data-view': v,
        onclick: (e: MouseEvent) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey) return;
          e.preventDefault();
          update({ view: v }, true);
        },
      },
      label,
    );
  replace(nav, item('explore', 'Explore'), item('compare', 'Compare'), item('correlate', 'Correlate'));
}

function setTheme(t: string): void {
  document.documentElement.dataset.theme = t;
  localStorage.setItem('hearth.theme', t);
  themeBtn.textContent = t === 'dark' ? '☾ Dark' : '☀ Light';
  if (view) render(true);
}

themeBtn.addEventListener('click', () => setTheme(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'));
fileInput.addEventListener('change', async () => {
  const f = fileInput.files?.[0];
  fileInput.value = '';
  if (!f) return;
  replace(mainEl, h('div', { class: 'panel' }, statusPanel('loading', `Rendering ${f.name}…`)));
  try {
    file = await openFile(f);
    if (state.view === 'correlate') state = { ...state, view: 'explore' };
    state = { ...state, focus: '', search: '' };
    render(true);
  } catch (e) {
    replace(mainEl, h('div', { class: 'panel' }, statusPanel('error', `Could not open ${f.name}`, `${(e as Error).message}\nHearth reads pprof (gzip or plain), JFR, OTLP profiles and folded stacks.`)));
  }
});

app.append(
  h(
    'header',
    { class: 'top' },
    h('div', { class: 'logo' }, h('span', { class: 'flame' }, '▲'), 'Hearth'),
    nav,
    h('span', { class: 'spacer' }),
    h('button', { class: 'btn small', 'data-testid': 'open-file', title: 'View a pprof, JFR, OTLP or folded file', onclick: () => fileInput.click() }, 'Open file…'),
    tokenBtn,
    themeBtn,
    fileInput,
  ),
  mainEl,
);
window.addEventListener('popstate', () => {
  state = parseState(location.search);
  render();
});
setTheme(document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');
render();

// The draw-time benchmark's entry point (e2e/bench.mjs); loaded only when called.
declare global {
  interface Window {
    __hearthBench?: (nodes: number, width?: number) => Promise<unknown>;
  }
}
window.__hearthBench = async (nodes, width) => (await import('./bench')).runBench(nodes, width);
