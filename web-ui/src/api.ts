/**
 * The one module that knows the query API (REST under /api/v1, `query/openapi.yaml`; the shapes
 * mirror `query/src/main/proto/hearth/query/v1/query.proto` in camelCase). Everything else works
 * with the normalised types below, so an API change is a change here only.
 */
import type { WireFlamegraph } from './model/wire';

export interface ProfileType {
  id: string;
  name: string;
  sampleType: string;
  sampleUnit: string;
}

export interface SeriesPoint {
  t: number; // epoch milliseconds
  v: number;
}

export interface Series {
  labels: Record<string, string>;
  points: SeriesPoint[];
  total: number;
}

export interface SeriesResult {
  unit: string;
  stepMillis: number;
  fromMillis: number;
  untilMillis: number;
  series: Series[];
}

export interface TopResult {
  unit: string;
  total: number;
  functions: { name: string; self: number; total: number }[];
}

export interface SandwichResult {
  callers: WireFlamegraph;
  callees: WireFlamegraph;
}

export interface CorrelateResult {
  stepMillis: number;
  categories: { name: string; profileType: string; total: number }[];
  functions: {
    name: string;
    score: number;
    shares: Record<string, number>;
    hotIn: string[];
    correlations: { category: string; with: string; kind: string; r: number }[];
  }[];
}

/** An API call that failed: the HTTP status (0 for a network failure) and the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'hearth.token';

/** Asked for a bearer token when the server answers 401; resolves null when the user cancels. */
export type TokenPrompt = (reason: string) => Promise<string | null>;
let tokenPrompt: TokenPrompt = async () => null;
/** Only one prompt at a time: concurrent 401s wait for the same answer. */
let pendingPrompt: Promise<string | null> | null = null;

export function setTokenPrompt(p: TokenPrompt): void {
  tokenPrompt = p;
}

export function storedToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function forgetToken(): void {
  localStorage.removeItem(TOKEN_KEY);
}

type Params = Record<string, string | number | undefined | string[]>;

function url(path: string, params: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else q.set(k, String(v));
  }
  const s = q.toString();
  return `api/v1/${path}${s ? '?' + s : ''}`;
}

/** Fetches with the stored token; on 401 asks for one (once per failure) and retries. */
async function request(path: string, params: Params, init: RequestInit = {}, signal?: AbortSignal): Promise<Response> {
  for (;;) {
    const headers = new Headers(init.headers);
    const token = storedToken();
    if (token) headers.set('Authorization', `Bearer ${token}`);
    let res: Response;
    try {
      res = await fetch(url(path, params), { ...init, headers, signal });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, `cannot reach the Hearth server (${(e as Error).message})`);
    }
    if (res.status === 401) {
      const reason = await errorMessage(res);
      pendingPrompt ??= tokenPrompt(token ? `The token was refused: ${reason}` : reason).finally(() => {
        pendingPrompt = null;
      });
      const answer = await pendingPrompt;
      if (answer === null) throw new ApiError(401, 'a bearer token is required');
      if (answer !== token) localStorage.setItem(TOKEN_KEY, answer);
      continue;
    }
    if (!res.ok) throw new ApiError(res.status, `${await errorMessage(res)} (HTTP ${res.status} from /api/v1/${path})`);
    return res;
  }
}

async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const j = JSON.parse(text);
    return j.message ?? j.error ?? text;
  } catch {
    return text.trim() || `${res.status} ${res.statusText}`;
  }
}

async function json<T>(path: string, params: Params, signal?: AbortSignal): Promise<T> {
  const res = await request(path, params, {}, signal);
  return (await res.json()) as T;
}

// Reads a field in camelCase or snake_case: tolerant while the API settles.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function field(o: any, camel: string): any {
  if (o == null) return undefined;
  if (camel in o) return o[camel];
  return o[camel.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())];
}

const num = (x: unknown): number => (x == null ? 0 : Number(x));

export async function profileTypes(from: string, until: string): Promise<ProfileType[]> {
  const body = await json<unknown>('profile-types', { from, until });
  const list = (Array.isArray(body) ? body : field(body, 'profileTypes')) ?? [];
  return list.map((p: unknown) => {
    if (typeof p === 'string') {
      const [name, sampleType, sampleUnit] = p.split(':');
      return { id: p, name, sampleType, sampleUnit };
    }
    const id = String(field(p, 'id'));
    const parts = id.split(':');
    return {
      id,
      name: field(p, 'name') ?? parts[0],
      sampleType: field(p, 'sampleType') ?? parts[1],
      sampleUnit: field(p, 'sampleUnit') ?? parts[2],
    };
  });
}

export async function labelNames(query: string, from: string, until: string): Promise<string[]> {
  const body = await json<unknown>('labels', { query, from, until });
  return (Array.isArray(body) ? body : field(body, 'names')) ?? [];
}

export async function labelValues(name: string, query: string, from: string, until: string): Promise<string[]> {
  const body = await json<unknown>('label-values', { name, query, from, until });
  return (Array.isArray(body) ? body : field(body, 'values')) ?? [];
}

