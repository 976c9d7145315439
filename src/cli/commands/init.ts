/**
 * `winrm-forge init`: writes a commented starter spec for one scenario, with the editor modeline
 * pointing at the schema, and never overwrites an existing file.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { EXIT_OK, EXIT_USAGE, type ExitCode, type Io } from '../io.js';
import { packageRoot, SCHEMA_RELATIVE_PATH } from '../../shared/paths.js';

export const SCENARIOS = ['galsync', 'monosync', 'arr'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const DEFAULT_INIT_FILE = 'winrm-forge.yaml';
/** The schema's file name when it has to be saved beside the spec (`winrm-forge schema > ...`). */
export const SCHEMA_FILE_NAME = 'winrm-forge.schema.json';

export interface InitOptions {
  scenario: Scenario;
  /** Where to write the spec, relative to io.cwd. */
  out: string;
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The `$schema` reference for a spec in `specFolder`: a relative path to the installed
 * package's schema when the package lives in the same project (a local `npm install`, or this
 * repository), so the reference works for everyone who clones the project; otherwise (a global
 * install or an npx cache, whose paths differ per machine) the schema file beside the spec,
 * which `winrm-forge schema` writes.
 */
export function schemaReference(specFolder: string, root: string, cwd: string): { reference: string; besideSpec: boolean } {
  const schemaFile = join(root, SCHEMA_RELATIVE_PATH);
  if (isInside(cwd, root) || isInside(root, specFolder)) {
    const rel = relative(specFolder, schemaFile);
    if (!isAbsolute(rel)) return { reference: rel.split(sep).join('/'), besideSpec: false };
  }
  return { reference: SCHEMA_FILE_NAME, besideSpec: true };
}

/** The starter spec text for `scenario`, with the modeline first. */
export function starterSpec(scenario: Scenario, schemaRef: string): string {
  const template = readFileSync(join(packageRoot(), 'templates', 'init', `${scenario}.yaml`), 'utf8');
  return `# yaml-language-server: $schema=${schemaRef}\n#\n${template}`;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function runInit(options: InitOptions, io: Io): ExitCode {
  const target = resolve(io.cwd, options.out);
  const { reference, besideSpec } = schemaReference(dirname(target), packageRoot(), io.cwd);
  const text = starterSpec(options.scenario, reference);
  try {
    // A new project has no envs/ folder yet; creating folders never overwrites anything.
    mkdirSync(dirname(target), { recursive: true });
    // 'wx' fails if the file exists: no window between checking and writing.
    writeFileSync(target, text, { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'EEXIST' || code === 'EISDIR') && isFolder(target)) {
      io.stderr(`winrm-forge init: ${options.out} is a folder; name the spec file to write, e.g. --out ${join(options.out, DEFAULT_INIT_FILE).split(sep).join('/')}.\n`);
    } else if (code === 'EEXIST') {
      io.stderr(`winrm-forge init: ${options.out} already exists; init never overwrites a file. Choose another name with --out, or move the file away.\n`);
    } else {
      io.stderr(`winrm-forge init: could not write ${options.out}: ${(error as Error).message}\n`);
    }
    return EXIT_USAGE;
  }
  const next = [
    `Wrote ${options.out}: a starter spec for the ${options.scenario} scenario.`,
    'Replace the names, addresses and accounts with your own, then check it:',
    `  winrm-forge validate ${options.out}`,
  ];
  if (besideSpec) {
    next.push(`For completion in your editor, save the schema beside it: winrm-forge schema > ${join(dirname(options.out), SCHEMA_FILE_NAME).split(sep).join('/')}`);
  }
  io.stdout(`${next.join('\n')}\n`);
  return EXIT_OK;
}
