import { describe, expect, it } from 'vitest';
import { applyLineEndings, convertLineEndings, detectLineEndings, endOfLineFor } from '../src/line-endings.js';
import { bytes } from './helpers/output-tree.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('line endings', () => {
  it('gives scripts the chosen ending (CRLF by default) and every other file LF', () => {
    expect(endOfLineFor('env/hosts/a.example.com/01-winrm.ps1')).toBe('crlf');
    expect(endOfLineFor('env/hosts/a.example.com/01-winrm.PS1', 'lf')).toBe('lf');
    expect(endOfLineFor('env/tools/run.cmd')).toBe('crlf');
    expect(endOfLineFor('env/PLAN.md')).toBe('lf');
    expect(endOfLineFor('env/firewall.csv', 'crlf')).toBe('lf');
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

  it('applies per file over a map, keeping its order', () => {
    const files = new Map([['e/PLAN.md', bytes('a\r\nb\n')], ['e/hosts/h/01-x.ps1', bytes('a\nb\n')]]);
    const out = applyLineEndings(files);
    expect([...out.keys()]).toEqual(['e/PLAN.md', 'e/hosts/h/01-x.ps1']);
    expect(text(out.get('e/PLAN.md')!)).toBe('a\nb\n');
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
