/**
 * What a setting is when neither the host nor the spec's `defaults` names it, and how a host's
 * own value, the spec's default and this fallback combine. The model applies these; the rules
 * ask the same functions, so a rule never judges a value the scripts will not set. Where the
 * schema documents a default (`default:`), test/defaults.test.ts holds it equal to the one here.
 */
import type { CbtHardening, ExecutionPolicy, FirewallProfile, Listener, OsVersion, PreferIPv4 } from '../spec/spec-types.js';

/** OS assumed for a host that declares none (and has no default): forms valid on 2012 R2 work on every later release. */
export const ASSUMED_OS: OsVersion = 'windows-server-2012-r2';
/** Windows' own CbtHardeningLevel for the WinRM service. */
export const DEFAULT_CBT_HARDENING: CbtHardening = 'relaxed';
export const DEFAULT_PREFER_IPV4: PreferIPv4 = 'none';
export const DEFAULT_EXECUTION_POLICY: ExecutionPolicy = 'unmanaged';
export const DEFAULT_FIREWALL_PROFILES: readonly FirewallProfile[] = ['domain'];
/** The WinRM service's authentication as Windows installs it: Kerberos and Negotiate on, the others off. */
export const DEFAULT_SERVICE_AUTH = { kerberos: true, negotiate: true, basic: false, certificate: false, credSSP: false } as const;
/** The WinRM client's as Windows installs it: every mechanism on but CredSSP. */
export const DEFAULT_CLIENT_AUTH = { kerberos: true, negotiate: true, basic: true, digest: true, certificate: true, credSSP: false } as const;
/** The WinRM service's IPv4Filter and IPv6Filter as installed (and Group Policy's when it allows remote management). */
export const DEFAULT_ADDRESS_FILTER = '*';
/** Prefer-IPv4 value written to DisabledComponents when the spec gives none (KB 929852: 0x20). */
export const PREFER_IPV4_DISABLED_COMPONENTS = 0x20;

/** The port of a WinRM listener: its own, else 5985 for http and 5986 for https (WinRM 2.0 and later). */
export function listenerPort(listener: Pick<Listener, 'transport' | 'port'>): number {
  return listener.port ?? (listener.transport === 'https' ? 5986 : 5985);
}

/** A host's value, else the spec's default, else the fallback. */
function inherited<T>(own: T | undefined, specDefault: T | undefined, fallback: T): T {
  return own ?? specDefault ?? fallback;
}

export const cbtHardening = (own: CbtHardening | undefined, specDefault: CbtHardening | undefined): CbtHardening => inherited(own, specDefault, DEFAULT_CBT_HARDENING);
export const preferIPv4 = (own: PreferIPv4 | undefined, specDefault: PreferIPv4 | undefined): PreferIPv4 => inherited(own, specDefault, DEFAULT_PREFER_IPV4);
export const executionPolicy = (own: ExecutionPolicy | undefined, specDefault: ExecutionPolicy | undefined): ExecutionPolicy => inherited(own, specDefault, DEFAULT_EXECUTION_POLICY);
export const hostOs = (own: OsVersion | undefined, specDefault: OsVersion | undefined): OsVersion => inherited(own, specDefault, ASSUMED_OS);
export const firewallProfiles = (own: readonly FirewallProfile[] | undefined, specDefault: readonly FirewallProfile[] | undefined): readonly FirewallProfile[] =>
  inherited(own, specDefault, DEFAULT_FIREWALL_PROFILES);
