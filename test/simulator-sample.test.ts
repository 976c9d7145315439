/** The seeded sample of drift and Group Policy cases the simulator test runs per host. */
import { describe, expect, it } from 'vitest';
import { seededSample } from './windows/harness/simulator.js';

const items = Array.from({ length: 12 }, (_, i) => ({ id: `setting-${i}`, kind: i % 3 === 0 ? 'contradicting' : 'satisfying' }));
const key = (x: { id: string }) => x.id;
const kind = (x: { kind: string }) => x.kind;

describe('seededSample', () => {
  it('keeps every item when no bound is given or the bound is not reached', () => {
    expect(seededSample(items, undefined, 1, 'h', key)).toEqual(items);
    expect(seededSample(items, 12, 1, 'h', key)).toEqual(items);
  });

  it('takes the bound, in the items\' own order, the same for the same seed and host', () => {
    const a = seededSample(items, 4, 7, 'exch1', key);
    expect(a).toHaveLength(4);
    expect(a).toEqual(items.filter((x) => a.includes(x)));
    expect(seededSample(items, 4, 7, 'exch1', key)).toEqual(a);
  });

  it('chooses differently for another seed or another host', () => {
    const chosen = (seed: number, host: string) => seededSample(items, 4, seed, host, key).map(key).join();
    const seeds = new Set(Array.from({ length: 10 }, (_, s) => chosen(s, 'exch1')));
    const hosts = new Set(Array.from({ length: 10 }, (_, h) => chosen(1, `exch${h}`)));
    expect(seeds.size).toBeGreaterThan(1);
    expect(hosts.size).toBeGreaterThan(1);
  });

  it('lets groups take turns, so every group is sampled while the bound allows', () => {
    for (let seed = 0; seed < 20; seed++) {
      const a = seededSample(items, 3, seed, 'h', key, kind);
      expect(new Set(a.map(kind))).toEqual(new Set(['contradicting', 'satisfying']));
      expect(seededSample(items, 1, seed, 'h', key, kind)).toHaveLength(1);
    }
  });
});
