// Just enough protobuf to write a pprof (for the mock server) and to check one the server sent
// (for the end-to-end test): field numbers from perftools.profiles' profile.proto.
import { gunzipSync, gzipSync } from 'node:zlib';

function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}
const key = (field, wire) => varint((field << 3) | wire);
const bytesField = (field, bytes) => [...key(field, 2), ...varint(bytes.length), ...bytes];
const intField = (field, n) => [...key(field, 0), ...varint(n)];
const packed = (field, ns) => bytesField(field, ns.flatMap((n) => varint(n)));

/** A gzip pprof of folded stacks: one function, location per frame, values in nanoseconds. */
export function pprofOf(stacks, nanosPerSample = 1e7) {
  const strings = ['', 'samples', 'count', 'cpu', 'nanoseconds'];
  const sid = (s) => {
    let i = strings.indexOf(s);
    if (i < 0) i = strings.push(s) - 1;
    return i;
  };
  const fns = new Map();
  const body = [];
  body.push(...bytesField(1, [...intField(1, 1), ...intField(2, 2)]));
  body.push(...bytesField(1, [...intField(1, 3), ...intField(2, 4)]));
  for (const [stack, v] of stacks) {
    const ids = stack.split(';').map((f) => {
      if (!fns.has(f)) fns.set(f, fns.size + 1);
      return fns.get(f);
    });
    body.push(...bytesField(2, [...packed(1, ids.reverse()), ...packed(2, [v, v * nanosPerSample])]));
  }
  for (const [name, id] of fns) {
    body.push(...bytesField(4, [...intField(1, id), ...bytesField(4, [...intField(1, id), ...intField(2, 0)])]));
    body.push(...bytesField(5, [...intField(1, id), ...intField(2, sid(name))]));
  }
  const enc = new TextEncoder();
  for (const s of strings) body.push(...bytesField(6, [...enc.encode(s)]));
  return gzipSync(Buffer.from(body));
}

/** Reads a (gzip or plain) pprof far enough to list sample types, sample count and strings. */
export function readPprof(buf) {
  const data = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
  let pos = 0;
  const readVarint = () => {
    let shift = 0n;
    let v = 0n;
    for (;;) {
      if (pos >= data.length) throw new Error('truncated varint');
      const b = data[pos++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  };
  const strings = [];
  let samples = 0;
  let sampleTypes = 0;
  while (pos < data.length) {
    const k = Number(readVarint());
    const field = k >> 3;
    const wire = k & 7;
    if (wire === 0) readVarint();
    else if (wire === 2) {
      const len = Number(readVarint());
      const slice = data.subarray(pos, pos + len);
      pos += len;
      if (field === 6) strings.push(new TextDecoder().decode(slice));
      if (field === 2) samples++;
      if (field === 1) sampleTypes++;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unexpected wire type ${wire}`);
  }
  return { strings, samples, sampleTypes };
}
