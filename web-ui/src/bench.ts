import { FlamegraphView } from './components/flamegraph-view';
import { decodeFlamegraph } from './model/flamegraph';
import { syntheticWire } from './model/synthetic';

/** What `window.__hearthBench(nodes)` reports (milliseconds). */
export interface BenchResult {
  nodes: number;
  bars: number;
  width: number;
  dpr: number;
  decodeMs: number;
  /** Layout + paint of the whole flamegraph, first draw (includes canvas allocation). */
  firstDrawMs: number;
  /** Median of repeated full draws: layout + paint calls. */
  drawMedianMs: number;
  drawMaxMs: number;
  /** Median full draw with a forced GPU flush / readback (getImageData), an upper bound. */
  drawFlushedMedianMs: number;
  /** Frames of animated zooms into deep nodes: median and worst frame cost. */
  zoomFrameMedianMs: number;
  zoomFrameMaxMs: number;
  zoomFrames: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The draw-time benchmark, run inside a real browser by `e2e/bench.mjs`: a synthetic flamegraph
 * of `nodes` nodes drawn by the same component users see.
 */
export async function runBench(nodes: number, width = 1600): Promise<BenchResult> {
  const wire = syntheticWire(nodes);
  let t = performance.now();
  const table = decodeFlamegraph(wire);
  const decodeMs = performance.now() - t;
  const host = document.createElement('div');
  host.style.cssText = `position:fixed;left:0;top:0;width:${width}px;background:#fff;z-index:1000`;
  document.body.append(host);
  const view = new FlamegraphView({}, {});
  host.append(view.el);
  const draws: { nodes: number; bars: number; ms: number }[] = [];
  window.__hearthDraws = draws;
  t = performance.now();
  view.setData(table);
  const firstDrawMs = performance.now() - t;
  const canvas = host.querySelector('canvas')!;
  const ctx = canvas.getContext('2d')!;
  const times: number[] = [];
  const flushed: number[] = [];
  for (let k = 0; k < 30; k++) {
    t = performance.now();
    view.draw();
    times.push(performance.now() - t);
    t = performance.now();
    view.draw();
    ctx.getImageData(0, 0, 1, 1);
    flushed.push(performance.now() - t);
  }
  const bars = draws[draws.length - 1]?.bars ?? 0;
  // Zoom into a few deep nodes and back, letting each animation run its frames.
  draws.length = 0;
  const deep = [...Array(table.count).keys()].filter((i) => table.level[i] >= 6 && table.total[i] > table.total[0] / 200).slice(0, 5);
  for (const n of deep) {
    view.zoomTo(n);
    await new Promise((r) => setTimeout(r, 260));
    view.zoomTo(0);
    await new Promise((r) => setTimeout(r, 260));
  }
  const frames = draws.map((d) => d.ms);
  host.remove();
  return {
    nodes: table.count,
    bars,
    width,
    dpr: window.devicePixelRatio,
    decodeMs,
    firstDrawMs,
    drawMedianMs: median(times),
    drawMaxMs: Math.max(...times),
    drawFlushedMedianMs: median(flushed),
    zoomFrameMedianMs: frames.length ? median(frames) : Number.NaN,
    zoomFrameMaxMs: frames.length ? Math.max(...frames) : Number.NaN,
    zoomFrames: frames.length,
  };
}
