import { type FlameTable, nodeFrameType, nodeName } from '../model/flamegraph';
import { type Bar, fitLabel, type Layout } from '../geometry/layout';
import { diffColour, nameColour, type Theme } from './colors';

/** What the painter needs besides the layout. */
export interface PaintOptions {
  theme: Theme;
  /** Search matches (1 = match); when set, other bars are dimmed. */
  matches?: Uint8Array;
  /** Node under the pointer, outlined. */
  hover?: number;
  /** Nodes above the focus (ancestors), drawn lighter. */
  focusLevel?: number;
}

export const FONT_PX = 12;
export const FONT = `${FONT_PX}px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace`;
const PAD = 3;

/**
 * Paints a layout on a canvas at the device pixel ratio: sized in device pixels, drawn in CSS
 * pixels through a scale transform, so bars and text are crisp on any screen. Labels use a
 * monospace font, so fitting a label is arithmetic rather than a measureText per bar.
 */
export function paint(canvas: HTMLCanvasElement, t: FlameTable, l: Layout, o: PaintOptions): void {
  const dpr = window.devicePixelRatio || 1;
  const width = l.params.width;
  const height = Math.max(l.height, 1);
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d', { alpha: false })!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = o.theme.background;
  ctx.fillRect(0, 0, width, height);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  const charWidth = ctx.measureText('M').width;
  const measure = (s: string) => s.length * charWidth;
  const rh = l.params.rowHeight;
  const colourCache = new Map<number, string>();
  const colour = (b: Bar): string => {
    if (b.merged > 1) return o.theme.merged;
    if (o.matches && !o.matches[b.node]) return o.theme.dimmed;
    if (t.kind === 'diff') return diffColour(t, b.node, o.theme);
    let c = colourCache.get(t.name[b.node]);
    if (c === undefined) {
      c = nameColour(nodeName(t, b.node), nodeFrameType(t, b.node));
      colourCache.set(t.name[b.node], c);
    }
    return c;
  };
  let last = '';
  for (const b of l.bars) {
    const c = colour(b);
    if (c !== last) {
      ctx.fillStyle = c;
      last = c;
    }
    // A 1px gap between bars once they are wide enough to spare it.
    ctx.fillRect(b.x, b.y, b.w > 3 ? b.w - 1 : b.w, rh - 1);
  }
  ctx.fillStyle = o.theme.text;
  for (const b of l.bars) {
    if (!b.label) continue;
    const text = fitLabel(nodeName(t, b.node), b.w - 2 * PAD, measure);
    if (text) {
      ctx.fillStyle = o.matches && !o.matches[b.node] ? (o.theme.dark ? '#8a8d94' : '#777') : o.theme.text;
      ctx.fillText(text, b.x + PAD, b.y + rh / 2);
    }
  }
  if (o.hover !== undefined) {
    const b = l.bars.find((x) => x.node === o.hover);
    if (b) {
      ctx.strokeStyle = o.theme.dark ? '#ffffff' : '#000000';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(b.x + 0.75, b.y + 0.75, Math.max(b.w - 2.5, 0.5), rh - 2.5);
    }
  }
}
