import * as api from '../api';
import { decodeFlamegraph, type FlameTable } from '../model/flamegraph';
import { parseFolded, toWire } from '../model/tree';

/** A profile opened from disk: rendered by the server (`render`), never stored. */
export interface FileSource {
  name: string;
  table: FlameTable;
}

/**
 * Opens a local file through the server's `render`. Folded text also renders in the browser when
 * the server cannot (an older server, or none reachable), since folded stacks need no decoder.
 */
export async function openFile(file: File): Promise<FileSource> {
  try {
    return { name: file.name, table: decodeFlamegraph(await api.render(file, file.name)) };
  } catch (e) {
    if (api.formatOfFile(file.name) === 'folded' || (await looksFolded(file))) {
      const root = parseFolded(await file.text());
      if (root.total > 0) return { name: file.name, table: decodeFlamegraph(toWire(root, { unit: 'count' })) };
    }
    throw e;
  }
}

async function looksFolded(file: File): Promise<boolean> {
  const head = await file.slice(0, 4096).text();
  return /^[^\n]+ \d+$/m.test(head) && !head.includes('\u0000');
}

/** A selection's label for headings: the selector without the long profile type. */
export function shortSelection(query: string): string {
  const brace = query.indexOf('{');
  const type = brace < 0 ? query : query.slice(0, brace);
  const sel = brace < 0 ? '' : query.slice(brace);
  return `${type.split(':').slice(0, 2).join(':')}${sel === '{}' ? '' : sel}`;
}
