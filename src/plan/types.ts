/** What the plan stage hands to render: scripts per host, run order, flows, firewall rules, troubleshooting. */
import type { PowerShellFacts } from '../model/powershell-version.js';
import type { EnvironmentModel, OsFacts } from '../model/model.js';
import type { FirewallProfile } from '../spec/spec-types.js';
import type { ComplianceSection } from '../shared/compliance-section.js';
import type { TemplateData, TemplateName } from './template-data.js';

export type { TemplateData, TemplateName } from './template-data.js';

export type HostRole = 'exchange' | 'domain-controller' | 'sync-server' | 'reverse-proxy';

/** What a script does to the machine it runs on. */
export type ScriptKind = 'change' | 'check';

/** What every script file has, whatever its template. */
export interface ScriptFields {
  /** e.g. 03-firewall.ps1 */
  fileName: string;
  /** e.g. 03-firewall: the name in log lines. */
  stepName: string;
  synopsis: string;
  /** Paragraphs of .DESCRIPTION. */
  description: string[];
  /** A change (its help shows the -WhatIf example) or a read-only check. Elevation and ShouldProcess come from its template's head. */
  kind: ScriptKind;
  /** One line for PLAN.md: what a reviewer should expect this script to set. */
  summary: string;
  /** Where to run this script when it differs from its host's runFrom. */
  runFrom?: string;
}

/** A script rendered by template K, with the data that template reads, as a step builds it. */
export type ScriptFor<K extends TemplateName> = ScriptFields & { template: K; data: TemplateData[K] };

/** One script file: which template renders it, and the data it gets. */
export type ScriptPlan = { [K in TemplateName]: ScriptFor<K> }[TemplateName];

/** The scripts of the plan rendered by template K. */
export type ScriptOf<K extends TemplateName> = Extract<ScriptPlan, { template: K }>;

export interface HostPlan {
  host: string;
  folder: string;
  role: HostRole;
  roleLabel: string;
  os: OsFacts | null;
  /** Where the operator runs the scripts (elevated console, Exchange Management Shell). */
  runFrom: string;
  /** Numbered steps, run in this order by run-all.ps1. */
  steps: ScriptPlan[];
  verify: ScriptPlan;
  /** run-all.ps1: the steps in order (src/plan/run-order.ts). */
  runAll: ScriptPlan;
  /** Scripts run on demand, outside run-all (certificate rebind). */
  extras: ScriptPlan[];
  notes: string[];
  /** The Windows PowerShell the scripts are written for (set by applyPowerShellTargets; 5.1 when unset). */
  powershell?: PowerShellFacts;
}

/** A host's plan as its own module makes it, before run-all.ps1 is added. */
export type HostSteps = Omit<HostPlan, 'runAll'>;

export interface RunStage {
  order: number;
  host: string;
  folder: string;
  /** 'restart': the operator restarts the host, then runs its run-all.ps1 (path) again. */
  script: 'run-all.ps1' | 'verify.ps1' | 'external-client-test.ps1' | 'recycle-powershell-app-pool.ps1' | 'restart';
  /** Relative to the environment folder: hosts/<host>/run-all.ps1, clients/<name>/external-client-test.ps1. */
  path: string;
  why: string;
}

export interface PortFlow {
  from: string;
  fromIp: string | null;
  fromIpv6: string | null;
  to: string;
  toIp: string | null;
  toIpv6: string | null;
  protocol: 'TCP' | 'UDP';
  port: number;
  purpose: string;
  /** Checked by verify.ps1 on the source (TCP), or how to check it otherwise. */
  check: string;
}

export interface FirewallRulePlan {
  host: string;
  name: string;
  displayName: string;
  port: number;
  remoteAddresses: string[];
  profiles: FirewallProfile[];
  purpose: string;
}

export interface TroubleshootingRow {
  symptom: string;
  cause: string;
  fix: string;
}

export interface Plan {
  environment: EnvironmentModel;
  hosts: HostPlan[];
  runOrder: RunStage[];
  flows: PortFlow[];
  firewallRules: FirewallRulePlan[];
  /** Findings of the check (warnings, infos, waived errors), shown in PLAN.md. */
  findings: { severity: string; ruleId: string; message: string; line: number; waived: string | null }[];
  notes: string[];
  troubleshooting: TroubleshootingRow[];
  /** Scripts run from a client outside the environment (the external client test of a published name). */
  clients: ClientScriptPlan[];
  /** PLAN.md's Compliance section, when a baseline was chosen (set by generateFrom). */
  compliance?: ComplianceSection;
}

/** A script for a computer the spec does not manage, written to clients/<folder>/. */
export interface ClientScriptPlan {
  folder: string;
  /** What the script tests, for its banner line. */
  label: string;
  runFrom: string;
  script: ScriptPlan;
}
