import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, propertySeed } from './helpers/property.js';

describe('the seed of the property tests', () => {
  it('is fixed unless asked otherwise, so every clone of a commit gets one verdict', () => {
    expect(propertySeed({})).toEqual({ seed: DEFAULT_SEED, random: false });
    expect(propertySeed({ FC_RANDOM: '0' })).toEqual({ seed: DEFAULT_SEED, random: false });
  });

  it('replays a given seed and path, under either name', () => {
    expect(propertySeed({ FC_SEED: '-1829072801', FC_PATH: '3:1' })).toEqual({ seed: -1829072801, path: '3:1', random: false });
    expect(propertySeed({ FUZZ_SEED: '42' })).toEqual({ seed: 42, random: false });
    expect(() => propertySeed({ FC_SEED: 'abc' })).toThrow(/FC_SEED must be an integer/);
  });

  it('explores with a fresh seed only when FC_RANDOM is set', () => {
    const seeds = new Set(Array.from({ length: 8 }, () => propertySeed({ FC_RANDOM: '1' }).seed));
    expect(propertySeed({ FC_RANDOM: '1' }).random).toBe(true);
    expect(seeds.size).toBeGreaterThan(1);
  });
});
