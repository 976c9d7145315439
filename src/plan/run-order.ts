/**
 * The order the operator runs things in, across hosts, and each host's run-all.ps1, which runs
 * that host's numbered steps. Exchange servers first (each followed by its app pool recycle
 * when it has one), then reverse proxies, delegation, sync servers, every verify script, and
 * the external client tests last.
 */
import { clientScriptPath, hostScriptPath } from '../output/layout.js';
import { RESTART_EXIT_CODE, restartCheck } from './restart.js';
import { script } from './steps.js';
import type { ClientScriptPlan, HostPlan, RunStage, ScriptFor, ScriptOf, ScriptPlan } from './types.js';

/**
 * run-all.ps1 of a host: its numbered steps in order, stopping at the first error; where a setting
 * waits for a restart (restart.ts), it ends by checking it: exit code 3010 while pending.
 */
export function runAllScript(host: string, steps: readonly ScriptPlan[], verify: ScriptPlan): ScriptFor<'run-all'> {
  const restart = restartCheck({ steps });
  return script({
    fileName: 'run-all.ps1',
    template: 'run-all',
    synopsis: `Runs every configuration step for ${host} in order.`,
    description: [
      `Runs ${steps.map((s) => s.fileName).join(', ')} in this order and stops at the first error. -WhatIf and -Confirm are passed on to every step.`,
      // The help block adds "Run from ..." itself: say it once.
      'A transcript is written next to the scripts (run-all.log).',
      ...(restart
        ? [`DisabledComponents takes effect only when the computer starts: while it is set and not yet in effect, the script ends with a warning and exit code ${RESTART_EXIT_CODE} (restart required). It never restarts the computer: restart it, then run run-all.ps1 again.`]
        : []),
    ],
    summary: '',
    data: { steps: steps.map((s) => s.fileName), verify: verify.fileName, restart: restart ? { disabledComponents: restart.disabledComponents, exitCode: RESTART_EXIT_CODE } : null },
    kind: 'change',
  });
}

export interface RunOrderInput {
  exchange: readonly HostPlan[];
  domainControllers: readonly HostPlan[];
  syncServers: readonly HostPlan[];
  reverseProxies: readonly HostPlan[];
  clients: readonly ClientScriptPlan[];
}

export function runOrder({ exchange, domainControllers, syncServers, reverseProxies, clients }: RunOrderInput): RunStage[] {
  const order: RunStage[] = [];
  const stage = (host: HostPlan, script: 'run-all.ps1' | 'verify.ps1' | 'recycle-powershell-app-pool.ps1', why: string) =>
    order.push({ order: order.length + 1, host: host.host, folder: host.folder, script, path: hostScriptPath(host.folder, script), why });
  // A setting that takes effect only at the next start gets a restart stage right after the host's run-all.
  const restartStage = (host: HostPlan) => {
    const check = restartCheck(host);
    if (!check) return;
    order.push({ order: order.length + 1, host: host.host, folder: host.folder, script: 'restart', path: hostScriptPath(host.folder, 'run-all.ps1'), why: `DisabledComponents 0x${check.disabledComponents.toString(16).toUpperCase()} (prefer IPv4) takes effect when ${host.host} starts: restart it when that is acceptable, then run run-all.ps1 again, which changes nothing more and exits 0 (until the restart it ends with exit code ${RESTART_EXIT_CODE} and says so; it never restarts the computer itself)` });
  };
  for (const h of exchange) {
    stage(h, 'run-all.ps1', 'Exchange server first: the endpoint must exist before anyone connects; listener and authentication changes come last within it');
    const recycle = h.extras.find((s): s is ScriptOf<'recycle-app-pool'> => s.template === 'recycle-app-pool');
    if (recycle) {
      stage(h, 'recycle-powershell-app-pool.ps1', `Makes the virtual directory change take effect by recycling ${recycle.data.pool}; it ends every remote PowerShell session through /PowerShell on this server, so it is a stage of its own: run it when that is acceptable (-WhatIf says whether a recycle is due, -Confirm asks before it); it does nothing when no change is pending`);
    }
    restartStage(h);
  }
  for (const h of reverseProxies) {
    stage(h, 'run-all.ps1', 'Reverse proxy after the publishing CAS: its virtual directory must accept Basic before the proxy forwards to it');
    restartStage(h);
  }
  for (const h of domainControllers) {
    stage(h, 'run-all.ps1', h.steps.length > 0 ? 'Delegation after the Exchange servers are configured; it applies to tickets issued from now on' : 'No step changes Active Directory here: run-all.ps1 runs none and changes nothing; verify.ps1 reads the Kerberos encryption types');
  }
  for (const h of syncServers) {
    stage(h, 'run-all.ps1', domainControllers.some((dc) => dc.steps.length > 0) ? 'Client settings last; tickets already cached in the sync service\'s logon session predate the delegation change: restart the sync service (or run klist purge in its context) before its first connection' : 'Client settings after the Exchange servers, whose endpoints the session tests need');
    restartStage(h);
  }
  for (const h of exchange) stage(h, 'verify.ps1', 'Server side checks before the end-to-end test');
  for (const h of domainControllers) {
    const v = h.verify.template === 'verify-domain-controller' ? h.verify.data : null;
    const what = [...(h.steps.length > 0 ? ['Delegation as set'] : []), ...(v?.kerberos ? ['Kerberos AES readiness of the accounts, computers and trusts, and the KDCSVC events (KB5073381)'] : [])];
    stage(h, 'verify.ps1', what.join('; ') || 'Delegation as set');
  }
  for (const h of reverseProxies) stage(h, 'verify.ps1', 'Farm, rule and certificate, then the published URL answering the authentication challenge');
  for (const h of syncServers) stage(h, 'verify.ps1', 'Ports and the remote PowerShell session test, end to end');
  for (const c of clients) {
    order.push({ order: order.length + 1, host: c.label, folder: c.folder, script: 'external-client-test.ps1', path: clientScriptPath(c.folder, c.script.fileName), why: 'Last, from outside: the whole path internet -> proxy -> CAS with Basic over HTTPS' });
  }
  return order;
}
