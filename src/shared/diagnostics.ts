/**
 * Diagnostics are data: every stage returns them, one formatter per output format prints them.
 * Offsets are kept on the diagnostic; line and column are computed only when printing.
 */
import { byCodePoint } from './order.js';

export type Severity = 'error' | 'warning' | 'info';

/** Half-open character range [start, end) into the spec text. */
export interface Range {
  start: number;
  end: number;
}

export interface Diagnostic {
  /** Stable kebab-case identifier, e.g. `schema-pattern` or `kerberos-needs-trust`. */
  ruleId: string;
  severity: Severity;
  /** One sentence naming the actual hosts and values. */
  message: string;
  /** How to fix it. */
  hint?: string;
  /** Path of the spec as the user gave it. */
  file: string;
  range: Range;
  /** Where the knowledge comes from: a source document (title and link) or a public reference. */
  source?: string;
  /**
   * The host whose spec entry holds the offending value (semantic rules only); a waiver names
   * it to accept the finding.
   */
  host?: string;
  /** false: the rule's findings cannot be waived (see Rule.waivable). */
  waivable?: false;
  /** Findings about a compliance baseline: which baseline and controls. */
  compliance?: Compliance;
  /**
   * Where the spec holds a value that looks like a secret (secret-in-spec, a `password:` key):
   * every excerpt of the spec masks this range, so no log or comment republishes the value.
   */
  secretRange?: Range;
  /** Dotted path of the one value the finding is about (secret-in-spec), which a waiver may name. */
  field?: string;
  /**
   * SHA-256 (hex) of that value, for a waiver pinning it; never printed by any formatter.
   */
  valueSha256?: string;
  /** Set when a waiver in the spec accepts this finding. */
  waived?: { reason: string };
  /**
   * The input could not be read at all (missing file, not UTF-8, too large): the command
   * exits 2 rather than 1.
   */
  unreadable?: boolean;
}

/** The compliance controls a finding concerns. */
export interface Compliance {
  /** Baseline ID, e.g. disa-stig-windows-server-2022. */
  baseline: string;
  /** Control IDs, e.g. WN22-CC-000470 and V-254378, or a CIS section number. */
  controls: string[];
  /** CAT I / CAT II for STIG, Level 1 / Level 2 for CIS. */
  severity: string;
}

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in UTF-16 code units like most editors. */
  column: number;
}

/** Source text with a line index, to turn offsets into positions when printing. */
export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - (this.lineStarts[lo] as number) + 1 };
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.lineStarts[line - 1] ?? this.text.length;
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    const raw = this.text.slice(start, next === undefined ? undefined : next - 1);
    return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  }
}

/** What validating one spec file produced. */
export interface FileReport {
  file: string;
  /** Undefined when the file could not be read. */
  source?: SourceText;
  diagnostics: Diagnostic[];
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Order by position, then severity, then rule ID: stable across runs and machines. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.range.start - b.range.start ||
      severityRank[a.severity] - severityRank[b.severity] ||
      byCodePoint(a.ruleId, b.ruleId) ||
      byCodePoint(a.message, b.message),
  );
}

/** Exit code for a set of reports: 2 unreadable input, 1 findings that fail, 0 clean. */
export function exitCodeFor(reports: readonly FileReport[], strict: boolean): 0 | 1 | 2 {
  const all = reports.flatMap((r) => r.diagnostics).filter((d) => !d.waived);
  if (all.some((d) => d.unreadable)) return 2;
  if (all.some((d) => d.severity === 'error' || (strict && d.severity === 'warning'))) return 1;
  return 0;
}
