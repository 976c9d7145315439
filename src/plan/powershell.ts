/**
 * The Windows PowerShell each host's scripts are written for, decided after the steps are
 * planned: a host below 5.1 gets scripts for its version when every template it needs has the
 * down-level forms (templates/_ps-*.hbs partials and `host.ps` branches); PLAN.md says which
 * version and why. Pure; plan() calls `applyPowerShellTargets` once over the finished hosts.
 */
import type { EnvironmentModel } from '../model/model.js';
import { indexBy, oncePer } from '../shared/memo.js';
import type { HostPlan } from './types.js';
import { powershellFacts, type PowerShellFacts } from '../model/powershell-version.js';

/** Templates written for Windows PowerShell 2.0 (and so for 3.0 and 4.0) as well as 5.1. */
export const DOWNLEVEL_TEMPLATES: ReadonlySet<string> = new Set<string>(['remote-management-users', 'ipv4-preference', 'rebind-certificate', 'run-all', 'winrm-service', 'trusted-hosts', 'winrm-settings', 'execution-policy', 'verify-sync-server', 'enable-remoting', 'firewall', 'powershell-virtual-directory', 'winrm-listeners', 'recycle-app-pool', 'verify-exchange', 'ad-delegation', 'tgt-delegation', 'verify-domain-controller', 'arr-https-binding', 'arr-server-farm', 'arr-rewrite-rule', 'verify-reverse-proxy']);

/** Hosts the spec gives no OS and no version (domain controllers, outside clients): the scripts' long-standing target. */
export const WINDOWS_POWERSHELL_51: PowerShellFacts = powershellFacts(undefined, 'windows-server-2016', null);

// The first declaration of a name wins, as a search would find it; a forest's AD host is its first domain controller.
const powershellHosts = oncePer((environment: EnvironmentModel) =>
  indexBy([...environment.exchange, ...environment.syncServers, ...environment.reverseProxies, ...environment.forests.flatMap((f) => f.domainControllers.slice(0, 1))], (h) => h.host),
);

/**
 * What the host runs, as the model derived or the spec declared; for a forest's AD host, its first
 * declared domain controller's; 5.1 for an AD host the spec declares no domain controller for.
 */
export function hostPowerShell(environment: EnvironmentModel, host: string): PowerShellFacts {
  return powershellHosts(environment).get(host)?.powershell ?? WINDOWS_POWERSHELL_51;
}

/** Scripts of a host whose templates have no down-level forms yet. */
function scriptsWithoutDownlevel(host: HostPlan): string[] {
  const scripts = [host.runAll, ...host.steps, ...host.extras, host.verify];
  return scripts.filter((s) => !DOWNLEVEL_TEMPLATES.has(s.template)).map((s) => s.fileName);
}

/**
 * The version the host's scripts are rendered for: its own when below 5.1 and every template it
 * needs is written for that version, else 5.1.
 */
export function scriptTarget(environment: EnvironmentModel, host: HostPlan): PowerShellFacts {
  const facts = hostPowerShell(environment, host.host);
  if (!facts.legacy) return facts;
  return scriptsWithoutDownlevel(host).length === 0 ? facts : WINDOWS_POWERSHELL_51;
}

/** Says in each host's section which Windows PowerShell its scripts target and why; sets where to run them. */
export function applyPowerShellTargets(environment: EnvironmentModel, hosts: HostPlan[]): void {
  for (const host of hosts) {
    const facts = hostPowerShell(environment, host.host);
    const target = scriptTarget(environment, host);
    host.powershell = target;
    if (!facts.legacy && !facts.declared) continue;
    if (target.version === facts.version) {
      if (target.v2) describeVersion2Limits(host);
      if (facts.legacy && host.role === 'reverse-proxy') describeProxyLimits(environment, host, facts);
      host.runFrom = host.runFrom.replace('Windows PowerShell 5.1 console', `Windows PowerShell ${facts.version} console`);
      host.notes.unshift(
        `The scripts are written for Windows PowerShell ${facts.version} (${facts.reason}): they use only the syntax and commands that version has${facts.legacy ? `, and the forms older releases offer where a cmdlet came later (${olderForms(host, facts)})` : ''}.`,
      );
    } else {
      host.notes.unshift(
        `This host runs Windows PowerShell ${facts.version} (${facts.reason}), but its scripts are written for Windows PowerShell 5.1 (#Requires -Version 5.1): ${scriptsWithoutDownlevel(host).join(', ')} have no forms for older versions yet. Install WMF 5.1 where the host supports it, or apply the settings listed here by hand.`,
      );
    }
  }
}

