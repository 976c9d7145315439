// Precompiles templates/*.hbs into src/generated/templates.ts at build time, so that a run
// loads the Handlebars runtime only (no parser, no compiler) and compiles nothing: the
// compiler was a tenth of a cold `generate`. Run by `npm run build`; the output
// is generated, not committed; test/render.test.ts fails when it is older than the templates.
// The options (PRECOMPILE_OPTIONS) are part of the renderer's digest.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const Handlebars = require('handlebars');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = join(root, 'templates');

/** Digest over every template's name and bytes, in code-point order: what the module was built from. */
export function templatesDigest(dir = folder) {
  const hash = createHash('sha256');
  for (const name of templateFiles(dir)) hash.update(`${name}\0`).update(readFileSync(join(dir, name))).update('\0');
  return hash.digest('hex');
}

/** Where the renderer's sources end: plan and model values reach a render only as the data it hashes. */
const RENDERER_FOLDERS = ['src/render/', 'src/shared/', 'src/output/'];

/**
 * The sources that turn template data into bytes besides the templates: src/render/render.ts (the
 * helpers, the line endings, the encoding and the input digest) and every module it imports for a
 * value (not `import type`), transitively, inside RENDERER_FOLDERS (the context text the digest
 * hashes among them). Found by reading the import statements, so a helper moved to a new module
 * stays covered.
 */
export function rendererSources() {
  const seen = new Set();
  const queue = ['src/render/render.ts'];
  while (queue.length > 0) {
    const source = queue.shift();
    if (seen.has(source)) continue;
    seen.add(source);
    const text = readFileSync(join(root, source), 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?\sfrom\s+'(\.{1,2}\/[^']+)'/gms)) {
      if (m[1]) continue;
      const target = join(dirname(source), m[2]).replace(/\\/g, '/').replace(/\.js$/, '.ts');
      if (RENDERER_FOLDERS.some((f) => target.startsWith(f))) queue.push(target);
    }
  }
  return [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The line ending the PowerShell templates (`*.ps1.hbs`, partials included) are compiled with:
 * CRLF, the scripts' default (`--eol`), so that a default run writes what they render as it is,
 * without a pass over every script to change its line endings; `--eol lf` makes that pass the
 * other way. Every line ending of a script comes from its template's text: the helpers write
 * none (a value's control characters become [char] codes or spaces). The other templates
 * (PLAN.md) stay LF. The templates' files are LF.
 */
export const SCRIPT_TEMPLATE_EOL = '\r\n';

/** The source of template `name` as it is compiled: a PowerShell template with SCRIPT_TEMPLATE_EOL line endings. */
export function compiledSource(name, dir = folder) {
  const text = readFileSync(join(dir, name), 'utf8');
  return name.endsWith('.ps1.hbs') ? text.replaceAll('\n', SCRIPT_TEMPLATE_EOL) : text;
}

/**
 * How every template is precompiled: the renderer's options (`strict`: a missing field throws;
 * `noEscape`: PowerShell is not HTML), and the helpers named as the only ones a template may call
 * (`knownHelpersOnly`: a call to any other name fails the build, and the calls compile to direct
 * ones, without a lookup at every render). The names are render.ts's SAFE_HELPERS (a test
 * compares them).
 */
export const PRECOMPILE_OPTIONS = Object.freeze({
  strict: true,
  noEscape: true,
  knownHelpersOnly: true,
  knownHelpers: Object.freeze(Object.fromEntries(['psq', 'psarray', 'psint', 'psbool', 'pscomment', 'md', 'mdcode', 'mermaid', 'hex', 'ident'].map((name) => [name, true]))),
});

/**
 * Digest of everything that renders a file beyond its data: every template, how it is
 * precompiled (options and the scripts' line ending), the renderer's sources and the Handlebars version. Part of every file's input
 * digest (manifest.json `input`), so that `generate --check` trusts a recorded output hash only
 * from the same renderer.
 */
export function rendererDigest(dir = folder, options = PRECOMPILE_OPTIONS) {
  const hash = createHash('sha256').update(`templates\0${templatesDigest(dir)}\0`).update(`precompile\0${JSON.stringify(options)}\0${JSON.stringify(SCRIPT_TEMPLATE_EOL)}\0`);
  for (const source of rendererSources()) hash.update(`${source}\0`).update(readFileSync(join(root, source))).update('\0');
  hash.update(`handlebars\0${require('handlebars/package.json').version}`);
  return hash.digest('hex');
}

function templateFiles(dir) {
  return readdirSync(dir)
    .filter((name) => /^.+\.(ps1|md|csv)\.hbs$/.test(name))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function build() {
  const entries = templateFiles(folder).map((name) => {
    // Handlebars adds to the options it is given: each template gets a copy.
    const spec = Handlebars.precompile(compiledSource(name), structuredClone(PRECOMPILE_OPTIONS));
    return `  ${JSON.stringify(name)}: ${spec},`;
  });
  const text = [
    '// @ts-nocheck',
    '// Generated by scripts/build-templates.mjs from templates/*.hbs. Do not edit.',
    '/** Precompiled template specifications, by file name (partials start with _). */',
    'export const templateSpecs = {',
    ...entries,
    '};',
    `export const templatesSha256 = '${templatesDigest()}';`,
    '/** Digest of the templates, the renderer\'s sources and the Handlebars version (see rendererDigest). */',
    `export const rendererSha256 = '${rendererDigest()}';`,
    '',
  ].join('\n');
  const out = join(root, 'src', 'generated', 'templates.ts');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) build();
