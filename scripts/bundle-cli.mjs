// Bundles the command (src/bin.ts and everything it imports, its dependencies included) into
// ES modules: one entry and a chunk per lazily imported command, so that a cold start reads a
// handful of files instead of a few hundred, and `validate` still does not evaluate the plan and
// render code. tsc has type-checked the same sources just before; esbuild only transpiles.
// The entry is written over tsc's dist/src/bin.js: the package's `bin`, the tests and the README
// run the same file. The chunks sit in dist/src/chunks/, inside the package folder, so
// packageRoot() still finds schema/, templates/, baselines/ and docs/ by walking up from them.
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/src/chunks', { recursive: true, force: true });
await build({
  // The worker threads (src/cli/commands/workers.ts finds them here): diff's base spec, --check's
  // hashing, a large generate.
  entryPoints: {
    bin: 'src/bin.ts',
    'diff-side': 'src/cli/commands/diff-side-worker.ts',
    'check-digests': 'src/cli/commands/check-digest-worker.ts',
    generate: 'src/cli/commands/generate-worker.ts',
  },
  outdir: 'dist/src',
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  tsconfig: 'tsconfig.json',
  chunkNames: 'chunks/[name]-[hash]',
  // The dependencies' license notices stay in the files that carry their code.
  legalComments: 'eof',
  logLevel: 'warning',
  // Dependencies written as CommonJS (Handlebars, ajv) call require() for Node's own modules;
  // an ES module has no require of its own, so each output file makes one.
  banner: { js: "import { createRequire as __winrmForgeCreateRequire } from 'node:module';\nconst require = __winrmForgeCreateRequire(import.meta.url);" },
});
// tsc's source map describes the file the bundle replaced.
rmSync('dist/src/bin.js.map', { force: true });
chmodSync('dist/src/bin.js', 0o755);
