/**
 * Command-line front end: parses arguments with yargs (the plain forms of validate, generate,
 * diff and plan without it, see shortcut.ts), then runs the command (invocation.ts).
 * `main` runs in-process (tests call it directly); bin.ts only wires it to the real process.
 */
import { EXIT_USAGE, STDIN_ARGUMENT, type ExitCode, type Io } from './io.js';
import { COMMANDS, describeParseError, suggestCommand, usageError } from './usage.js';
import { packageVersion } from '../shared/paths.js';
import { parseShortcut } from './shortcut.js';
import type { OutputFormat } from './commands/validate.js';
import { runInvocation, type Invocation } from './invocation.js';

const EPILOGUE = 'Exit codes: 0 clean, 1 findings (errors, or warnings with --strict; a stale tree for generate --check; differences for diff), 2 usage error, unreadable input or an output folder that cannot or may not be written.\nDocumentation: README.md and docs/ in the installed package.';

type Yargs = typeof import('yargs').default;

const TODAY_HELP = 'Judge Microsoft support dates (product-lifecycle) as of this day, YYYY-MM-DD, e.g. a go-live date; default: today';

/** A --today value: a real calendar day, YYYY-MM-DD. */
export function parseDay(value: unknown): Date {
  const text = String(value);
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : undefined;
  if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text) throw new Error(`--today takes a day as YYYY-MM-DD, not ${JSON.stringify(text)}`);
  return day;
}

const BASELINE_HELP = 'Compliance baseline whose controls the spec is checked against (overrides defaults.baseline); see baselines/';

