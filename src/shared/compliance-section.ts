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
  /** Policy values the waived deviations need, per host (render writes them as a GPO script); empty without a waiver. */
  exceptions: GpoException[];
}

export interface GpoExceptionValue {
  /** Registry key as Set-GPRegistryValue takes it: HKLM\SOFTWARE\Policies\... */
  key: string;
  valueName: string;
  type: 'DWord' | 'String';
  /** DWORD data as a number, strings as they are. */
  dword: number | null;
  text: string | null;
  /** The data as PLAN.md shows it. */
  shown: string;
  /** The control IDs the exception is granted against, and the waiver's reason. */
  controls: string;
  reason: string;
}

export interface GpoException {
  host: string;
  values: GpoExceptionValue[];
}
