import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../src/api';

/** A fetch stub answering by path; records the requests. */
function stubFetch(answer: (url: URL, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: URL; auth: string | null }[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://hearth.test/');
    calls.push({ url, auth: new Headers(init.headers).get('Authorization') });
    return answer(url, init);
  });
  return calls;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(() => {
  const store = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  api.setTokenPrompt(async () => null);
});

describe('api', () => {
  it('reads the series shape the query API writes ([t, value, count] points, from/until in ms)', async () => {
    stubFetch(() =>
      json({ profileType: 'p', unit: 'nanoseconds', stepMillis: 10000, from: 1000, until: 21000, series: [{ labels: { service_name: 'api' }, points: [[1000, 5, 1], [11000, 7, 2]], total: 12 }], omittedGroups: 0 }),
    );
    const r = await api.series({ query: 'p{}', from: 'now-1h', until: 'now' });
    expect(r.fromMillis).toBe(1000);
    expect(r.untilMillis).toBe(21000);
    expect(r.series[0].points).toEqual([
      { t: 1000, v: 5 },
      { t: 11000, v: 7 },
    ]);
  });

  it('sends Pyroscope-style parameters, leaving out empty ones', async () => {
    const calls = stubFetch(() => json({ version: 1, kind: 'diff', names: ['total'], levels: [], total: 0 }));
    await api.diff({ query: 'a{}', from: 'now-2h', until: 'now-1h' }, { query: 'b{}', from: 'now-1h', until: 'now' });
    const q = calls[0].url.searchParams;
    expect(calls[0].url.pathname).toBe('/api/v1/diff');
    expect([q.get('leftQuery'), q.get('leftFrom'), q.get('rightUntil'), q.has('maxNodes')]).toEqual(['a{}', 'now-2h', 'now', false]);
  });

  it('asks for a token on 401, keeps it, and retries with Authorization: Bearer', async () => {
    const calls = stubFetch((_, init) =>
      new Headers(init.headers).get('Authorization') === 'Bearer s3cret' ? json({ names: ['service_name'] }) : json({ error: 'unauthenticated', message: 'a bearer token is required' }, 401),
    );
    const prompt = vi.fn(async () => 's3cret');
    api.setTokenPrompt(prompt);
    expect(await api.labelNames('', 'now-1h', 'now')).toEqual(['service_name']);
    expect(prompt).toHaveBeenCalledWith('a bearer token is required');
    expect(calls.map((c) => c.auth)).toEqual([null, 'Bearer s3cret']);
    expect(api.storedToken()).toBe('s3cret');
    await api.labelNames('', 'now-1h', 'now');
    expect(calls[2].auth).toBe('Bearer s3cret');
  });

  it('gives up when the token prompt is cancelled, and reports errors with the server message', async () => {
    stubFetch((url) => (url.pathname.endsWith('labels') ? json({ error: 'unauthenticated' }, 401) : json({ error: 'invalid query', message: "query: unexpected '}' at column 7" }, 400)));
    await expect(api.labelNames('', 'now-1h', 'now')).rejects.toMatchObject({ status: 401 });
    await expect(api.flamegraph({ query: 'x{a=}', from: 'now-1h', until: 'now' })).rejects.toThrow(/unexpected '}' at column 7 \(HTTP 400/);
  });

  it('names the render format from the file name', () => {
    expect(api.formatOfFile('cpu.pb.gz')).toBe('pprof');
    expect(api.formatOfFile('app.jfr')).toBe('jfr');
    expect(api.formatOfFile('stacks.folded')).toBe('folded');
    expect(api.formatOfFile('export.json')).toBe('otlp-json');
    expect(api.formatOfFile('mystery.bin')).toBe('');
  });
});
