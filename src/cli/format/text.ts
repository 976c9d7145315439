import { plural } from '../../shared/text.js';
import { SourceText, type Diagnostic, type FileReport, type Range } from '../../shared/diagnostics.js';
import type { Style } from './colors.js';

/** Counts of unwaived findings by severity, and of waived ones. */
export function summarize(reports: readonly FileReport[]) {
  const all = reports.flatMap((r) => r.diagnostics);
  const live = all.filter((d) => !d.waived);
  return {
    errors: live.filter((d) => d.severity === 'error').length,
    warnings: live.filter((d) => d.severity === 'warning').length,
    infos: live.filter((d) => d.severity === 'info').length,
    waived: all.length - live.length,
  };
}

/** file:line:col severity rule-id message, a caret excerpt, the hint; then a summary line. */
export function formatText(reports: readonly FileReport[], style: Style): string {
  const out: string[] = [];
  for (const report of reports) {
    const secrets = report.diagnostics.flatMap((d) => (d.secretRange ? [d.secretRange] : []));
    for (const d of report.diagnostics) out.push(formatOne(d, report.source, style, secrets), '');
  }
  const s = summarize(reports);
  const files = plural(reports.length, 'file');
  if (s.errors + s.warnings + s.infos + s.waived === 0) out.push(`${files} checked: no findings`);
  else {
    const parts = [plural(s.errors, 'error'), plural(s.warnings, 'warning')];
    if (s.infos) parts.push(plural(s.infos, 'note'));
    if (s.waived) parts.push(`${s.waived} waived`);
    out.push(`${files} checked: ${parts.join(', ')}`);
  }
  return out.join('\n') + '\n';
}

/**
 * A source line with every character inside a secret's range replaced by `*` (one for one, so
 * the caret stays under its column). `lineStart` is the offset of the line's first character.
 */
export function maskSecrets(line: string, lineStart: number, secrets: readonly Range[]): string {
  if (secrets.length === 0) return line;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const offset = lineStart + i;
    out += secrets.some((r) => offset >= r.start && offset < r.end) ? '*' : line[i];
  }
  return out;
}

function formatOne(d: Diagnostic, source: SourceText | undefined, style: Style, secrets: readonly Range[]): string {
  const severity = d.waived ? style.dim(`${d.severity} (waived)`) : d.severity === 'error' ? style.red('error') : d.severity === 'warning' ? style.yellow('warning') : style.cyan('note');
  if (!source) return `${style.bold(d.file)}: ${severity} ${d.message} ${style.dim(`[${d.ruleId}]`)}${d.hint ? `\n  ${style.dim('hint:')} ${d.hint}` : ''}`;
  const start = source.position(d.range.start);
  const end = source.position(Math.max(d.range.end, d.range.start));
  const lines = [`${style.bold(`${d.file}:${start.line}:${start.column}`)}: ${severity} ${d.message} ${style.dim(`[${d.ruleId}]`)}`];
  const text = source.lineText(start.line);
  if (text.trim() !== '') {
    const gutter = String(start.line);
    const shown = visible(maskSecrets(text, source.lineStart(start.line), secrets).replace(/\t/g, ' '));
    const width = end.line === start.line ? Math.max(1, end.column - start.column) : Math.max(1, shown.length - start.column + 1);
    lines.push(`${style.dim(`${gutter} |`)} ${shown}`);
    lines.push(`${' '.repeat(gutter.length)} ${style.dim('|')} ${' '.repeat(start.column - 1)}${style.red('^'.repeat(Math.min(width, 120)))}`);
  }
  if (d.hint) lines.push(`  ${style.dim('hint:')} ${d.hint}`);
  if (d.waived) lines.push(`  ${style.dim('waived:')} ${d.waived.reason}`);
  return lines.join('\n');
}

/**
 * A source line as it may reach a terminal: control characters as their Control Pictures
 * (U+2400 block), other invisible or reordering ones (C1, bidirectional controls, zero-width
 * characters) as U+FFFD, one code unit for one so the caret stays under its column.
 */
export function visible(line: string): string {
  return line.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\ufffd';
  });
}
