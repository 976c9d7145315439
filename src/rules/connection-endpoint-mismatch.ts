import type { Finding, Rule } from './rule.js';
import { connections, listenersOf } from './facts.js';
import { byCodePoint } from '../shared/order.js';

export const rule: Rule = {
  id: 'connection-endpoint-mismatch',
  severity: 'error',
  description: 'A connection URI reaches no endpoint on its target: no WinRM listener with that transport and port, or not the Exchange /PowerShell endpoint on 80/443.',
  source: 'TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy; https://learn.microsoft.com/powershell/module/microsoft.powershell.core/new-pssession',
  check(context) {
    const findings: Finding[] = [];
    for (const c of connections(context)) {
      if (!c.target || !c.uri) continue;
      const { uri } = c;
      const cas = c.target.server.host;
      const at = { path: [...c.path, 'uri'], host: c.sync.host };
      if (uri.endpoint === 'unknown') {
        findings.push({
          ...at,
          message: `${c.sync.host} connects to ${c.connection.uri}, whose path ${uri.path || '/'} is neither the Exchange endpoint /PowerShell/ nor the WinRM endpoint /wsman`,
          hint: `Use http(s)://${cas}/PowerShell/ for Exchange remote PowerShell (IIS, 80/443) or http(s)://${cas}:5985|5986/wsman for plain WinRM.`,
        });
        continue;
      }
      if (uri.endpoint === 'exchange') {
        const expected = uri.scheme === 'https' ? 443 : 80;
        if (uri.port === expected) continue;
        const winrmPort = uri.port === 5985 || uri.port === 5986;
        findings.push({
          ...at,
          message: `${c.sync.host} connects to ${c.connection.uri}: the Exchange /PowerShell endpoint is served by IIS on ${expected} for ${uri.scheme}, not on ${uri.port}`,
          hint: winrmPort
            ? `Port ${uri.port} is WinRM's. For Exchange cmdlets use ${uri.scheme}://${cas}/PowerShell/ without a port; for plain WinRM use ${uri.scheme}://${cas}:${uri.port}/wsman.`
            : `Drop the port: ${uri.scheme}://${cas}/PowerShell/.`,
        });
        continue;
      }
      const listeners = listenersOf(c.target);
      if (listeners.some((l) => l.transport === uri.scheme && l.port === uri.port)) continue;
      const have = listeners.map((l) => `${l.transport} ${l.port}`).sort(byCodePoint).join(', ');
      findings.push({
        ...at,
        message: `${c.sync.host} connects to ${c.connection.uri} (WinRM ${uri.scheme} on ${uri.port}), but ${cas} has listeners only on ${have}${c.target.model.winrm?.listenersDeclared ? '' : ' (the default of Enable-PSRemoting, as none are declared)'}`,
        hint:
          uri.port === 80 || uri.port === 443
            ? `A /wsman URI without a port uses ${uri.port}; write the listener port, e.g. ${uri.scheme}://${cas}:${uri.scheme === 'https' ? 5986 : 5985}/wsman.`
            : `Add a ${uri.scheme} listener on ${uri.port} to ${cas} under winrm.listeners${uri.scheme === 'https' ? ' (with its certificate)' : ''}, or change the URI to a declared listener.`,
      });
    }
    return findings;
  },
};
