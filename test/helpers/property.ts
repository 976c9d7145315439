/** How property tests choose their seed: fixed by default, replayable, random only on request. */

/**
 * The seed `npm test` uses when nothing else is asked for. A constant, so a verdict depends on
 * the commit only; change it deliberately (and run FC_RANDOM=1 a few times) to widen coverage.
 */
export const DEFAULT_SEED = 20_261_201;

export interface PropertySeed {
  seed: number;
  path?: string;
  random: boolean;
}

function integer(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(text)}`);
  return value | 0;
}

export function propertySeed(env: Record<string, string | undefined>): PropertySeed {
  const path = env.FC_PATH === undefined || env.FC_PATH === '' ? undefined : env.FC_PATH;
  // FUZZ_SEED is the older name of FC_SEED, kept so recorded replay commands still work.
  const given = env.FC_SEED ?? env.FUZZ_SEED;
  if (given !== undefined && given !== '') return { seed: integer('FC_SEED', given), random: false, ...(path ? { path } : {}) };
  if (env.FC_RANDOM !== undefined && env.FC_RANDOM !== '' && env.FC_RANDOM !== '0') {
    return { seed: (Math.random() * 0x1_0000_0000) | 0, random: true };
  }
  return { seed: DEFAULT_SEED, random: false, ...(path ? { path } : {}) };
}
