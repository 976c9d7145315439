/** Building blocks every host's plan uses: drafts of numbered steps, the WinRM service step, the IPv4 preference, WSMan policy names. */
import type { FirewallProfile } from '../spec/spec-types.js';
import type { ScriptFor, ScriptKind, ScriptPlan, TemplateData, TemplateName } from './types.js';
import { byCodePoint } from '../shared/order.js';

export const ELEVATED = 'an elevated Windows PowerShell 5.1 console (64-bit)';
export const FIREWALL_GROUP = 'winrm-forge';

export const profileName: Record<FirewallProfile, string> = { domain: 'Domain', private: 'Private', public: 'Public' };
export const profileBit: Record<FirewallProfile, number> = { domain: 1, private: 2, public: 4 };

export const cbtValue = { none: 'None', relaxed: 'Relaxed', strict: 'Strict' } as const;
export const policyValue = { 'all-signed': 'AllSigned', 'remote-signed': 'RemoteSigned', unrestricted: 'Unrestricted', bypass: 'Bypass' } as const;
export const psAuthentication = { kerberos: 'Kerberos', basic: 'Basic', negotiate: 'Negotiate', default: 'Default' } as const;

export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(byCodePoint);
}

export function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function shortName(host: string): string {
  return host.slice(0, host.indexOf('.'));
}

/** A step before it is numbered: every field but its file and step name. */
export type UnnumberedStep = { [K in TemplateName]: Omit<ScriptFor<K>, 'fileName' | 'stepName'> }[TemplateName];

/** Numbers steps in order and names their files. */
export function numbered(steps: UnnumberedStep[], slugs: string[]): ScriptPlan[] {
  return steps.map((step, i) => {
    const stepName = `${pad(i + 1)}-${slugs[i]}`;
    return { ...step, stepName, fileName: `${stepName}.ps1` };
  });
}

export interface Draft {
  slug: string;
  step: UnnumberedStep;
}

/** What a step needs before it is numbered; `kind` defaults to a change. */
export interface DraftFields<K extends TemplateName> {
  slug: string;
  template: K;
  synopsis: string;
  description: string[];
  summary: string;
  data: TemplateData[K];
  kind?: ScriptKind;
}

export function draft<K extends TemplateName>({ slug, template, synopsis, description, summary, data, kind = 'change' }: DraftFields<K>): Draft {
  const step: Omit<ScriptFor<K>, 'fileName' | 'stepName'> = { template, synopsis, description, summary, data, kind };
  // The signature ties `data` to `template`; TypeScript cannot follow that into the union by itself.
  return { slug, step: step as UnnumberedStep };
}

/** The first step of every Windows host: WinRM automatic and running; `why` says what needs it there. */
export function winrmServiceDraft(host: string, why: string): Draft {
  return draft({
    slug: 'winrm-service',
    template: 'winrm-service',
    synopsis: `Sets the WinRM service on ${host} to start automatically and starts it.`,
    description: [why],
    summary: 'WinRM service: startup Automatic, running',
    data: {},
  });
}

export function build(drafts: Draft[]): ScriptPlan[] {
  return numbered(
    drafts.map((d) => d.step),
    drafts.map((d) => d.slug),
  );
}

/** A script outside the numbered steps (verify.ps1, extras), named by its file. */
export interface ScriptInput<K extends TemplateName> {
  fileName: string;
  template: K;
  synopsis: string;
  description: string[];
  summary: string;
  data: TemplateData[K];
  kind: ScriptKind;
}

export function script<K extends TemplateName>({ fileName, template, synopsis, description, summary, data, kind }: ScriptInput<K>): ScriptFor<K> {
  return { fileName, stepName: fileName.replace(/\.ps1$/, ''), template, synopsis, description, summary, data, kind };
}

/** What verify.ps1 checks of the IPv4 preference the spec asks for, or null when it asks none. */
export function ipv4PreferenceCheck(host: { preferIPv4: string; disabledComponents: number }): { prefixPolicy: boolean; registry: boolean; disabledComponents: number } | null {
  if (host.preferIPv4 === 'none') return null;
  return {
    prefixPolicy: host.preferIPv4 === 'prefix-policy' || host.preferIPv4 === 'both',
    registry: host.preferIPv4 === 'registry' || host.preferIPv4 === 'both',
    disabledComponents: host.disabledComponents,
  };
}

export function ipv4PreferenceDraft(host: { preferIPv4: string; disabledComponents: number; host: string }): Draft | null {
  if (host.preferIPv4 === 'none') return null;
  const prefixPolicy = host.preferIPv4 === 'prefix-policy' || host.preferIPv4 === 'both';
  const registry = host.preferIPv4 === 'registry' || host.preferIPv4 === 'both';
  const parts = [
    ...(prefixPolicy ? ['prefix policy ::ffff:0:0/96 above ::/0 (netsh, immediate)'] : []),
    ...(registry ? [`DisabledComponents = 0x${host.disabledComponents.toString(16).toUpperCase()} (reboot required)`] : []),
  ];
  return draft({
    slug: 'ipv4-preference',
    template: 'ipv4-preference',
    synopsis: `Makes ${host.host} prefer IPv4 over IPv6 without disabling IPv6.`,
    description: [
      'A client that resolves a name to IPv6 while WinRM listens on IPv4 only is refused by name and works by IPv4 address (the Monosync Exchange Integration guide). Preferring IPv4 fixes that; disabling IPv6 is not supported by Microsoft (KB 929852).',
      ...(registry ? ['The DisabledComponents registry value takes effect after a reboot; the script says so and does not reboot.'] : []),
    ],
    summary: `IPv4 preference: ${parts.join('; ')}`,
    data: { prefixPolicy, registry, disabledComponents: host.disabledComponents },
  }
  );
}
