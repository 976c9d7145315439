import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { PRECOMPILE_OPTIONS, rendererDigest, rendererSources, templatesDigest } from '../scripts/build-templates.mjs';
import ts from 'typescript';
import { rendererSha256, templatesSha256 } from '../src/generated/templates.js';
import { describe, expect, it } from 'vitest';
import { commentSafe, markdownCode, markdownSafe, powershellBytes, psQuote, render, SAFE_HELPERS } from '../src/render/render.js';
import { tidy } from './helpers/tidy.js';
import { generateExample } from './helpers/generate.js';
import { describeWithPwsh } from './helpers/pwsh.js';
import { astOf, readScript, tokensOf } from './helpers/script-shape.js';
import { repoRoot } from './helpers/spec.js';
import { isScript } from './helpers/plan.js';

/** Values an attacker or a careless copy-paste could put in a spec field. */
const HOSTILE = [
  "O'Brien",
  "'; Remove-Item -Path C:\\ -Recurse; '",
  '\u2018typographic\u2019 \u201Aquotes\u201B',
  'back`tick `$(whoami)',
  '$(Remove-Item -Path C:\\)',
  '${env:USERNAME} $env:COMPUTERNAME @splat',
  'line one\nline two\r\nline three',
  '"double" and \u201Cdouble\u201D',
  '#> <# comment breakers',
  '',
  "''''",
  'tab\there; semicolon | pipe & amp',
];

describeWithPwsh('psQuote', () => {
  for (const value of HOSTILE) {
    it(`keeps ${JSON.stringify(value)} a verbatim value with its exact content`, async () => {
      const quoted = psQuote(value);
      const read = await readScript(`$value = ${quoted}\r\nWrite-Host -Object $value\r\n`);
      expect(read.problems).toEqual([]);
      // PowerShell's parser reads exactly one literal whose content is the value.
      expect(read.literals).toEqual([value]);
      if (/[\u0000-\u001f]/.test(value)) {
        expect(quoted).toMatch(/^\(.*\)$/);
        expect(quoted).not.toMatch(/[\r\n]/);
      } else {
        expect(quoted.startsWith("'")).toBe(true);
      }
      // Nothing of the value escaped into code: one command, no subexpression, no expandable string.
      const ast = astOf(read);
      expect(ast.filter((t) => t === 'CommandAst')).toHaveLength(1);
      expect(ast.filter((t) => t === 'SubExpressionAst' || t === 'ExpandableStringExpressionAst')).toEqual([]);
    });
  }
});

describeWithPwsh('commentSafe', () => {
  for (const value of HOSTILE) {
    it(`keeps ${JSON.stringify(value)} inside one comment line`, async () => {
      const read = await readScript(`# ${commentSafe(value)}\r\n<#\r\n${commentSafe(value)}\r\n#>\r\n$x = 1\r\n`);
      expect(read.problems).toEqual([]);
      expect(tokensOf(read).filter((t) => t === 'Comment')).toHaveLength(2);
      expect(astOf(read).filter((t) => t === 'AssignmentStatementAst')).toHaveLength(1);
      expect(commentSafe(value)).toMatch(/^[\x20-\x7e]*$/);
    });
  }
});

describe('Markdown code spans and bidirectional controls', () => {
  it('fences a code span one backtick longer than the longest run inside, so the text cannot close it', () => {
    expect(markdownCode('envs/lab.yaml')).toBe('`envs/lab.yaml`');
    expect(markdownCode('a`b')).toBe('`` a`b ``');
    expect(markdownCode('x``<img src=x onerror=alert(1)>``y')).toBe('``` x``<img src=x onerror=alert(1)>``y ```');
    expect(markdownCode('````')).toBe('````` ```` `````');
  });

  it('writes bidirectional controls as [char] codes in scripts and by name in Markdown', () => {
    for (const c of ['\u202e', '\u202a', '\u2066', '\u2067', '\u2068', '\u2069', '\u200f']) {
      const code = c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      expect(psQuote(`admin${c}gpj.exe`)).toBe(`('admin' + [char]0x${code} + 'gpj.exe')`);
      expect(markdownSafe(`admin${c}gpj.exe`)).toBe(`admin(U+${code})gpj.exe`);
    }
  });
});

