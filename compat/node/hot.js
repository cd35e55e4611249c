const Pyroscope = require('@pyroscope/nodejs');

Pyroscope.init({
  serverAddress: process.env.SERVER,
  appName: process.env.APP || 'compat-node',
  tags: { env: 'compat' },
  flushIntervalMs: 3000,
});
Pyroscope.start();

function hearthHotNode(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += (i * i) % 7;
  return s;
}

const deadline = Date.now() + Number(process.env.RUN_MS || 10000);
let sink = 0;
function loop() {
  const until = Date.now() + 200;
  while (Date.now() < until) sink += hearthHotNode(100000);
  if (Date.now() < deadline) setImmediate(loop);
  else setTimeout(() => process.exit(0), 3500); // one more flush; stop() races the next round in 0.6.4
}
loop();
