/**
 * What a semantic rule is: one module per rule under src/rules/, listed in src/rules/index.ts,
 * documented in docs/rules/<id>.md. Rules are pure: they ask the model for every derived fact
 * (defaults, resolved references, URI endpoints, OS facts), read the typed spec for values as
 * written, and return findings located by a path into the YAML document; the linter turns
 * paths into ranges.
 */
import type { Document } from 'yaml';
import type { Baseline } from './baselines.js';
import type { Compliance, Diagnostic, Severity } from '../shared/diagnostics.js';
import type { Spec } from '../spec/spec-types.js';
import type { SpecModel } from '../model/model.js';

/** Path of a YAML node, e.g. ['syncServers', 0, 'connections', 1, 'uri']. */
export type SpecPath = readonly (string | number)[];

export interface Finding {
  /** The offending node. */
  path: SpecPath;
  /** Point at this key of the mapping at `path` rather than at the whole mapping. */
  key?: string;
  /** One sentence naming the actual hosts and values. */
  message: string;
  /** How to fix it. */
  hint: string;
  /**
   * The host whose entry holds the offending value (or the host it concerns when the value
   * sits in defaults); a waiver with this host accepts the finding.
   */
  host?: string;
  /**
   * This finding's severity when it differs from the rule's (product-lifecycle: an error for
   * Exchange 2010 and 2013 with defaults.strictLifecycle).
   */
  severity?: Severity;
  /** Findings about a compliance baseline: the controls concerned (SARIF tags, PLAN.md). */
  compliance?: Compliance;
  /** The value at `path` looks like a secret: every excerpt of the spec masks it. */
  secret?: true;
  /** Dotted path of the one value the finding is about, which a waiver may name (`field:`). */
  field?: string;
  /** SHA-256 (hex) of that value, matched against a waiver's sha256; never printed. */
  valueSha256?: string;
}

export interface RuleContext {
  /** The spec as written: values the rules quote, and the positions findings are located by. */
  spec: Spec;
  /**
   * Its model (src/model/): every derived fact, one implementation shared with the plan. Total,
   * so an unresolved reference is a null here (`'open'`) that the reference rules report.
   */
  model: SpecModel<'open'>;
  document: Document.Parsed;
  /** IDs of every rule in the registry (for rules about waivers). */
  ruleIds: readonly string[];
  /** IDs of the rules whose findings no waiver accepts (`waivable: false`). */
  unwaivableRuleIds: readonly string[];
  /**
   * Findings of all other rules, for rules marked `afterOthers` (empty for the others).
   * Not yet marked as waived.
   */
  findings: readonly Diagnostic[];
  /** The compliance baseline chosen (--baseline, else defaults.baseline), if any. */
  baseline?: Baseline;
  /** The day support dates are compared with (LintOptions.today, else the clock). */
  today: Date;
}

export interface Rule {
  /** Stable kebab-case ID; also the name of the module and of docs/rules/<id>.md. */
  id: string;
  severity: Severity;
  /** One line, shown by `winrm-forge explain` and as the SARIF short description. */
  description: string;
  /** Where the knowledge comes from: a source document (title and link) or a public reference URL. */
  source: string;
  /** Runs after every other rule and sees their findings in the context. */
  afterOthers?: boolean;
  /**
   * false: no waiver accepts a finding of this rule. Set on unresolved references and on
   * mistakes the scripts cannot be generated around (generation would model a host, forest or
   * certificate that is not there); waiver-not-waivable reports a waiver that tries.
   */
  waivable?: false;
  check(context: RuleContext): Finding[];
}