/** The older forms a host's scripts use, named in PLAN.md: those of its role. */
function olderForms(host: HostPlan, facts: PowerShellFacts): string {
  if (host.role === 'reverse-proxy') return facts.v2 ? 'the IIS:\\SslBindings drive for the 443 certificate, System.Net.WebClient for the published URL' : 'the IIS:\\SslBindings drive for the 443 certificate';
  return 'Get-WmiObject, netsh advfirewall, net localgroup, winrm.cmd, reg.exe';
}

/**
 * What a reverse proxy's scripts do differently below 5.1, said in PLAN.md with the source: the 443
 * certificate through HTTP.sys (IIS 7.5 on Windows Server 2008 R2 documents no certificate in the
 * site binding), the published URL through System.Net.WebClient on 2.0, and the external client test
 * that stays on 5.1.
 */
function describeProxyLimits(environment: EnvironmentModel, host: HostPlan, facts: PowerShellFacts): void {
  host.notes.push(
    'The 443 certificate is read and bound in HTTP.sys through the IIS:\\SslBindings drive of WebAdministration (IIS:\\SslBindings\\0.0.0.0!443 for the binding *:443, New-Item with the certificate as -Value), the route the IIS 7 PowerShell snap-in documents (MicrosoftDocs/iis-docs, "Configuring SSL with the IIS PowerShell Snap-in"); a certificate HTTP.sys already holds there for another thumbprint is reported, never replaced (netsh http show sslcert ipport=0.0.0.0:443 shows it).',
  );
  if (facts.v2) {
    host.notes.push(
      'verify.ps1 requests the published URL with System.Net.WebClient (Invoke-WebRequest came with Windows PowerShell 3.0) on .NET Framework 3.5, whose client offers SSL 3.0 and TLS 1.0 only: where TLS 1.0 is turned off on this server, the request gets no answer until the TLS 1.2 update for .NET Framework 3.5.1 is installed and SystemDefaultTlsVersions set (learn.microsoft.com/dotnet/framework/network-programming/tls).',
    );
  }
  const proxy = environment.reverseProxies.find((p) => p.host === host.host);
  if (proxy?.externalClient) {
    host.notes.push(
      `clients/${proxy.publishedName}/external-client-test.ps1 stays on Windows PowerShell 5.1: it runs outside the network, on a computer of the external administrator that the spec does not describe, not on ${host.host}.`,
    );
  }
}

/**
 * What Windows PowerShell 2.0 cannot do the way the 5.1 scripts do it, said in the scripts' help
 * and PLAN.md with the manual step and its source.
 */
function describeVersion2Limits(host: HostPlan): void {
  for (const step of host.steps) {
    if (step.template !== 'enable-remoting') continue;
    step.synopsis = step.synopsis.replace('Enable-PSRemoting -SkipNetworkProfileCheck -Force', 'Enable-PSRemoting -Force');
    step.description = [
      ...step.description,
      'Windows PowerShell 2.0 has no -SkipNetworkProfileCheck (it came with 3.0, PowerShell-Docs reference/3.0/Microsoft.PowerShell.Core/Enable-PSRemoting.md): on 2.0 Enable-PSRemoting refuses to run while a network connection of the host is Public.',
    ];
    host.notes.push(
      `Enable-PSRemoting on Windows PowerShell 2.0 has no -SkipNetworkProfileCheck (added in 3.0, PowerShell-Docs reference/3.0/Microsoft.PowerShell.Core/Enable-PSRemoting.md): if ${step.fileName} stops because a network connection is Public, make that connection Domain or Private (Network and Sharing Center) or disconnect it, then run the step again.`,
    );
  }
}
