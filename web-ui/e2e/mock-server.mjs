// A stand-in for Hearth's query API while the real one is being built: serves the built UI
// (target/classes/static) and answers /api/v1 from e2e/scenario.mjs with the shapes of
// query/openapi.yaml / query.proto. Flamegraphs are encoded by the UI's own spec-conformant
// encoder (loaded through Vite), diffs carry z-scores on sample counts as the server computes.
//
//   node e2e/mock-server.mjs [port]         MOCK_TOKEN=secret makes every API call need a token
import { createServer as http } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer as vite } from 'vite';
import * as sc from './scenario.mjs';
import { pprofOf } from './pprof.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const staticDir = join(root, 'target', 'classes', 'static');
const NS = 1e7; // nanoseconds per sample (100 Hz)
const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';
const ALLOC = 'memory:alloc_space:bytes:space:bytes';

export async function startMock(port = 0, opts = {}) {
  const v = await vite({ root, logLevel: 'error', server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', optimizeDeps: { noDiscovery: true } });
  const tree = await v.ssrLoadModule('/src/model/tree.ts');
  const fg = await v.ssrLoadModule('/src/model/flamegraph.ts');
  const top = await v.ssrLoadModule('/src/transform/top.ts');
  const sandwich = await v.ssrLoadModule('/src/transform/sandwich.ts');
  const synthetic = await v.ssrLoadModule('/src/model/synthetic.ts');
  const { zScore } = await v.ssrLoadModule('/src/transform/diff.ts');
  const now = Date.now();
  // Baseline: an hour ago to half an hour ago; comparison: the last half hour.
  const mid = now - 30 * 60e3;
  const start = now - 60 * 60e3;

  const parseTime = (s, dflt) => {
    if (!s) return dflt;
    if (s === 'now') return Date.now();
    const m = /^now-(\d+)([smhdw])$/.exec(s);
    if (m) return Date.now() - Number(m[1]) * { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 }[m[2]];
    const n = Number(s);
    return n < 1e11 ? n * 1e3 : n < 1e14 ? n : n < 1e17 ? n / 1e3 : n / 1e6;
  };
  const service = (q) => /service_name="([^"]*)"/.exec(q ?? '')?.[1] ?? '';
  const overlap = (a0, a1, b0, b1) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0)) / (b1 - b0);
  /** Samples of the selection's stacks over [from, until): each period weighted by its overlap. */
  const stacksFor = (q, from, until) => {
    const svc = service(q);
    const parts = [];
    if (svc === '' || svc === sc.SERVICE) {
      const wb = overlap(from, until, start, mid);
      const wc = overlap(from, until, mid, now + 60e3);
      for (const [s, n] of sc.BASELINE) if (wb > 0) parts.push([s, Math.round(n * wb)]);
      for (const [s, n] of sc.COMPARISON) if (wc > 0) parts.push([s, Math.round(n * wc)]);
    }
    if (svc === '' || svc === sc.OTHER_SERVICE) {
      const w = overlap(from, until, start, now + 60e3);
      for (const [s, n] of sc.WORKER) if (w > 0) parts.push([s, Math.round(n * w)]);
    }
    return parts.filter(([, n]) => n > 0);
  };
  const treeOf = (stacks) => {
    const r = tree.treeNode('total');
    for (const [s, n] of stacks) tree.addStack(r, s.split(';'), n * NS);
    return r;
  };
  const sel = (p, prefix = '') => {
    const q = p.get(prefix ? `${prefix}Query` : 'query') ?? '';
    const from = parseTime(p.get(prefix ? `${prefix}From` : 'from'), now - 3600e3);
    const until = parseTime(p.get(prefix ? `${prefix}Until` : 'until'), now);
    return { q, from, until, stacks: stacksFor(q, from, until) };
  };

  const api = {
    'profile-types': () => ({
      profileTypes: [
        { id: CPU, name: 'process_cpu', sampleType: 'cpu', sampleUnit: 'nanoseconds', periodType: 'cpu', periodUnit: 'nanoseconds' },
        { id: ALLOC, name: 'memory', sampleType: 'alloc_space', sampleUnit: 'bytes', periodType: 'space', periodUnit: 'bytes' },
      ],
    }),
    labels: () => ({ names: ['host_name', 'service_name'] }),
    'label-values': (p) => ({ values: p.get('name') === 'service_name' ? [sc.SERVICE, sc.OTHER_SERVICE] : p.get('name') === 'host_name' ? ['web-1', 'web-2'] : [] }),
    flamegraph: (p) => {
      if (p.get('query')?.includes('bench="10000"')) return synthetic.syntheticWire(10_000);
      const s = sel(p);
      return tree.toWire(treeOf(s.stacks), { profileType: CPU, unit: 'nanoseconds' });
    },
    top: (p) => {
      const s = sel(p);
      const t = fg.decodeFlamegraph(tree.toWire(treeOf(s.stacks), { unit: 'nanoseconds' }));
      return { profileType: CPU, unit: 'nanoseconds', total: t.total[0] ?? 0, functions: top.topFunctions(t).map(({ name, self, total }) => ({ name, self, total })) };
    },
    sandwich: (p) => {
      const s = sel(p);
      const t = fg.decodeFlamegraph(tree.toWire(treeOf(s.stacks), { profileType: CPU, unit: 'nanoseconds' }));
      return { function: p.get('function'), ...sandwich.sandwich(t, p.get('function') ?? '') };
    },
    diff: (p) => {
      const l = sel(p, 'left');
      const r = sel(p, 'right');
      const root = tree.treeNode('total');
      for (const [s, n] of l.stacks) tree.addStack(root, s.split(';'), n * NS, true);
      for (const [s, n] of r.stacks) tree.addStack(root, s.split(';'), n * NS);
      const n1 = root.leftTotal / NS;
      const n2 = root.total / NS;
      const z = (node) => zScore(node.leftTotal / NS, n1, node.total / NS, n2);
      const w = tree.toWire(root, { diff: true, z, profileType: CPU, unit: 'nanoseconds' });
      return { ...w, leftCount: n1, rightCount: n2 };
    },
    series: (p) => {
      const { q, from, until } = sel(p);
      const step = Math.max(10e3, Math.ceil((until - from) / 120 / 10e3) * 10e3);
      const points = [];
      for (let t = Math.floor(from / step) * step; t < until; t += step) {
        const total = stacksFor(q, t, t + step).reduce((a, [, n]) => a + n, 0);
        const wobble = 1 + 0.15 * Math.sin(t / 97e3) + 0.05 * Math.sin(t / 13e3);
        points.push([t, Math.round(total * NS * wobble), total]);
      }
      return { profileType: CPU, unit: 'nanoseconds', stepMillis: step, from, until, series: [{ labels: {}, points, total: points.reduce((a, x) => a + x[1], 0) }], omittedGroups: 0 };
    },
    correlate: () => ({
      stepMillis: 30000,
      categories: [
        { name: 'cpu', profileType: CPU, total: 1e12 },
        { name: 'alloc', profileType: ALLOC, total: 5e10 },
        { name: 'off_cpu', profileType: 'off_cpu:off_cpu:nanoseconds:off_cpu:nanoseconds', total: 4e12 },
      ],
      functions: [
        { name: sc.TOP_FUNCTION, score: 0.71, shares: { cpu: 0.42, alloc: 0.29 }, hotIn: ['cpu', 'alloc'], correlations: [{ category: 'cpu', with: 'alloc', kind: 'function', r: 0.93 }, { category: 'cpu', with: 'cpu', kind: 'total', r: 0.88 }] },
        { name: 'com.acme.db.Pool.query', score: 0.52, shares: { cpu: 0.12, off_cpu: 0.4 }, hotIn: ['cpu', 'off_cpu'], correlations: [{ category: 'cpu', with: 'off_cpu', kind: 'function', r: -0.35 }, { category: 'cpu', with: 'cpu', kind: 'total', r: 0.41 }] },
        { name: 'java.util.HashMap.get', score: 0.09, shares: { cpu: 0.03, alloc: 0.06 }, hotIn: ['cpu', 'alloc'], correlations: [{ category: 'cpu', with: 'alloc', kind: 'function', r: 0.12 }] },
      ],
    }),
  };

  const server = http(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (status, type, body) => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(body);
    };
    if (url.pathname.startsWith('/api/v1/')) {
      if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="hearth"');
        return send(401, 'application/json', JSON.stringify({ error: 'unauthenticated', message: 'a bearer token is required (Authorization: Bearer <token>)' }));
      }
      const op = url.pathname.slice('/api/v1/'.length);
      const p = url.searchParams;
      if (op === 'pprof') return send(200, 'application/octet-stream', pprofOf(sel(p).stacks, NS));
      if (op === 'folded') return send(200, 'text/plain', sc.toFolded(sel(p).stacks.map(([s, n]) => [s, n * NS])));
      if (op === 'render' && req.method === 'POST') {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        const text = Buffer.concat(chunks).toString('utf8');
        const r = tree.parseFolded(text);
        if (r.total === 0) return send(400, 'application/json', JSON.stringify({ error: 'bad_request', message: 'the mock renders folded stacks only' }));
        return send(200, 'application/json', JSON.stringify(tree.toWire(r, { profileType: CPU, unit: 'count' })));
      }
      const f = api[op];
      if (!f) return send(404, 'application/json', JSON.stringify({ error: 'not_found', message: `no operation ${op}` }));
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      return send(200, 'application/json', JSON.stringify(f(p)));
    }
    let file = join(staticDir, url.pathname === '/' ? 'index.html' : url.pathname);
    if (!file.startsWith(staticDir) || !existsSync(file) || statSync(file).isDirectory()) file = join(staticDir, 'index.html');
    if (!existsSync(file)) return send(500, 'text/plain', 'build the UI first: npm run build');
    const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml' };
    send(200, types[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: async () => {
      server.close();
      await v.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const m = await startMock(Number(process.argv[2] ?? 4041), { token: process.env.MOCK_TOKEN });
  console.log(`mock Hearth API and UI at ${m.url}`);
}
