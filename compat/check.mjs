// Asks a running Hearth for the flamegraph of one selection and checks that a known hot function
// carries most of it: node check.mjs BASE_URL PROFILE_TYPE MATCHERS FUNCTION [MIN_SHARE], where
// MATCHERS is the inside of a selector, e.g. service_name="app","otel.scope.name"=~".+".
// Exits 0 and prints the function's share when it holds at least MIN_SHARE (default 0.5) of the
// flamegraph's total self value, 1 otherwise (with what the flamegraph held instead).
const [base, type, matchers, fn, minShareArg] = process.argv.slice(2);
const minShare = Number(minShareArg ?? 0.5);
const query = `${type}{${matchers}}`;
const url = `${base}/api/v1/flamegraph?query=${encodeURIComponent(query)}&from=now-15m&until=now`;
const res = await fetch(url);
if (!res.ok) {
  console.log(`flamegraph ${res.status}: ${await res.text()}`);
  process.exit(1);
}
const fg = await res.json();
// Single flamegraph nodes are [xDelta, total, self, name] (query/FLAMEGRAPH-FORMAT.md).
const self = new Map();
for (const level of fg.levels) {
  for (let i = 0; i < level.length; i += 4) {
    const name = fg.names[level[i + 3]];
    self.set(name, (self.get(name) ?? 0) + level[i + 2]);
  }
}
const matching = [...self.entries()].filter(([name]) => name.includes(fn));
const value = matching.reduce((sum, [, v]) => sum + v, 0);
const share = fg.total > 0 ? value / fg.total : 0;
const top = [...self.entries()]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 3)
  .map(([n, v]) => `${n} ${((100 * v) / Math.max(1, fg.total)).toFixed(1)}%`);
if (fg.total > 0 && share >= minShare) {
  console.log(`${fn}: ${(100 * share).toFixed(1)}% of ${fg.total} ${fg.unit} in ${type}`);
  process.exit(0);
}
console.log(`${fn} holds ${(100 * share).toFixed(1)}% of ${fg.total} ${fg.unit}; top: ${top.join(', ')}`);
process.exit(1);
