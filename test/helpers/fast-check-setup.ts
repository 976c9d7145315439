/**
 * One seed for every fast-check property of a run, fixed for a given commit so that `npm test`
 * gives the same verdict on every clone:
 *   FC_SEED=<n>            replay a seed (add FC_PATH=<path> to replay one counterexample exactly)
 *   FC_RANDOM=1            explore: a new random seed, printed, on each run
 * A failing property prints its seed, path and the command that replays it.
 * (Loaded by vitest.config.ts as a setup file, so it applies to every test file.)
 */
import fc from 'fast-check';
import { propertySeed } from './property.js';

const { seed, path, random } = propertySeed(process.env);
if (random) console.info(`fast-check: exploring with random seed ${seed} (replay: FC_SEED=${seed})`);

fc.configureGlobal({
  seed,
  ...(path === undefined ? {} : { path }),
  reporter(details) {
    if (!details.failed) return;
    const replay = `FC_SEED=${details.seed} FC_PATH=${JSON.stringify(details.counterexamplePath ?? '')}`;
    throw new Error(`${fc.defaultReportMessage(details) ?? 'property failed'}\n\nReplay this counterexample: ${replay} npx vitest run <test file>`);
  },
});
