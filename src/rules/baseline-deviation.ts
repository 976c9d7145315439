import { controlSeverity, deviationMessage, evaluateBaseline, policyValueName } from './baselines.js';
import type { Finding, Rule } from './rule.js';

export const rule: Rule = {
  id: 'baseline-deviation',
  severity: 'error',
  description: 'A spec setting contradicts a control of the compliance baseline chosen with --baseline or defaults.baseline.',
  source: 'baselines/*.json (DISA STIG and CIS benchmark controls, each with the public source it was checked against)',
  check(context) {
    const { baseline } = context;
    if (!baseline) return [];
    return evaluateBaseline(context, baseline)
      .filter((r) => r.status === 'deviated' && r.path !== undefined)
      .map(
        (r): Finding => ({
          path: r.path!,
          host: r.host,
          message: deviationMessage(baseline, r),
          hint: r.breaksConnection
            ? `Get a Group Policy exception for ${policyValueName(r.control.registry)} on ${r.host} and record it as a waiver of baseline-deviation for ${r.host} with its reason, or connect to the Exchange endpoint (http(s)://<server>/PowerShell/) instead.`
            : `Change the setting so that the control is met, or record the exception as a waiver of baseline-deviation for ${r.host} with its reason.`,
          compliance: { baseline: baseline.id, controls: [...r.control.ids], severity: controlSeverity(r.control) },
        }),
      );
  },
};