function parser(yargs: Yargs, argv: string[], baselineIds: readonly string[]) {
  const baselineOption = { describe: BASELINE_HELP, choices: baselineIds, requiresArg: true, type: 'string' } as const;
  const todayOption = { describe: TODAY_HELP, requiresArg: true, type: 'string', coerce: parseDay } as const;
  return yargs(argv)
    .scriptName('winrm-forge')
    .usage('$0 <command> [options]\n\nTurns one YAML description of a Windows environment into ordered, reviewable PowerShell\nscripts for remote PowerShell between identity-sync servers and Exchange servers.')
    .command('validate <spec...>', 'Check one or more spec files and report findings with file:line:col', (y) =>
      y
        .positional('spec', { describe: 'Spec file(s) to check', type: 'string', array: true, demandOption: true })
        .option('format', { describe: 'Output format (sarif: SARIF 2.1.0 for code scanning)', choices: ['text', 'json', 'sarif'] as const, default: 'text' as const })
        .option('strict', { describe: 'Treat warnings as failures (exit 1)', type: 'boolean', default: false })
        .option('baseline', baselineOption)
        .option('today', todayOption)
        .example('$0 validate examples/galsync-fim-kerberos.yaml', 'Check one spec; exit 0 when clean')
        .example('$0 validate envs/*.yaml --format json', 'Check several specs, print findings as JSON')
        .example('$0 validate envs/prod.yaml --strict', 'Fail on warnings too, e.g. in a release pipeline')
        .example('$0 validate envs/prod.yaml --baseline disa-stig-windows-server-2022', 'Report every setting that contradicts a STIG control')
        .example('$0 validate envs/prod.yaml --today 2027-03-01', 'Will every product still be supported on the go-live day?')
        .example('$0 validate envs/*.yaml --format sarif > winrm-forge.sarif', 'SARIF for GitHub code scanning (upload-sarif)'),
    )
    .command('explain [rule]', 'List the semantic rules, or print the documentation of one rule', (y) =>
      y
        .positional('rule', { describe: 'Rule ID, as shown in brackets after a finding', type: 'string' })
        .example('$0 explain', 'List every rule: ID, severity, one line')
        .example('$0 explain kerberos-needs-trust', 'Rationale, source and a bad and a good example'),
    )
    .command('generate <spec>', 'Write the PowerShell scripts, PLAN.md, firewall.csv and manifest.json for one spec', (y) =>
      y
        .positional('spec', { describe: 'Spec file', type: 'string', demandOption: true })
        .option('out', { describe: 'Output folder; files go to <out>/<environment>/', type: 'string', demandOption: true, requiresArg: true })
        .option('check', { describe: 'Write nothing: compare <out> with a fresh render, exit 1 with a diff when they differ', type: 'boolean' })
        .option('full', { describe: 'With --check: render every file and compare bytes, trusting no hash recorded in manifest.json', type: 'boolean', implies: 'check' })
        .option('force', { describe: 'Write into a non-empty folder winrm-forge did not create (deletes nothing of it)', type: 'boolean' })
        .option('eol', { describe: 'Line ending of the .ps1 scripts (default: as recorded in the existing manifest.json, else crlf)', choices: ['crlf', 'lf'] as const, requiresArg: true })
        .option('baseline', baselineOption)
        .option('today', todayOption)
        .conflicts('check', 'force')
        .example('$0 generate examples/galsync-fim-kerberos.yaml --out out', 'Write out/contoso-galsync/ (PLAN.md, hosts/<host>/*.ps1, ...)')
        .example('$0 generate envs/prod.yaml --out generated --check', 'CI: exit 1 with a unified diff when the committed tree is stale')
        .example('$0 generate envs/prod.yaml --out generated --check --full', 'The same, rendering every file: also catches an edit whose sha256 was rewritten in manifest.json')
        .example('$0 generate envs/prod.yaml --out generated --eol lf', 'Write LF scripts; later runs keep LF until told otherwise')
        .example('$0 generate envs/prod.yaml --out existing-folder --force', 'Write into a folder that already holds other files'),
    )
    .command('diff <base> <head>', 'Show what changes in the generated scripts between two versions of a spec, per host', (y) =>
      y
        .positional('base', { describe: 'Spec before the change', type: 'string', demandOption: true })
        .positional('head', { describe: 'Spec after the change', type: 'string', demandOption: true })
        .option('format', { describe: 'unified: a git-style diff; markdown: a summary per host for a pull-request comment', choices: ['unified', 'markdown'] as const, default: 'unified' as const })
        .example('$0 diff base.yaml envs/prod.yaml', 'Unified diff of every generated file; exit 1 when anything differs')
        .example('$0 diff base.yaml envs/prod.yaml --format markdown', 'Per host: steps added, removed, changed, with the settings involved (base.yaml from git show main:envs/prod.yaml)'),
    )
    .command('plan <spec>', 'Print the plan (run order, port matrix, diagram, troubleshooting) without writing files', (y) =>
      y
        .positional('spec', { describe: 'Spec file', type: 'string', demandOption: true })
        .option('baseline', baselineOption)
        .option('today', todayOption)
        .example('$0 plan examples/monosync-https-delegation.yaml', 'Print PLAN.md to the terminal')
        .example('$0 plan envs/prod.yaml --baseline disa-stig-windows-server-2022', 'With a Compliance section for the DISA STIG')
        .example('$0 plan envs/prod.yaml > PLAN.md', 'Save it for a review'),
    )
    .command('schema', 'Print the JSON Schema of the spec (for editors and other tools)', (y) =>
      y.example('$0 schema > winrm-forge.schema.json', 'Save the schema next to your specs'),
    )
    .command('init', 'Write a commented starter spec for a scenario (never overwrites a file)', (y) =>
      y
        .option('scenario', { describe: 'Which environment to start from', choices: ['galsync', 'monosync', 'arr'] as const, default: 'galsync' as const })
        .option('out', { describe: 'File to write', type: 'string', default: 'winrm-forge.yaml' })
        .example('$0 init', 'Write winrm-forge.yaml for a FIM/MIM GalSync environment')
        .example('$0 init --scenario arr --out envs/contoso-arr.yaml', 'Start an IIS ARR publishing spec in envs/'),
    )
    .demandCommand(1, 'Name a command: validate, generate, diff, plan, explain, init or schema (see --help).')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(packageVersion())
    .epilogue(EPILOGUE)
    .wrap(Math.min(100, process.stdout.columns || 100));
}

export interface ParsedArguments {
  error?: Error;
  args: Record<string, unknown>;
  /** Text yargs produced itself: help, version or a usage error. */
  output: string;
}