export interface Selection {
  query: string;
  from: string;
  until: string;
}

export function flamegraph(s: Selection, maxNodes?: number, signal?: AbortSignal): Promise<WireFlamegraph> {
  return json('flamegraph', { query: s.query, from: s.from, until: s.until, maxNodes }, signal);
}

export function diff(left: Selection, right: Selection, maxNodes?: number, signal?: AbortSignal): Promise<WireFlamegraph> {
  return json(
    'diff',
    {
      leftQuery: left.query,
      leftFrom: left.from,
      leftUntil: left.until,
      rightQuery: right.query,
      rightFrom: right.from,
      rightUntil: right.until,
      maxNodes,
    },
    signal,
  );
}

export async function series(s: Selection, groupBy: string[] = [], step?: string, signal?: AbortSignal): Promise<SeriesResult> {
  const body = await json<unknown>('series', { query: s.query, from: s.from, until: s.until, step, groupBy: groupBy.join(',') }, signal);
  const list = (Array.isArray(body) ? body : field(body, 'series')) ?? [];
  return {
    unit: field(body, 'unit') ?? '',
    stepMillis: num(field(body, 'stepMillis')),
    fromMillis: num(field(body, 'fromMillis') ?? field(body, 'from')),
    untilMillis: num(field(body, 'untilMillis') ?? field(body, 'until')),
    series: list.map((x: unknown) => ({
      labels: field(x, 'labels') ?? {},
      total: num(field(x, 'total')),
      // Points are `[timestampMillis, value, count]` (REST) or objects (the gRPC mirror).
      points: (field(x, 'points') ?? []).map((p: unknown) =>
        Array.isArray(p) ? { t: num(p[0]), v: num(p[1]) } : { t: num(field(p, 'timestampMillis') ?? field(p, 't')), v: num(field(p, 'value')) },
      ),
    })),
  };
}

export async function top(s: Selection, signal?: AbortSignal): Promise<TopResult> {
  const body = await json<unknown>('top', { query: s.query, from: s.from, until: s.until, limit: 500 }, signal);
  return {
    unit: field(body, 'unit') ?? '',
    total: num(field(body, 'total')),
    functions: (field(body, 'functions') ?? []).map((f: unknown) => ({ name: String(field(f, 'name')), self: num(field(f, 'self')), total: num(field(f, 'total')) })),
  };
}

export async function sandwich(s: Selection, fn: string, signal?: AbortSignal): Promise<SandwichResult> {
  const body = await json<unknown>('sandwich', { query: s.query, from: s.from, until: s.until, function: fn }, signal);
  return { callers: field(body, 'callers'), callees: field(body, 'callees') };
}

export async function correlate(s: Selection, signal?: AbortSignal): Promise<CorrelateResult> {
  const body = await json<unknown>('correlate', { query: s.query, from: s.from, until: s.until }, signal);
  return {
    stepMillis: num(field(body, 'stepMillis')),
    categories: (field(body, 'categories') ?? []).map((c: unknown) => ({
      name: String(field(c, 'name')),
      profileType: String(field(c, 'profileType') ?? ''),
      total: num(field(c, 'total')),
    })),
    functions: (field(body, 'functions') ?? []).map((f: unknown) => ({
      name: String(field(f, 'name')),
      score: num(field(f, 'score')),
      shares: field(f, 'shares') ?? {},
      hotIn: field(f, 'hotIn') ?? [],
      correlations: (field(f, 'correlations') ?? []).map((c: unknown) => ({
        category: String(field(c, 'category')),
        with: String(field(c, 'with')),
        kind: String(field(c, 'kind')),
        r: num(field(c, 'r')),
      })),
    })),
  };
}

/** A gzip pprof (`pprof`) or folded stacks (`folded`) of a selection, as a file to save. */
export async function download(kind: 'pprof' | 'folded', s: Selection): Promise<Blob> {
  const res = await request(kind, { query: s.query, from: s.from, until: s.until });
  return res.blob();
}

/** The format name `render` takes, from a file's name (empty: let the server sniff it). */
export function formatOfFile(name: string): string {
  const n = name.toLowerCase().replace(/\.gz$/, '');
  if (n.endsWith('.jfr')) return 'jfr';
  if (n.endsWith('.folded') || n.endsWith('.txt') || n.endsWith('.collapsed')) return 'folded';
  if (n.endsWith('.json')) return 'otlp-json';
  if (n.endsWith('.otlp') || n.endsWith('.binpb')) return 'otlp';
  if (n.endsWith('.pprof') || n.endsWith('.pb') || n.startsWith('profile')) return 'pprof';
  return '';
}

/** Renders an uploaded profile file (not stored) into a flamegraph. */
export async function render(file: Blob, name: string, signal?: AbortSignal): Promise<WireFlamegraph> {
  const res = await request(
    'render',
    { format: formatOfFile(name) },
    { method: 'POST', body: file, headers: { 'Content-Type': 'application/octet-stream' } },
    signal,
  );
  return res.json();
}
