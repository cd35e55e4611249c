// End-to-end test of the UI in headless Debian Chromium (playwright-core), with screenshots in
// target/e2e/ (artifacts, never committed).
//
//   node e2e/run.mjs                      against the mock API (e2e/mock-server.mjs)
//   node e2e/run.mjs --jar server.jar     starts that Hearth server on free ports with a fresh
//                                         data dir, pushes e2e/scenario.mjs through /ingest, tests
//   node e2e/run.mjs --url http://h:4040  a running server; add --push to ingest the scenario
//
// The real server must answer GET /health, POST /ingest (Pyroscope: name, from, until,
// format=folded, sampleRate, units) and the /api/v1 query operations; the UI must be at /.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './browser.mjs';
import { readPprof } from './pprof.mjs';
import * as sc from './scenario.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'target', 'e2e');
mkdirSync(out, { recursive: true });
const args = process.argv.slice(2);
const opt = (name) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : null);
const cleanups = [];
let base;
let mock = false;

if (opt('--jar')) {
  base = await startServer(opt('--jar'));
  await push(base);
} else if (opt('--url')) {
  base = opt('--url').replace(/\/$/, '');
  if (args.includes('--push')) await push(base);
} else {
  const { startMock } = await import('./mock-server.mjs');
  const m = await startMock(0);
  cleanups.push(() => m.close());
  base = m.url;
  mock = true;
}

// ---------------------------------------------------------------------------------------------
const results = [];
const { context, close } = await launch({ viewport: { width: 1500, height: 950 }, deviceScaleFactor: 1, acceptDownloads: true });
cleanups.push(close);
const page = await context.newPage();
const consoleErrors = [];
page.on('pageerror', (e) => consoleErrors.push(String(e)));

