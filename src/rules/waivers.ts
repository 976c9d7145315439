/**
 * Stage 3b: apply the spec's waivers. A waiver accepts the findings of one rule for one host
 * (or, without host, those that concern no single host), and when it names a control, only the
 * findings about that baseline control; waived findings stay in the report, marked, and no
 * longer count towards the exit code. A finding of a rule marked `waivable: false` is never
 * waived (waiver-not-waivable reports the waiver).
 */
import type { Diagnostic } from '../shared/diagnostics.js';
import type { Waiver } from '../spec/spec-types.js';

export function matches(waiver: Waiver, d: Diagnostic): boolean {
  if (waiver.rule !== d.ruleId || d.waivable === false) return false;
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
