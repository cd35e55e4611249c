// What one producer stored for one executable in one time window, and the comparison of two.
//   node compare.mjs snap BASE EXE FROM UNTIL   (epoch seconds) prints the window as JSON
//   node compare.mjs check EBPF.json AGENT.json  prints both and a closing "N passed, N failed"
// run.sh takes the profiler's snapshot before Hearth's agent starts, so the labels the store
// reports for the first window cannot come from the agent's series.
import { readFileSync } from 'node:fs';

const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';
const [mode, ...args] = process.argv.slice(2);

async function snap(base, exe, from, until) {
  const get = async (path, params) => {
    const res = await fetch(`${base}/api/v1/${path}?${new URLSearchParams(params)}`);
    if (!res.ok) throw new Error(`${path} ${res.status}: ${await res.text()}`);
    return res.json();
  };
  const sel = `{process_executable_name="${exe}"}`;
  const types = (await get('profile-types', { from, until })).profileTypes.map((t) => t.id);
  const names = (await get('labels', { query: `${CPU}${sel}`, from, until })).names;
  const labels = {};
  for (const name of names) {
    labels[name] = (await get('label-values', { name, query: `${CPU}${sel}`, from, until })).values;
  }
  const top = await get('top', { query: `${CPU}${sel}`, from, until, limit: 3 });
  return {
    types: types.filter((t) => t.startsWith('process_cpu')),
    labels,
    top: top.functions.map((f) => f.name),
  };
}

if (mode === 'snap') {
  console.log(JSON.stringify(await snap(...args)));
} else if (mode === 'check') {
  const [ebpf, agent] = args.map((f) => JSON.parse(readFileSync(f, 'utf8')));
  console.log('OTel eBPF profiler:', JSON.stringify(ebpf));
  console.log("Hearth's agent:   ", JSON.stringify(agent));
  let passed = 0;
  let failed = 0;
  const check = (what, ok) => {
    console.log(`${ok ? 'passed' : 'failed'}: ${what}`);
    ok ? passed++ : failed++;
  };
  check(
    `eBPF profiler CPU lands under ${CPU} only, with samples`,
    ebpf.types.length === 1 && ebpf.types[0] === CPU && ebpf.top.length > 0,
  );
  check(`agent CPU lands under ${CPU}, with samples`, agent.types.includes(CPU) && agent.top.length > 0);
  check(
    'same series labels',
    Object.keys(ebpf.labels).length > 0 && JSON.stringify(ebpf.labels) === JSON.stringify(agent.labels),
  );
  console.log(`otel-ebpf: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
} else {
  console.error('usage: compare.mjs snap BASE EXE FROM UNTIL | check EBPF.json AGENT.json');
  process.exit(2);
}