describe('commentSafe without pwsh', () => {
  it('returns a value unchanged only when no replacement would change it (the shortcut agrees with the full form)', () => {
    const full = (value: string) =>
      value
        .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')
        .replace(/#>/g, '# >')
        .replace(/<#/g, '< #')
        .replace(/[^\u0020-\u007e]/g, '?');
    const piece = fc.constantFrom('#', '>', '<', ' ', 'a', '\n', '\u007f', '\u00e9', '\u2028', '~', '\u0000');
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')));
    fc.assert(fc.property(text, (value) => commentSafe(value) === full(value)), { numRuns: 2_000 });
  });
});

describe('precompiled templates', () => {
  it('were built from the templates as they are now (else run npm run build)', () => {
    expect(templatesSha256).toBe(templatesDigest());
  });
  it('carry the digest of the renderer as it is now: a renderer change changes every input digest (else run npm run build)', () => {
    expect(rendererSha256).toBe(rendererDigest());
  });
  it('carry how the templates were precompiled: other options give another renderer digest', () => {
    // Options change the compiled code, and with it what a template renders (or refuses): a
    // recorded output hash must not be trusted across them.
    expect(rendererDigest(undefined, { ...PRECOMPILE_OPTIONS, knownHelpersOnly: false })).not.toBe(rendererDigest());
    expect(rendererDigest(undefined, { ...PRECOMPILE_OPTIONS, strict: false })).not.toBe(rendererDigest());
    expect(rendererDigest(undefined, { ...PRECOMPILE_OPTIONS })).toBe(rendererDigest());
  });
  it('name exactly the safe helpers as the helpers a template may call', () => {
    expect(Object.keys(PRECOMPILE_OPTIONS.knownHelpers).sort()).toEqual([...SAFE_HELPERS].sort());
  });
  it('hash every module the renderer imports for a value inside src/render, src/shared and src/output (read with TypeScript\'s parser)', () => {
    const inside = ['src/render/', 'src/shared/', 'src/output/'];
    const seen = new Set<string>();
    const queue = ['src/render/render.ts'];
    while (queue.length > 0) {
      const source = queue.shift()!;
      if (seen.has(source)) continue;
      seen.add(source);
      const file = ts.createSourceFile(source, readFileSync(join(repoRoot, source), 'utf8'), ts.ScriptTarget.Latest);
      for (const statement of file.statements) {
        const specifier = (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : null;
        if (!specifier?.startsWith('.')) continue;
        const typeOnly = ts.isImportDeclaration(statement) ? statement.importClause?.isTypeOnly === true : ts.isExportDeclaration(statement) && statement.isTypeOnly;
        if (typeOnly) continue;
        const target = join(source, '..', specifier).replace(/\\/g, '/').replace(/\.js$/, '.ts');
        if (inside.some((f) => target.startsWith(f))) queue.push(target);
      }
    }
    expect(rendererSources()).toEqual([...seen].sort());
    expect(rendererSources()).toEqual(expect.arrayContaining(['src/shared/line-endings.ts', 'src/shared/markdown.ts', 'src/shared/context-text.ts']));
  });
});

describe('markdownSafe', () => {
  it('returns a value unchanged only when no replacement would change it (the shortcut agrees with the full form)', () => {
    // The full form, without the shortcut: what markdownSafe did before it learnt to skip plain names.
    const full = (value: string) =>
      value
        .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')
        .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `(U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`)
        .replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\')
        .replace(/([`*[\]|<>])/g, '\\$1');
    const special = fc.constantFrom('\\', '`', '*', '[', ']', '|', '<', '>', '\u0000', '\n', '\u007f', '\u2028', '\u061c', '\u200e', '\u202e', '\u2066', '\u2069', '!', '_', 'a', 'é', '.');
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.array(special, { maxLength: 12 }).map((parts) => parts.join('')));
    fc.assert(fc.property(text, (value) => markdownSafe(value) === full(value)), { numRuns: 2_000 });
  });

  it('keeps a value inside one table cell', () => {
    expect(markdownSafe('a|b\nc <script> `x` *y*')).toBe('a\\|b c \\<script\\> \\`x\\` \\*y\\*');
    expect(markdownSafe('FABRIKAM\\svc_galsync')).toBe('FABRIKAM\\svc_galsync');
  });
});

describeWithPwsh('hostile values through the templates', () => {
  it('reach a rendered script only as intact string literals', async () => {
    const { plan } = await generateExample('monosync-https-delegation.yaml');
    const copy = structuredClone(plan!);
    const cas = copy.hosts.find((h) => h.host === 'exch01.monofor.com')!;
    const step = cas.steps.find(isScript('remote-management-users'))!;
    step.data.members = HOSTILE;
    const files = render(copy);
    const text = Buffer.from(files.get(`monofor-monosync/hosts/exch01.monofor.com/${step.fileName}`)!).toString('utf8');
    expect(text).toContain(`$members = @(${HOSTILE.map(psQuote).join(', ')})`);
    const read = await readScript(text);
    expect(read.problems).toEqual([]);
    // Each element, as PowerShell reads it, is the hostile value itself, in order.
    const at = read.literals.findIndex((l, i) => HOSTILE.every((v, k) => read.literals[i + k] === v));
    expect(at, 'the members literal, element by element').toBeGreaterThanOrEqual(0);
  });

  it('writes a UTF-8 BOM when a value is not ASCII, and CRLF line endings unless told LF', () => {
    // As a script template renders (CRLF, scripts/build-templates.mjs).
    const ascii = Buffer.from(powershellBytes("$a = 'x'\r\n$b = 1\r\n"));
    expect(ascii.subarray(0, 3).toString('hex')).not.toBe('efbbbf');
    expect(ascii.toString('utf8')).toBe("$a = 'x'\r\n$b = 1\r\n");
    expect(Buffer.from(powershellBytes("$a = 'x'\r\n$b = 1\r\n", 'lf')).toString('utf8')).toBe("$a = 'x'\n$b = 1\n");
    const accented = Buffer.from(powershellBytes("$a = 'M\u00fcller'\r\n"));
    expect(accented.subarray(0, 3).toString('hex')).toBe('efbbbf');
  });

  it('tidies blank lines and trailing spaces', () => {
    expect(tidy('a  \n\n\n\nb\n\n')).toBe('a\n\nb\n');
    expect(tidy(' \t\n  \n')).toBe('\n');
    expect(tidy('\r\n\ta\t \r\r \n b')).toBe('\ta\n\n b\n');
  });

  it('tidies as the definition says, for any text (the line scan agrees with the regular expressions)', () => {
    // The definition, as whole-text regular expressions: what tidy did before it scanned lines.
    const definition = (text: string) => {
      const lf = text.replace(/\r\n?/g, '\n');
      const collapsed = lf.replace(/[ \t]+(?=\n|$)/g, '').replace(/\n{3,}/g, '\n\n');
      return collapsed.replace(/^\n+/, '').replace(/\n+$/, '') + '\n';
    };
    const piece = fc.constantFrom('\n', '\r', '\r\n', ' ', '\t', 'a', 'b ', '\u00a0', '\u2028', '\v', '#');
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.array(piece, { maxLength: 30 }).map((parts) => parts.join('')));
    fc.assert(fc.property(text, (value) => tidy(value) === definition(value)), { numRuns: 3_000 });
  });
});

describe('templates', () => {
  const folder = join(repoRoot, 'templates');
  const files = readdirSync(folder).filter((f) => f.endsWith('.hbs'));

  it('never insert a value raw: every mustache is a block, a partial or a safe helper', () => {
    const allowed = new RegExp(`^\\{\\{(?:[#/>!]|else\\}\\}|(?:${SAFE_HELPERS.join('|')}) )`);
    for (const file of files) {
      const text = readFileSync(join(folder, file), 'utf8');
      for (const mustache of text.match(/\{\{\{?[^}]*\}\}\}?/g) ?? []) {
        expect(mustache, `${file}: ${mustache}`).toMatch(allowed);
        expect(mustache, file).not.toMatch(/^\{\{\{/);
      }
    }
  });

  it('contain no typographic quotes, en or em dashes', () => {
    for (const file of files) expect(readFileSync(join(folder, file), 'utf8'), file).not.toMatch(/[\u2013\u2014\u2018-\u201e]/);
  });
});
