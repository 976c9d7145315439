import { describe, expect, it } from 'vitest';
import { detectLineEndings } from '../src/shared/line-endings.js';
import { applyLineEndings, convertLineEndings, followsEol } from './helpers/line-endings.js';
import { bytes } from './helpers/output-tree.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('line endings', () => {
  it('applies --eol to PowerShell and batch files only', () => {
    expect(followsEol('env/hosts/a.example.com/01-winrm.ps1')).toBe(true);
    expect(followsEol('env/hosts/a.example.com/01-winrm.PS1')).toBe(true);
    expect(followsEol('env/tools/run.cmd')).toBe(true);
    expect(followsEol('env/PLAN.md')).toBe(false);
    expect(followsEol('env/firewall.csv')).toBe(false);
  });

  it('converts both ways and leaves lone CR, BOM and non-ASCII bytes alone', () => {
    const mixed = bytes('\ufeffa\r\nb\nc\rd\u00e9\n');
    expect(text(convertLineEndings(mixed, 'crlf'))).toBe(text(bytes('\ufeffa\r\nb\r\nc\rd\u00e9\r\n')));
    expect(text(convertLineEndings(mixed, 'lf'))).toBe(text(bytes('\ufeffa\nb\nc\rd\u00e9\n')));
    expect(text(convertLineEndings(bytes('\r\n\r\n'), 'lf'))).toBe('\n\n');
  });

  it('is idempotent and returns the same bytes when nothing changes', () => {
    const already = bytes('a\r\nb\r\n');
    expect(convertLineEndings(already, 'crlf')).toBe(already);
    const once = convertLineEndings(bytes('x\ny\n'), 'crlf');
    expect(text(convertLineEndings(once, 'crlf'))).toBe(text(once));
  });

  it('applies per file over a map, keeping its order and leaving other files as rendered', () => {
    const csv = bytes('a,b\r\n1,2\r\n');
    const files = new Map([['e/PLAN.md', bytes('a\nb\n')], ['e/firewall.csv', csv], ['e/hosts/h/01-x.ps1', bytes('a\nb\n')]]);
    const out = applyLineEndings(files);
    expect([...out.keys()]).toEqual(['e/PLAN.md', 'e/firewall.csv', 'e/hosts/h/01-x.ps1']);
    expect(text(out.get('e/PLAN.md')!)).toBe('a\nb\n');
    expect(applyLineEndings(files, 'lf').get('e/firewall.csv')).toBe(csv);
    expect(text(out.get('e/hosts/h/01-x.ps1')!)).toBe('a\r\nb\r\n');
    expect(text(applyLineEndings(files, 'lf').get('e/hosts/h/01-x.ps1')!)).toBe('a\nb\n');
  });

  it('detects the style of a file', () => {
    expect(detectLineEndings(bytes('a\r\nb\r\n'))).toBe('crlf');
    expect(detectLineEndings(bytes('a\nb'))).toBe('lf');
    expect(detectLineEndings(bytes('a\r\nb\n'))).toBe('mixed');
    expect(detectLineEndings(bytes('a'))).toBe('none');
  });
});
