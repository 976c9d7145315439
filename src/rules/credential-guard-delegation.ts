import type { OsFacts } from '../model/model.js';
import { connectionsTo, exchangeServers, settingPath } from './facts.js';
import type { Finding, Rule, SpecPath } from './rule.js';

/** Windows Server 2025 as the spec declares it for the host (itself or through defaults), and where. */
function on2025(os: OsFacts, own: SpecPath): SpecPath | undefined {
  return os.os === 'windows-server-2025' ? settingPath(os.source, own, 'os') : undefined;
}

const CONSEQUENCE =
  'Credential Guard, on by default on domain-joined Windows Server 2025 servers that are not domain controllers and meet its requirements, blocks Kerberos unconstrained delegation of the credentials it protects, for single sign-on and supplied credentials alike';

/**
 * Unconstrained delegation (the Monosync Exchange Integration guide's second connection) meets Windows Server 2025's default
 * Credential Guard on either end: the sync server whose account's ticket is to be forwarded, or
 * the Exchange server trusted to forward it.
 */
export const rule: Rule = {
  id: 'credential-guard-delegation',
  severity: 'warning',
  description: 'An Exchange server trusted for unconstrained delegation, or a sync server connecting to it, runs Windows Server 2025, whose default Credential Guard blocks unconstrained delegation.',
  source: 'MicrosoftDocs/windows-itpro-docs windows/security/identity-protection/credential-guard/considerations-known-issues.md; MicrosoftDocs/windowsserverdocs WindowsServerDocs/get-started/whats-new-windows-server-2025.md',
  check(context) {
    const findings: Finding[] = [];
    const reported = new Set<number>();
    for (const { server, model, index: i } of exchangeServers(context)) {
      if (model.delegation.mode !== 'unconstrained') continue;
      const own = on2025(model.os, ['exchange', i, 'os']);
      if (own) {
        findings.push({
          path: own,
          host: server.host,
          message: `${server.host} is trusted for unconstrained delegation and runs Windows Server 2025: ${CONSEQUENCE}, so the second connection that needs it can fail`,
          hint: `Check Credential Guard on ${server.host} (Win32_DeviceGuard, SecurityServicesRunning 1); if it runs, ask the vendor for a second-hop method that works with it (credentials passed inside the session), or turn Credential Guard off on ${server.host} knowing that it leaves stored domain credentials exposed, and waive this rule for the host with the reason.`,
        });
      }
      for (const c of connectionsTo(context, i)) {
        if (reported.has(c.syncIndex)) continue;
        const sync = on2025(c.syncModel.os, ['syncServers', c.syncIndex, 'os']);
        if (!sync) continue;
        reported.add(c.syncIndex);
        findings.push({
          path: sync,
          host: c.sync.host,
          message: `${c.sync.host} runs Windows Server 2025 and connects to ${server.host}, which is trusted for unconstrained delegation: ${CONSEQUENCE}, so the ticket of the sync account may never reach ${server.host}`,
          hint: `Check Credential Guard on ${c.sync.host} (Win32_DeviceGuard, SecurityServicesRunning 1); if it runs, ask the vendor for a second-hop method that works with it (credentials passed inside the session), or turn Credential Guard off on ${c.sync.host} knowing that it leaves stored domain credentials exposed, and waive this rule for the host with the reason.`,
        });
      }
    }
    return findings;
  },
};
