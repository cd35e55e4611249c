import { type FlameTable } from '../model/flamegraph';
import { changeOf } from '../transform/diff';

/**
 * Bar colours. Single flamegraphs colour by frame type when the server sent one (native, kernel,
 * Python, JVM each their own hue family) and within it by package (frames of one library share a
 * shade, so the eye groups them), diffs by the change of share: red grew, green shrank, grey unchanged, and a
 * washed-out tone for changes that are not significant.
 */
const PALETTE = [
  '#f2a65a', '#e8845c', '#eec170', '#d9a05b', '#f4b183', '#e4a3a0',
  '#c9b26b', '#e6925f', '#f0c27b', '#dd9c7c', '#e3b96a', '#d98e73',
  '#9fc5a8', '#a7c1de', '#c3a9d9', '#9dc9c9',
];

/** The package part of a frame name: `java.util.HashMap.get` → `java.util`, `std::vec::Vec<T>::push` → `std::vec`. */
export function packageOf(name: string): string {
  const n = name.replace(/\(.*$/, '').replace(/<.*>/g, '');
  for (const sep of ['::', '/', '.']) {
    const parts = n.split(sep);
    if (parts.length > 2) return parts.slice(0, -2).join(sep);
    if (parts.length === 2) return parts[0];
  }
  return n;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/**
 * Per frame type, the shades its frames are drawn in, so that where Python or Java code calls into
 * native code and the kernel reads at a glance: native warm orange (the classic flamegraph),
 * kernel brick red, Python blue, JVM green, other JIT code teal.
 */
const TYPE_PALETTES: Record<string, string[]> = {
  native: ['#f2a65a', '#e8845c', '#eec170', '#d9a05b', '#f4b183', '#e6925f'],
  kernel: ['#d9775f', '#cf6a54', '#e08a70', '#c96450'],
  python: ['#7fb2e5', '#92bfe9', '#6fa3d8', '#a3c9ee'],
  jvm: ['#8cc37a', '#9fcd8a', '#7db86a', '#b1d69c'],
  jit: ['#7fc7c1', '#93d0cb', '#6dbab3'],
};

/** The palette of a frame type, or undefined for unknown types (then the name decides). */
export function paletteOf(frameType: string): string[] | undefined {
  return TYPE_PALETTES[frameType];
}

/**
 * Hue from the package, and a slight shift in lightness from the function itself so that
 * neighbouring frames of one package stay distinguishable.
 */
export function nameColour(name: string, frameType = ''): string {
  if (name === 'total') return '#c9ccd3';
  const palette = paletteOf(frameType) ?? PALETTE;
  const base = palette[hash(packageOf(name)) % palette.length];
  const shift = ((hash(name) % 7) - 3) * 5; // −15 … +15 in each channel
  const ch = (k: number) => Math.max(0, Math.min(255, parseInt(base.slice(k, k + 2), 16) + shift));
  return `rgb(${ch(1)}, ${ch(3)}, ${ch(5)})`;
}

export interface Theme {
  dark: boolean;
  /** Bars that a search does not match. */
  dimmed: string;
  /** Merged sub-pixel runs. */
  merged: string;
  text: string;
  background: string;
}

export const LIGHT: Theme = { dark: false, dimmed: '#dcdcdc', merged: '#c8c8c8', text: '#1d1d1f', background: '#ffffff' };
export const DARK: Theme = { dark: true, dimmed: '#3a3d44', merged: '#4a4d55', text: '#111216', background: '#16181d' };

/** Largest |relative change| that still changes the colour: beyond it, full red/green. */
const FULL_CHANGE = 1;

/**
 * A diff node's colour. Intensity follows the relative change of share (a node that doubles is
 * as red as it gets); not-significant changes are drawn muted whatever their size.
 */
export function diffColour(t: FlameTable, i: number, theme: Theme): string {
  const c = changeOf(t, i);
  const base = Math.max(c.leftShare, c.rightShare);
  const rel = base > 0 ? c.delta / base : 0;
  const k = Math.min(1, Math.sqrt(Math.abs(rel) / FULL_CHANGE));
  // Noise keeps a faint hint of its direction but reads as grey.
  if (c.noise) return theme.dark ? `hsl(${rel > 0 ? 4 : 145}, 8%, 55%)` : `hsl(${rel > 0 ? 4 : 145}, 10%, 82%)`;
  if (Math.abs(rel) < 0.02) return theme.dark ? 'hsl(220, 10%, 68%)' : 'hsl(220, 12%, 88%)';
  return swatch(rel, k);
}

/** Red for growth, green for shrinkage; k (0..1) deepens the tone. */
function swatch(rel: number, k: number): string {
  return rel > 0 ? `hsl(4, ${55 + 20 * k}%, ${88 - 32 * k}%)` : `hsl(145, ${40 + 15 * k}%, ${86 - 38 * k}%)`;
}

/** Legend entries for the diff colouring, left (shrank) to right (grew). */
export function diffLegend(theme: Theme): { label: string; colour: string }[] {
  const sw = (rel: number) => swatch(rel, Math.min(1, Math.sqrt(Math.abs(rel))));
  return [
    { label: '−100 %', colour: sw(-1) },
    { label: '−25 %', colour: sw(-0.25) },
    { label: 'same', colour: theme.dark ? 'hsl(220, 10%, 68%)' : 'hsl(220, 12%, 88%)' },
    { label: '+25 %', colour: sw(0.25) },
    { label: '+100 %', colour: sw(1) },
    { label: 'not significant', colour: theme.dark ? 'hsl(220, 6%, 52%)' : 'hsl(220, 8%, 82%)' },
  ];
}
