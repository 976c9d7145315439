/**
 * Stage 3b: apply the spec's waivers. A waiver accepts the findings of one rule for one host
 * (or, without host, those that concern no single host), and when it names a control, only the
 * findings about that baseline control, and when it names a field (secret-in-spec), only the
 * finding about that value (pinned by its SHA-256 when given); waived findings stay in the report, marked, and no
 * longer count towards the exit code. A finding of a rule marked `waivable: false` is never
 * waived (waiver-not-waivable reports the waiver).
 */
import type { Diagnostic } from '../shared/diagnostics.js';
import type { Waiver } from '../spec/spec-types.js';

/**
 * Rules whose host-less waivers must name the one value they accept (`field:`): a blanket one
 * would accept every such finding, present and future (waiver-too-broad reports it).
 */
export const FIELD_WAIVER_RULES: ReadonlySet<string> = new Set(['secret-in-spec']);

/** A waiver that would accept every host-less finding of a rule that needs `field:`. */
export function tooBroad(waiver: Waiver): boolean {
  return FIELD_WAIVER_RULES.has(waiver.rule) && waiver.host === undefined && waiver.field === undefined;
}

export function matches(waiver: Waiver, d: Diagnostic): boolean {
  if (waiver.rule !== d.ruleId || d.waivable === false || tooBroad(waiver)) return false;
  // A waiver naming a field accepts only the finding about that value, and with sha256 only
  // while the value is the one accepted.
  if (waiver.field !== undefined && d.field !== waiver.field) return false;
  if (waiver.sha256 !== undefined && d.valueSha256 !== waiver.sha256.toLowerCase()) return false;
  // A waiver naming a control accepts only findings about that control (baseline-deviation).
  if (waiver.control !== undefined && !(d.compliance?.controls.includes(waiver.control) ?? false)) return false;
  if (waiver.host === undefined) return d.host === undefined;
  return d.host !== undefined && d.host.toLowerCase() === waiver.host.toLowerCase();
}

export function applyWaivers(diagnostics: readonly Diagnostic[], waivers: readonly Waiver[] = []): Diagnostic[] {
  return diagnostics.map((d) => {
    const waiver = waivers.find((w) => matches(w, d));
    return waiver ? { ...d, waived: { reason: waiver.reason } } : d;
  });
}
