/**
 * Stage "plan": decides what runs where and in which order. Pure: from the normalized
 * environment to ordered scripts per host (each with the data its template needs), the
 * cross-host run order, the port matrix and the host firewall rules. Rendering only formats
 * what this stage decided. One module per kind of host; this one puts them together.
 */
import type { Diagnostic } from '../shared/diagnostics.js';
import type { EnvironmentModel } from '../model/model.js';
import { clientScriptPath } from '../output/layout.js';
import { planDomainControllers } from './domain-controllers.js';
import { planExchange } from './exchange.js';
import { firewallRulesFor, syncFlows } from './firewall.js';
import { planExternalClient, planReverseProxy } from './reverse-proxy.js';
import { planSync } from './sync-server.js';
import { troubleshooting } from './troubleshooting.js';
import { applyPowerShellTargets } from './powershell.js';
import { runAllScript, runOrder } from './run-order.js';
import type { HostPlan, HostSteps, Plan } from './types.js';
import { exchangeAccessChecks } from './exchange-access.js';

export type * from './types.js';
export { POWERSHELL_PATTERN } from './reverse-proxy.js';
export { SCRIPT_TEMPLATES } from './template-data.js';
export { tgtDelegationDeclared } from './domain-controllers.js';

export interface PlanInput {
  environment: EnvironmentModel;
  /** Diagnostics of the check, to list as findings. */
  diagnostics: readonly Diagnostic[];
  /** Line of a diagnostic, for PLAN.md. */
  lineOf: (d: Diagnostic) => number;
}

const withRunAll = (host: HostSteps): HostPlan => ({ ...host, runAll: runAllScript(host.host, host.steps, host.verify) });

export function plan(input: PlanInput): Plan {
  const { environment } = input;
  const notes: string[] = [];
  const firewallRules = environment.exchange.flatMap((x) => firewallRulesFor(environment, x, notes));
  // Grouped once: filtering every rule for every server grew with the square of the estate.
  const rulesByHost = new Map<string, typeof firewallRules>();
  for (const rule of firewallRules) {
    const rules = rulesByHost.get(rule.host);
    if (rules) rules.push(rule);
    else rulesByHost.set(rule.host, [rule]);
  }
  const exchangeHosts = environment.exchange.map((x) => withRunAll(planExchange(x, rulesByHost.get(x.host) ?? [], exchangeAccessChecks(environment, x))));
  const dcHosts = planDomainControllers(environment, notes).map(withRunAll);
  const flows = environment.syncServers.flatMap((s) => syncFlows(environment, s));
  for (const proxy of environment.reverseProxies) {
    flows.push({ from: 'internet clients', fromIp: null, fromIpv6: null, to: proxy.host, toIp: proxy.ip, toIpv6: proxy.ipv6, protocol: 'TCP', port: 443, purpose: `Published /PowerShell (${proxy.publishedName})`, check: proxy.externalClient ? clientScriptPath(proxy.publishedName, 'external-client-test.ps1') : 'a request from outside to the published URL' });
    for (const { server } of proxy.backendServers) {
      flows.push({ from: proxy.host, fromIp: proxy.ip, fromIpv6: proxy.ipv6, to: server.host, toIp: server.ip, toIpv6: server.ipv6, protocol: 'TCP', port: 443, purpose: 'ARR to the Exchange server (https only)', check: 'verify.ps1 (TCP connect)' });
    }
  }
  const syncHosts = environment.syncServers.map((s) => withRunAll(planSync(environment, s, flows.filter((f) => f.from === s.host))));
  const proxyHosts = environment.reverseProxies.map((p) => withRunAll(planReverseProxy(environment, p)));
  const clients = environment.reverseProxies.flatMap((p) => planExternalClient(environment, p) ?? []);
  for (const p of environment.reverseProxies.filter((p) => !p.externalClient)) {
    notes.push(`${p.host} publishes https://${p.publishedName}/PowerShell, but the spec declares no externalClient: no external client test is generated.`);
  }
  if (environment.syncServers.length === 0) notes.push('The spec declares no sync server: no client configuration or session test is generated.');

  const order = runOrder({ exchange: exchangeHosts, domainControllers: dcHosts, syncServers: syncHosts, reverseProxies: proxyHosts, clients });

  const findings = input.diagnostics
    .filter((d) => d.severity !== 'error' || d.waived)
    .map((d) => ({ severity: d.severity, ruleId: d.ruleId, message: d.message, line: input.lineOf(d), waived: d.waived ? d.waived.reason : null }));

  const hosts = [...exchangeHosts, ...dcHosts, ...syncHosts, ...proxyHosts];
  applyPowerShellTargets(environment, hosts);
  return {
    environment,
    hosts,
    runOrder: order,
    flows,
    firewallRules,
    findings,
    notes,
    troubleshooting: troubleshooting(environment),
    clients,
  };
}
