/**
 * PLAN.md's Compliance section: for the chosen baseline, every control against every managed
 * host (met, deviated with the waiver's reason, or not applicable), and the policy values the
 * baseline forces that would break a connection of the spec. Pure; built from the same
 * evaluation the baseline-deviation rule reports, so the two never disagree.
 */
import { controlSeverity, deviationMessage, evaluateBaseline, findBaseline, policyValueName, type ControlResult } from './baselines.js';
import type { Diagnostic } from '../shared/diagnostics.js';
import type { Facts } from './facts.js';
import type { ComplianceBreak, ComplianceRow, ComplianceSection } from '../shared/compliance-section.js';
import { gpoExceptions } from './gpo-exceptions.js';

export type { ComplianceSection };

/**
 * The section for `cliBaseline` (else the spec's defaults.baseline), or undefined when no
 * baseline is chosen. `diagnostics` are the check's findings, waivers applied.
 */
export function complianceSection(facts: Facts, cliBaseline: string | undefined, diagnostics: readonly Diagnostic[]): ComplianceSection | undefined {
  const id = cliBaseline ?? facts.spec.defaults?.baseline;
  const baseline = id === undefined ? undefined : findBaseline(id);
  if (!baseline) return undefined;
  const results = evaluateBaseline(facts, baseline);
  const waiverOf = (r: ControlResult) => diagnostics.find((d) => d.ruleId === 'baseline-deviation' && d.host === r.host && d.message === deviationMessage(baseline, r))?.waived?.reason;
  const rows: ComplianceRow[] = [];
  const breaks: ComplianceBreak[] = [];
  const otherOs = new Set<string>();
  for (const r of results) {
    const controls = r.control.ids.join(', ');
    const policy = policyValueName(r.control.registry);
    if (r.status === 'not-applicable' && r.what.includes('the baseline covers')) {
      // A host the baseline does not cover at all: one row, not one per control.
      if (otherOs.has(r.host)) continue;
      otherOs.add(r.host);
      rows.push({ host: r.host, controls: 'all', severity: '', title: '', policy: '', status: 'not applicable', detail: r.what });
      continue;
    }
    const waiver = r.status === 'deviated' ? waiverOf(r) : undefined;
    const detail = r.status === 'deviated' ? `${r.what}; ${r.scenario ?? ''}; ${waiver ? `waived: ${waiver}` : 'not waived'}` : r.what;
    rows.push({ host: r.host, controls, severity: controlSeverity(r.control), title: r.control.title, policy, status: r.status === 'not-applicable' ? 'not applicable' : r.status, detail });
    if (r.breaksConnection) breaks.push({ host: r.host, controls, policy, detail: `${r.what}: ${r.scenario ?? ''}`, waiver: waiver ?? 'not waived' });
  }
  const exceptions = gpoExceptions(facts.model, results, waiverOf);
  return {
    id: baseline.id,
    title: baseline.title,
    rows,
    breaks,
    hasBreaks: breaks.length > 0,
    exceptions,
  };
}
