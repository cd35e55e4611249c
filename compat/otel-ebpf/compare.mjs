// Compares what two producers stored for one executable in two time windows: the CPU profile
// types and the series labels each wrote. node compare.mjs BASE EXE FROM1 UNTIL1 FROM2 UNTIL2
// (epoch seconds). Prints both and a closing "N passed, N failed".
const [base, exe, f1, u1, f2, u2] = process.argv.slice(2);
const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';
const get = async (path, params) => {
  const res = await fetch(`${base}/api/v1/${path}?${new URLSearchParams(params)}`);
  if (!res.ok) throw new Error(`${path} ${res.status}: ${await res.text()}`);
  return res.json();
};
async function window(from, until) {
  const sel = `{process_executable_name="${exe}"}`;
  const types = (await get('profile-types', { from, until })).profileTypes.map((t) => t.id);
  const names = (await get('labels', { query: `${CPU}${sel}`, from, until })).names;
  const labels = {};
  for (const name of names) {
    labels[name] = (await get('label-values', { name, query: `${CPU}${sel}`, from, until })).values;
  }
  const top = await get('top', { query: `${CPU}${sel}`, from, until, limit: 3 });
  return { types: types.filter((t) => t.startsWith('process_cpu')), labels, top: top.functions.map((f) => f.name) };
}
const ebpf = await window(f1, u1);
const agent = await window(f2, u2);
console.log('OTel eBPF profiler:', JSON.stringify(ebpf));
console.log("Hearth's agent:   ", JSON.stringify(agent));
let passed = 0, failed = 0;
const check = (what, ok) => { console.log(`${ok ? 'passed' : 'failed'}: ${what}`); ok ? passed++ : failed++; };
check('eBPF profiler CPU lands under ' + CPU + ' with samples', ebpf.types.length === 1 && ebpf.types[0] === CPU && ebpf.top.length > 0);
check('agent CPU lands under ' + CPU + ' with samples', agent.types.includes(CPU) && agent.top.length > 0);
check('same series labels', Object.keys(ebpf.labels).length > 0 && JSON.stringify(ebpf.labels) === JSON.stringify(agent.labels));
console.log(`otel-ebpf: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
