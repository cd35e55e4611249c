import type { SeriesResult } from '../api';
import { formatTick, timeTicks } from '../transform/time';
import { formatValue } from '../transform/units';
import { h } from './dom';

const SERIES_COLOURS = ['#d4572a', '#2f7ed8', '#3aa757', '#a45ee5', '#e0a400', '#14a3a3', '#d6336c', '#6c757d'];

/**
 * The selection's series over the range, as stacked areas. Dragging across it selects a new
 * absolute range (reported in epoch milliseconds); a click without a drag does nothing.
 */
export class Timeline {
  readonly el: HTMLElement;
  private readonly canvas = h('canvas');
  private data: SeriesResult | null = null;
  private fromMs = 0;
  private untilMs = 0;
  private drag: { x0: number; x1: number } | null = null;
  private message = '';

  constructor(private readonly onSelect: (fromMs: number, untilMs: number) => void) {
    this.el = h('div', { class: 'timeline', 'data-testid': 'timeline', title: 'Drag to select a time range' }, this.canvas, h('span', { class: 'hint' }, 'drag to select a range'));
    this.canvas.addEventListener('mousedown', (e) => {
      const x = this.localX(e);
      this.drag = { x0: x, x1: x };
      const move = (ev: MouseEvent) => {
        if (!this.drag) return;
        this.drag.x1 = this.localX(ev);
        this.draw();
      };
      const up = () => {
        window.removeEventListener('mousemove', move);
        window.removeEventListener('mouseup', up);
        const d = this.drag;
        this.drag = null;
        this.draw();
        if (d && Math.abs(d.x1 - d.x0) >= 4) {
          const [a, b] = [Math.min(d.x0, d.x1), Math.max(d.x0, d.x1)];
          this.onSelect(Math.round(this.timeAt(a)), Math.round(this.timeAt(b)));
        }
      };
      window.addEventListener('mousemove', move);
      window.addEventListener('mouseup', up);
    });
    new ResizeObserver(() => this.draw()).observe(this.el);
  }

  setData(data: SeriesResult | null, fromMs: number, untilMs: number, message = ''): void {
    this.data = data;
    this.fromMs = data?.fromMillis || fromMs;
    this.untilMs = data?.untilMillis || untilMs;
    this.message = message;
    this.draw();
  }

  private localX(e: MouseEvent): number {
    const r = this.canvas.getBoundingClientRect();
    return Math.max(0, Math.min(r.width, e.clientX - r.left));
  }

  private timeAt(x: number): number {
    const w = this.canvas.clientWidth || 1;
    return this.fromMs + ((this.untilMs - this.fromMs) * x) / w;
  }

  private draw(): void {
    const w = this.canvas.clientWidth;
    const hgt = this.canvas.clientHeight;
    if (w === 0 || hgt === 0) return;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(hgt * dpr);
    const ctx = this.canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const styles = getComputedStyle(document.documentElement);
    const fg = styles.getPropertyValue('--muted').trim() || '#888';
    const border = styles.getPropertyValue('--border').trim() || '#ddd';
    ctx.clearRect(0, 0, w, hgt);
    const axis = 16;
    const plotH = hgt - axis;
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = fg;
    ctx.strokeStyle = border;
    const span = this.untilMs - this.fromMs;
    for (const t of timeTicks(this.fromMs, this.untilMs, Math.max(2, Math.floor(w / 90)))) {
      const x = ((t - this.fromMs) / span) * w;
      ctx.beginPath();
      ctx.moveTo(x + 0.5, 0);
      ctx.lineTo(x + 0.5, plotH);
      ctx.stroke();
      const label = formatTick(t, span);
      if (x + 3 + ctx.measureText(label).width <= w) ctx.fillText(label, x + 3, hgt - 4);
    }
    const series = this.data?.series ?? [];
    if (series.length === 0 || series.every((s) => s.points.length === 0)) {
      ctx.textAlign = 'center';
      ctx.fillText(this.message || 'no samples in this range', w / 2, plotH / 2);
      ctx.textAlign = 'start';
    } else {
      // Stack the series per timestamp.
      const times = [...new Set(series.flatMap((s) => s.points.map((p) => p.t)))].sort((a, b) => a - b);
      const index = new Map(times.map((t, k) => [t, k]));
      const stacked = series.map((s) => {
        const v = new Float64Array(times.length);
        for (const p of s.points) v[index.get(p.t)!] += p.v;
        return v;
      });
      for (let k = 1; k < stacked.length; k++) for (let j = 0; j < times.length; j++) stacked[k][j] += stacked[k - 1][j];
      const max = Math.max(1, ...stacked[stacked.length - 1]);
      const xOf = (t: number) => ((t - this.fromMs) / span) * w;
      const yOf = (v: number) => plotH - (v / max) * (plotH - 6);
      for (let k = stacked.length - 1; k >= 0; k--) {
        const colour = SERIES_COLOURS[k % SERIES_COLOURS.length];
        ctx.beginPath();
        ctx.moveTo(xOf(times[0]), plotH);
        times.forEach((t, j) => ctx.lineTo(xOf(t), yOf(stacked[k][j])));
        ctx.lineTo(xOf(times[times.length - 1]), plotH);
        ctx.closePath();
        ctx.globalAlpha = 0.35;
        ctx.fillStyle = colour;
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        times.forEach((t, j) => (j === 0 ? ctx.moveTo(xOf(t), yOf(stacked[k][j])) : ctx.lineTo(xOf(t), yOf(stacked[k][j]))));
        ctx.stroke();
      }
      ctx.fillStyle = fg;
      ctx.fillText(`peak ${formatValue(max, this.data?.unit ?? '')} / step`, 4, 11);
    }
    if (this.drag) {
      const [a, b] = [Math.min(this.drag.x0, this.drag.x1), Math.max(this.drag.x0, this.drag.x1)];
      ctx.fillStyle = 'rgba(212, 87, 42, 0.18)';
      ctx.fillRect(a, 0, b - a, plotH);
      ctx.strokeStyle = '#d4572a';
      ctx.strokeRect(a + 0.5, 0.5, b - a, plotH - 1);
    }
  }
}
