import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentSafe, markdownCode, markdownSafe, powershellBytes, psQuote, render, SAFE_HELPERS, tidy } from '../src/render.js';
import { generateExample } from './helpers/generate.js';
import { nodes, parsePowerShell, syntaxProblems } from './helpers/powershell.js';
import { repoRoot } from './helpers/spec.js';

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

/** PowerShell's own reading of a single-quoted literal: doubled quotes (ASCII or typographic) count once. */
function unquoteVerbatim(literal: string): string {
  return literal.slice(1, -1).replace(/(['\u2018\u2019\u201A\u201B])['\u2018\u2019\u201A\u201B]/g, '$1');
}

/** What PowerShell makes of psQuote's output: verbatim literals (doubled quotes count once) and [char] codes, concatenated. */
function evaluate(tree: Awaited<ReturnType<typeof parsePowerShell>>, start: number, end: number): string {
  const inside = nodes(tree).filter((n) => n.startIndex >= start && n.endIndex <= end);
  const parts = inside.filter((n) => n.type === 'string_literal' || (n.type === 'cast_expression' && /^\[char\]0x/.test(n.text)));
  return parts
    .sort((a, b) => a.startIndex - b.startIndex)
    .map((n) => (n.type === 'string_literal' ? unquoteVerbatim(n.text) : String.fromCharCode(parseInt(n.text.slice('[char]0x'.length), 16))))
    .join('');
}

describe('psQuote', () => {
  for (const value of HOSTILE) {
    it(`keeps ${JSON.stringify(value)} a verbatim value with its exact content`, async () => {
      const quoted = psQuote(value);
      const source = `$value = ${quoted}\r\nWrite-Host -Object $value\r\n`;
      const tree = await parsePowerShell(source);
      expect(syntaxProblems(tree)).toEqual([]);
      const literals = nodes(tree).filter((n) => n.type === 'string_literal');
      if (/[\u0000-\u001f]/.test(value)) {
        expect(quoted).toMatch(/^\(.*\)$/);
        expect(evaluate(tree, 0, source.indexOf('\r\n'))).toBe(value);
        expect(quoted).not.toMatch(/[\r\n]/);
      } else {
        expect(literals).toHaveLength(1);
        expect(literals[0]!.text).toBe(quoted);
        expect(literals[0]!.text.startsWith("'")).toBe(true);
        expect(unquoteVerbatim(literals[0]!.text)).toBe(value);
      }
      // Nothing of the value escaped into code: one command, no subexpression, no expandable string.
      expect(nodes(tree).filter((n) => n.type === 'command')).toHaveLength(1);
      expect(nodes(tree).filter((n) => n.type === 'sub_expression' || n.type === 'expandable_string_literal')).toEqual([]);
    });
  }
});

describe('commentSafe', () => {
  for (const value of HOSTILE) {
    it(`keeps ${JSON.stringify(value)} inside one comment line`, async () => {
      const tree = await parsePowerShell(`# ${commentSafe(value)}\r\n<#\r\n${commentSafe(value)}\r\n#>\r\n$x = 1\r\n`);
      expect(syntaxProblems(tree)).toEqual([]);
      expect(nodes(tree).filter((n) => n.type === 'comment')).toHaveLength(2);
      expect(nodes(tree).filter((n) => n.type === 'assignment_expression')).toHaveLength(1);
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

describe('markdownSafe', () => {
  it('keeps a value inside one table cell', () => {
    expect(markdownSafe('a|b\nc <script> `x` *y*')).toBe('a\\|b c \\<script\\> \\`x\\` \\*y\\*');
    expect(markdownSafe('FABRIKAM\\svc_galsync')).toBe('FABRIKAM\\svc_galsync');
  });
});

describe('hostile values through the templates', () => {
  it('reach a rendered script only as intact string literals', async () => {
    const { plan } = await generateExample('monosync-https-delegation.yaml');
    const copy = structuredClone(plan!);
    const cas = copy.hosts.find((h) => h.host === 'exch01.monofor.com')!;
    const step = cas.steps.find((s) => s.template === 'remote-management-users')!;
    step.data.members = HOSTILE;
    const files = render(copy);
    const text = Buffer.from(files.get(`monofor-monosync/hosts/exch01.monofor.com/${step.fileName}`)!).toString('utf8');
    const tree = await parsePowerShell(text);
    expect(syntaxProblems(tree)).toEqual([]);
    const assignment = nodes(tree).find((n) => n.type === 'assignment_expression' && n.text.startsWith('$members = '))!;
    expect(assignment.text).toBe(`$members = @(${HOSTILE.map(psQuote).join(', ')})`);
    // Each element, evaluated as PowerShell reads it, is the hostile value itself.
    let offset = assignment.startIndex + '$members = @('.length;
    for (const value of HOSTILE) {
      const quoted = psQuote(value);
      expect(evaluate(tree, offset, offset + quoted.length)).toBe(value);
      offset += quoted.length + ', '.length;
    }
  });

  it('writes a UTF-8 BOM when a value is not ASCII, and CRLF line endings', () => {
    const ascii = Buffer.from(powershellBytes("$a = 'x'\n"));
    expect(ascii.subarray(0, 3).toString('hex')).not.toBe('efbbbf');
    expect(ascii.toString('utf8')).toBe("$a = 'x'\r\n");
    const accented = Buffer.from(powershellBytes("$a = 'M\u00fcller'\n"));
    expect(accented.subarray(0, 3).toString('hex')).toBe('efbbbf');
  });

  it('tidies blank lines and trailing spaces', () => {
    expect(tidy('a  \n\n\n\nb\n\n')).toBe('a\n\nb\n');
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
