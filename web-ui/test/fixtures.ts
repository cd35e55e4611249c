import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WireFlamegraph } from '../src/model/wire';

/**
 * Flamegraph fixtures: the shared ones in `query/src/test/resources/flamegraph-fixtures/` (the
 * same files the Java encoder's tests read) plus the UI's own. A fixture is a wire flamegraph,
 * or an object holding one (`expected`, `flamegraph`, `output`) and optionally its folded input.
 */
export interface Fixture {
  file: string;
  wire: WireFlamegraph;
  folded?: string;
  /** Diff fixtures: each side's folded input. */
  left?: string;
  right?: string;
}

export const SHARED_DIR = join(__dirname, '..', '..', 'query', 'src', 'test', 'resources', 'flamegraph-fixtures');
const OWN_DIR = join(__dirname, 'fixtures');

export function fixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const dir of [SHARED_DIR, OWN_DIR]) {
    // A missing folder must fail the suite, not make its tests vanish while it stays green.
    if (!existsSync(dir)) throw new Error(`fixture folder ${dir} is missing`);
    const files = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
    if (files.length === 0) throw new Error(`fixture folder ${dir} holds no .json fixture`);
    for (const f of files) {
      const j = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      const wire = findWire(j);
      if (!wire) continue;
      const folded = findFolded(j);
      out.push({ file: f, wire, folded, left: typeof j.left === 'string' ? j.left : undefined, right: typeof j.right === 'string' ? j.right : undefined });
    }
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function findWire(j: any): WireFlamegraph | undefined {
  if (j && typeof j === 'object' && 'version' in j && 'levels' in j) return j;
  for (const k of ['expected', 'flamegraph', 'output', 'result']) if (j?.[k]?.levels) return j[k];
  return undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function findFolded(j: any): string | undefined {
  for (const k of ['input', 'folded']) {
    const v = j?.[k];
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join('\n');
    if (typeof v?.folded === 'string') return v.folded;
  }
  return undefined;
}

export function fixture(name: string): Fixture {
  const f = fixtures().find((x) => x.file === name);
  if (!f) throw new Error(`no fixture ${name}`);
  return f;
}