async function test(name, f) {
  const started = Date.now();
  try {
    await f();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`  ✗ ${name}\n      ${String(e.stack ?? e).split('\n').slice(0, 4).join('\n      ')}`);
    await page.screenshot({ path: join(out, `FAILED-${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
  }
}
const shot = (name) => page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
const expect = (cond, msg) => {
  if (!cond) throw new Error(msg);
};

/** Hovers the flamegraph until the tooltip names `fn`; returns the point and tooltip text. */
async function findBar(fn, canvasIndex = 0) {
  await page.waitForFunction((i) => document.querySelectorAll('[data-testid=flamegraph-canvas]')[i]?.clientHeight > 0, canvasIndex);
  await page.waitForTimeout(100); // the zoom animation's last frame
  const canvas = page.locator('[data-testid=flamegraph-canvas]').nth(canvasIndex);
  const box = await canvas.boundingBox();
  expect(box && box.height > 0, 'flamegraph canvas not drawn');
  const tooltip = () =>
    page.evaluate(() => {
      const t = document.querySelector('[data-testid=tooltip]:not(.hidden)');
      return t ? { name: t.querySelector('.name')?.textContent ?? '', text: t.textContent ?? '' } : null;
    });
  for (let y = 10; y < box.height; y += 20) {
    for (let x = 4; x < box.width; x += 12) {
      await page.mouse.move(box.x + x, box.y + y);
      const t = await tooltip();
      if (t?.name === fn) return { x: box.x + x, y: box.y + y, text: t.text, cx: x, cy: y };
    }
  }
  throw new Error(`no bar named ${fn} in the flamegraph`);
}

/** The canvas pixel colour (device pixels) under a CSS point of the flamegraph canvas. */
async function pixel(canvasIndex, cx, cy) {
  return page.evaluate(
    ([i, x, y]) => {
      const c = document.querySelectorAll('[data-testid=flamegraph-canvas]')[i];
      const d = devicePixelRatio;
      return [...c.getContext('2d').getImageData(Math.round(x * d), Math.round(y * d), 1, 1).data];
    },
    [canvasIndex, cx, cy],
  );
}

const lastHour = `from=now-1h&until=now`;
let exploreUrl = `${base}/?${lastHour}`; // set once a service is picked
console.log(`Hearth UI end-to-end against ${base}${mock ? ' (mock API)' : ''}`);

await test('opens the page and picks a profile type', async () => {
  await page.goto(`${base}/`);
  await page.waitForFunction(() => document.querySelector('[data-testid=profile-type]')?.value);
  expect((await page.title()) === 'Hearth', 'title');
});

await test('picks a service and shows the top function in the table and the flamegraph', async () => {
  await page.waitForFunction((svc) => [...document.querySelectorAll('[data-testid=service] option')].some((o) => o.value.startsWith(svc)), sc.SERVICE);
  const options = await page.locator('[data-testid=service] option').allTextContents();
  const svc = options.find((o) => o === sc.SERVICE) ?? options.find((o) => o.startsWith(sc.SERVICE));
  expect(svc, `service ${sc.SERVICE} not offered (have ${options.join(', ')})`);
  await page.selectOption('[data-testid=service]', svc);
  await page.waitForFunction(() => location.search.includes('service_name'));
  await page.waitForSelector('[data-testid=top-table] tbody tr[data-fn]');
  const first = await page.locator('[data-testid=top-table] tbody tr').first().getAttribute('data-fn');
  expect(first === sc.TOP_FUNCTION, `top function by self is ${first}, expected ${sc.TOP_FUNCTION}`);
  expect(page.url().includes('service_name'), 'the URL carries the selection');
  exploreUrl = page.url();
  const bar = await findBar(sc.TOP_FUNCTION);
  expect(/self/.test(bar.text) && /(ms|s|min|h)\b/.test(bar.text), `tooltip has self and human units: ${bar.text}`);
  await shot('explore-light');
});

await test('searches: matches highlighted with their share', async () => {
  await page.fill('[data-testid=search]', 'JsonParser');
  await page.waitForFunction(() => /%/.test(document.querySelector('[data-testid=match-share]')?.textContent ?? ''));
  const share = await page.locator('[data-testid=match-share]').textContent();
  expect(/of total/.test(share), `share text: ${share}`);
  await page.waitForFunction(() => location.search.includes('search='));
  await shot('explore-search');
  await page.fill('[data-testid=search]', '');
});

await test('zooms on click, with breadcrumbs, and the URL restores it', async () => {
  const bar = await findBar(sc.TOP_FUNCTION);
  await page.mouse.click(bar.x, bar.y);
  await page.waitForFunction((fn) => document.querySelector('[data-testid=breadcrumbs]')?.textContent.includes(fn.slice(-20)), sc.TOP_FUNCTION);
  await page.waitForFunction(() => location.search.includes('focus='));
  await page.waitForTimeout(300);
  await shot('explore-zoomed');
  await page.reload();
  await page.waitForFunction((fn) => document.querySelector('[data-testid=breadcrumbs]')?.textContent.includes(fn.slice(-20)), sc.TOP_FUNCTION);
  await page.locator('[data-testid=breadcrumbs] button').first().click();
});

await test('sorts the table and focuses a function from it', async () => {
  await page.goto(exploreUrl);
  await page.waitForSelector('[data-testid=top-table] tbody tr[data-fn]');
  await page.click('[data-testid=top-table] th[data-sort=total]');
  const first = await page.locator('[data-testid=top-table] tbody tr').first().getAttribute('data-fn');
  expect(first !== sc.TOP_FUNCTION, 'sorting by total changes the order');
  await page.click(`[data-testid=top-table] tr[data-fn="${sc.TOP_FUNCTION}"]`);
  await page.waitForFunction(() => /%/.test(document.querySelector('[data-testid=match-share]')?.textContent ?? ''));
});

await test('shows the sandwich view of a function', async () => {
  await page.click('[data-tab=sandwich]');
  await page.fill('[data-testid=sandwich-fn]', 'com.acme.api.Router.handle');
  await page.press('[data-testid=sandwich-fn]', 'Enter');
  await page.waitForFunction(() => location.search.includes('fn='));
  await page.fill('[data-testid=sandwich-fn]', sc.TOP_FUNCTION);
  await page.press('[data-testid=sandwich-fn]', 'Enter');
  await page.waitForFunction((fn) => new URLSearchParams(location.search).get('fn') === fn && document.querySelectorAll('[data-testid=flamegraph-canvas]').length >= 2, sc.TOP_FUNCTION);
  await page.waitForTimeout(200);
  await findBar('com.acme.api.Router.handle', 0); // a caller
  await findBar('com.acme.api.JsonParser.readString', 1); // a callee
  await shot('sandwich');
});

await test('downloads a pprof of what is on screen, and it parses', async () => {
  await page.goto(exploreUrl);
  await page.waitForSelector('[data-testid=top-table] tbody tr[data-fn]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-pprof]')]);
  const path = join(out, 'download.pb.gz');
  await download.saveAs(path);
  const p = readPprof(readFileSync(path));
  expect(p.samples > 0, 'pprof has samples');
  expect(p.sampleTypes > 0, 'pprof has sample types');
  expect(p.strings.includes(sc.TOP_FUNCTION), `pprof names ${sc.TOP_FUNCTION}`);
  const [folded] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-folded]')]);
  await folded.saveAs(join(out, 'download.folded'));
  expect(readFileSync(join(out, 'download.folded'), 'utf8').includes(sc.TOP_FUNCTION), 'folded names the top function');
});

await test('flips to flame orientation and keeps it in the URL', async () => {
  await page.goto(exploreUrl);
  await page.waitForSelector('[data-testid=top-table] tbody tr[data-fn]');
  await page.click('[data-orientation]');
  await page.waitForFunction(() => location.search.includes('orientation=flame'));
  await findBar(sc.TOP_FUNCTION);
  await shot('explore-flame');
  await page.click('[data-orientation]');
});

await test('suggests label names and values while typing a selector', async () => {
  await page.goto(exploreUrl);
  await page.waitForSelector('[data-testid=top-table] tbody tr[data-fn]');
  await page.fill('[data-testid=selector]', '');
  await page.type('[data-testid=selector]', '{serv');
  await page.waitForSelector('.suggestions:not(.hidden) >> text=service_name');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=selector]').value.startsWith('{service_name="'));
  await page.waitForSelector(`.suggestions:not(.hidden) >> text=${sc.OTHER_SERVICE}`);
  await shot('autocomplete');
  await page.keyboard.press('Escape');
});

await test('dragging across the timeline selects that range', async () => {
  await page.goto(exploreUrl);
  await page.waitForSelector('[data-testid=top-table] tbody tr[data-fn]');
  const box = await page.locator('[data-testid=timeline] canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => /from=\d+/.test(location.search) && /until=\d+/.test(location.search));
  const q = new URL(page.url()).searchParams;
  const span = Number(q.get('until')) - Number(q.get('from'));
  expect(span > 600 && span < 1200, `a quarter of the hour selected, got ${span} s`);
  await page.waitForSelector('[data-testid=top-table] tbody tr[data-fn]');
});

await test('switches to the dark theme', async () => {
  await page.click('[data-testid=theme]');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await page.waitForTimeout(300);
  await shot('explore-dark');
  await page.click('[data-testid=theme]');
});

await test('compare view marks the regression and mutes the noise', async () => {
  const q = new URL(page.url()).searchParams.get('query');
  const now = Math.floor(Date.now() / 1000);
  const params = new URLSearchParams({ view: 'compare', query: q, from: String(now - 3600), until: String(now - 1800), rightFrom: String(now - 1800), rightUntil: String(now) });
  await page.goto(`${base}/?${params}`);
  await page.waitForSelector('[data-testid=legend]:not(.hidden)');
  const regressed = await findBar(sc.REGRESSED);
  expect(/significant/.test(regressed.text) && !/not significant/.test(regressed.text), `regression is significant: ${regressed.text}`);
  expect(/\+\d/.test(regressed.text), `regression grew: ${regressed.text}`);
  const [r, g, b] = await pixel(0, regressed.cx, regressed.cy);
  expect(r > g + 40 && r > b + 40, `regression drawn red, got rgb(${r},${g},${b})`);
  const noise = await findBar(sc.NOISE);
  expect(/not significant/.test(noise.text), `noise is muted: ${noise.text}`);
  const [nr, ng, nb] = await pixel(0, noise.cx, noise.cy);
  expect(Math.max(nr, ng, nb) - Math.min(nr, ng, nb) < 30, `noise drawn grey, got rgb(${nr},${ng},${nb})`);
  await page.mouse.move(regressed.x, regressed.y);
  await shot('compare');
});

await test('opens a local folded file and compares it with the selection', async () => {
  const file = join(out, 'worker.folded');
  writeFileSync(file, sc.toFolded(sc.WORKER));
  await page.setInputFiles('[data-testid=file-input]', file);
  await page.waitForSelector('.file-banner');
  await page.waitForSelector('[data-testid=compare-body] [data-testid=legend]:not(.hidden)');
  const added = await findBar('java.util.zip.Deflater.deflate');
  expect(/\+\d/.test(added.text), `the file's frames show as added: ${added.text}`);
  await shot('compare-with-file');
  await page.goto(`${base}/?${lastHour}`);
  await page.setInputFiles('[data-testid=file-input]', file);
  await page.waitForSelector('[data-testid=file-banner]');
  await page.waitForSelector('[data-testid=top-table] tr[data-fn="java.util.zip.Deflater.deflate"]');
  await shot('file');
});

if (!mock) {
  await test('opens the downloaded pprof through the server', async () => {
    await page.goto(`${base}/?${lastHour}`);
    await page.setInputFiles('[data-testid=file-input]', join(out, 'download.pb.gz'));
    await page.waitForSelector('[data-testid=file-banner]');
    await page.waitForSelector(`[data-testid=top-table] tr[data-fn="${sc.TOP_FUNCTION}"]`);
    await shot('file-pprof');
  });
}

await test('correlate view finds the function hot in CPU and allocations', async () => {
  await page.goto(`${base}/?view=correlate&query=${encodeURIComponent(`process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name="${sc.SERVICE}"}`)}`);
  await page.waitForSelector('[data-testid=correlate-table], [data-testid=correlate-body] [data-status=empty], [data-testid=correlate-body] [data-status=error]');
  await shot('correlate');
  const text = await page.locator('[data-testid=correlate-body]').textContent();
  expect(text.includes(sc.TOP_FUNCTION), `${sc.TOP_FUNCTION} is hot in CPU and allocations: ${text.slice(0, 300)}`);
});

if (mock) {
  await test('asks for a token when the server requires one', async () => {
    const { startMock } = await import('./mock-server.mjs');
    const guarded = await startMock(0, { token: 'e2e-secret-token' });
    cleanups.push(() => guarded.close());
    const p2 = await context.newPage();
    await p2.goto(`${guarded.url}/`);
    await p2.waitForSelector('[data-testid=token-input]');
    await p2.screenshot({ path: join(out, 'token-prompt.png') });
    await p2.fill('[data-testid=token-input]', 'e2e-secret-token');
    await p2.press('[data-testid=token-input]', 'Enter');
    await p2.waitForSelector('[data-testid=top-table] tbody tr[data-fn]');
    expect((await p2.evaluate(() => localStorage.getItem('hearth.token'))) === 'e2e-secret-token', 'token kept');
    await p2.close();
  });
}

await test('no script errors on the page', async () => {
  expect(consoleErrors.length === 0, consoleErrors.join('\n'));
});

for (const c of cleanups.reverse()) await c();
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`screenshots in ${out}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

// ---------------------------------------------------------------------------------------------
async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startServer(jar) {
  const [http, grpc] = [await freePort(), await freePort()];
  const data = mkdtempSync(join(tmpdir(), 'hearth-e2e-'));
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const log = join(out, 'server.log');
  const child = spawn(java, ['--enable-native-access=ALL-UNNAMED', '-jar', jar, `--server.port=${http}`, `--spring.grpc.server.port=${grpc}`, `--clickhouse.data-dir=${data}`], { stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks = [];
  child.stdout.on('data', (d) => chunks.push(d));
  child.stderr.on('data', (d) => chunks.push(d));
  cleanups.push(async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r).once('error', r) && setTimeout(r, 15000));
    writeFileSync(log, Buffer.concat(chunks));
    rmSync(data, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${http}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${Buffer.concat(chunks).toString().slice(-3000)}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('server did not become healthy in 180 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(`server up at ${url} (log: ${log})`);
  return url;
}

/** Pushes the scenario through Pyroscope's /ingest: baseline an hour to half an hour ago, then the comparison. */
async function push(url) {
  const now = Math.floor(Date.now() / 1000);
  const chunks = 6;
  const send = async (name, stacks, from, until) => {
    const params = new URLSearchParams({ name, from: String(from), until: String(until), format: 'folded', sampleRate: '100', spyName: 'e2e', units: 'samples', aggregationType: 'sum' });
    const r = await fetch(`${url}/ingest?${params}`, { method: 'POST', body: sc.toFolded(stacks), headers: { 'Content-Type': 'text/plain' } });
    if (!r.ok) throw new Error(`ingest ${name} failed: ${r.status} ${await r.text()}`);
  };
  const spread = async (name, stacks, from, until) => {
    const len = (until - from) / chunks;
    for (let k = 0; k < chunks; k++) {
      const part = stacks.map(([s, n]) => [s, Math.round(n / chunks)]).filter(([, n]) => n > 0);
      await send(name, part, Math.round(from + k * len), Math.round(from + (k + 1) * len));
    }
  };
  await spread(`${sc.SERVICE}.cpu`, sc.BASELINE, now - 3600, now - 1800);
  await spread(`${sc.SERVICE}.cpu`, sc.COMPARISON, now - 1800, now - 10);
  await spread(`${sc.OTHER_SERVICE}.cpu`, sc.WORKER, now - 3600, now - 10);
  await spread(`${sc.SERVICE}.alloc_space`, sc.ALLOC, now - 3600, now - 10);
  console.log('scenario pushed through /ingest');
}
