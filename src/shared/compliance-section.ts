/**
 * PLAN.md's Compliance section as data: built by the rules stage (src/rules/compliance.ts),
 * carried by the plan, shown by render.
 */
export interface ComplianceRow {
  host: string;
  controls: string;
  severity: string;
  title: string;
  policy: string;
  status: 'met' | 'deviated' | 'not applicable';
  detail: string;
}

export interface ComplianceBreak {
  host: string;
  controls: string;
  policy: string;
  detail: string;
  waiver: string;
}

export interface ComplianceSection {
  id: string;
  title: string;
  rows: ComplianceRow[];
  breaks: ComplianceBreak[];
  hasBreaks: boolean;
}