/** Parses the command line with yargs, loaded only when the shortcut does not apply. */
export async function parseArguments(argv: string[]): Promise<ParsedArguments> {
  const [{ default: yargs }, { baselineIds }] = await Promise.all([import('yargs'), import('../check.js')]);
  // yargs drops a bare `-` (standard input): it passes through as a value no command line can
  // hold (arguments are C strings, so none contains a NUL), and comes back as `-`.
  const end = argv.indexOf('--');
  const masked = argv.map((a, i) => (a === STDIN_ARGUMENT && (end < 0 || i < end) ? STDIN_MASK : a));
  const unmask = (v: unknown): unknown => (v === STDIN_MASK ? STDIN_ARGUMENT : Array.isArray(v) ? v.map(unmask) : v);
  return new Promise<ParsedArguments>((resolveParse) => {
    parser(yargs, masked, baselineIds()).parse(masked, {}, (error: Error | undefined, args: Record<string, unknown>, output: string) => {
      const unmasked = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, unmask(v)]));
      resolveParse({ ...(error ? { error } : {}), args: unmasked, output });
    });
  });
}

const STDIN_MASK = '\u0000-';

/** A spec argument a command that reads files cannot take, as a usage problem; undefined when fine. */
function fileArgumentProblem(value: string): string | undefined {
  if (value === '') return 'a spec name is empty (an unset variable in the command line?).';
  if (value === STDIN_ARGUMENT) return 'this command reads its spec from a file; only validate reads standard input (-).';
  return undefined;
}

/** --baseline and --today, as the commands that check a spec take them. */
function baselineArg(args: Record<string, unknown>): { baseline?: string; today?: Date } {
  return { ...(args.baseline === undefined ? {} : { baseline: String(args.baseline) }), ...(args.today instanceof Date ? { today: args.today } : {}) };
}

/** The command and options yargs parsed, as the shortcut gives them too; undefined for no known command. */
export function invocationOf(args: Record<string, unknown>): Invocation | undefined {
  const command = args._ instanceof Array ? String(args._[0]) : '';
  switch (command) {
    case 'validate':
      return { command, options: { specs: (args.spec as unknown[]).map(String), format: args.format as OutputFormat, strict: Boolean(args.strict), ...baselineArg(args) } };
    case 'explain':
      return { command, options: args.rule === undefined ? {} : { rule: String(args.rule) } };
    case 'generate':
      return {
        command,
        options: { spec: String(args.spec), out: String(args.out), check: Boolean(args.check), full: Boolean(args.full), force: Boolean(args.force), ...(args.eol === undefined ? {} : { eol: args.eol as 'crlf' | 'lf' }), ...baselineArg(args) },
      };
    case 'diff':
      return { command, options: { base: String(args.base), head: String(args.head), format: args.format as 'unified' | 'markdown' } };
    case 'plan':
      return { command, options: { spec: String(args.spec), ...baselineArg(args) } };
    case 'schema':
      return { command };
    case 'init':
      return { command, options: { scenario: args.scenario as 'galsync' | 'monosync' | 'arr', out: String(args.out) } };
    default:
      return undefined;
  }
}

export async function main(argv: string[], io: Io): Promise<ExitCode> {
  const shortcut = parseShortcut(argv);
  if (shortcut) return runInvocation(shortcut, io);
  const parsed = await parseArguments(argv);
  if (parsed.error) {
    // The problem first, then one line of usage: not the whole help with the problem at its end.
    const command = COMMANDS.includes(argv[0] ?? '') ? argv[0] : undefined;
    usageError(io, describeParseError(parsed.error.message, argv, command), command);
    return EXIT_USAGE;
  }
  if (parsed.output) {
    // --help or --version: yargs produced the text, nothing else to do.
    io.stdout(`${parsed.output}\n`);
    return 0;
  }
  const args = parsed.args;
  const command = args._ instanceof Array ? String(args._[0]) : '';
  for (const name of ['spec', 'base', 'head'] as const) {
    const value = args[name];
    const problem = command !== 'validate' && typeof value === 'string' ? fileArgumentProblem(value) : undefined;
    if (problem) {
      usageError(io, problem, command);
      return EXIT_USAGE;
    }
  }
  const invocation = invocationOf(args);
  if (invocation) return runInvocation(invocation, io);
  usageError(io, command === '' ? 'name a command.' : `unknown command ${command}.${suggestCommand(command)}`);
  return EXIT_USAGE;
}
