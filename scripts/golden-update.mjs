// Regenerates test/golden/ from the examples: run it on purpose (npm run golden:update) and
// review the diff like code. Works the same on Windows and POSIX shells.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

// The vitest command-line entry, found through its package.json (the bin file is not exported).
const require = createRequire(import.meta.url);
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', 'test/golden.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, WINRM_FORGE_UPDATE_GOLDEN: '1' },
});
process.exit(result.status ?? 1);
