import type { FileReport } from '../../shared/diagnostics.js';
import { summarize } from './text.js';

/** Machine-readable findings with 1-based line and column, ESLint-style. */
export function formatJson(reports: readonly FileReport[]): string {
  const files = reports.map((report) => ({
    file: report.file,
    diagnostics: report.diagnostics.map((d) => {
      const start = report.source?.position(d.range.start) ?? { line: 1, column: 1 };
      const end = report.source?.position(d.range.end) ?? start;
      return {
        ruleId: d.ruleId,
        severity: d.severity,
        message: d.message,
        ...(d.hint ? { hint: d.hint } : {}),
        file: d.file,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        ...(d.source ? { source: d.source } : {}),
        ...(d.host ? { host: d.host } : {}),
        ...(d.waived ? { waived: d.waived } : {}),
      };
    }),
  }));
  return JSON.stringify({ files, summary: summarize(reports) }, null, 2) + '\n';
}
