import { describe, expect, it } from 'vitest';
import { decodeFlamegraph, nodeFrameType } from '../src/model/flamegraph';
import { nameColour, paletteOf } from '../src/paint/colors';

describe('frame types', () => {
  const wire = {
    version: 1,
    kind: 'single' as const,
    names: ['total', 'main', '<module>', 'leaf_work'],
    frameTypes: ['', 'native', 'python', 'python'],
    levels: [[0, 10, 0, 0], [0, 10, 0, 1], [0, 10, 0, 2], [0, 10, 10, 3]],
    total: 10,
  };

  it('decodes the optional frameTypes table parallel to names', () => {
    const t = decodeFlamegraph(wire);
    expect([0, 1, 2, 3].map((i) => nodeFrameType(t, i))).toEqual(['', 'native', 'python', 'python']);
  });

  it('reads flamegraphs without frameTypes as unknown types', () => {
    const t = decodeFlamegraph({ ...wire, frameTypes: undefined });
    expect(nodeFrameType(t, 3)).toBe('');
  });

  it('draws each frame type in its own hue family', () => {
    const hex = (c: string) => {
      const m = c.match(/rgb\((\d+), (\d+), (\d+)\)/)!;
      return [Number(m[1]), Number(m[2]), Number(m[3])];
    };
    const [pr, , pb] = hex(nameColour('leaf_work', 'python'));
    expect(pb).toBeGreaterThan(pr); // Python: blue
    const [jr, jg] = hex(nameColour('void Chain.hot()', 'jvm'));
    expect(jg).toBeGreaterThan(jr); // JVM: green
    const [nr, , nb] = hex(nameColour('main', 'native'));
    expect(nr).toBeGreaterThan(nb); // native: warm
    expect(paletteOf('kernel')).toBeDefined();
    expect(paletteOf('something-else')).toBeUndefined();
  });
});
