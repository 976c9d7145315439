import type { Finding, Rule } from './rule.js';
import { connections } from './facts.js';

export const rule: Rule = {
  id: 'basic-over-http',
  severity: 'error',
  description: 'A connection uses Basic authentication over http://, sending the password in clear; Exchange refuses it.',
  source: 'seed 004',
  check({ spec }) {
    const findings: Finding[] = [];
    for (const c of connections(spec)) {
      if (c.connection.authentication !== 'basic' || c.uri?.scheme !== 'http') continue;
      const httpsUri = c.connection.uri.replace(/^http:/i, 'https:').replace(/:5985(?=\/|$)/, ':5986');
      findings.push({
        path: [...c.path, 'uri'],
        host: c.sync.host,
        message: `${c.sync.host} uses Basic over ${c.connection.uri}: the password crosses the network in clear${c.uri.endpoint === 'exchange' ? ' and Exchange refuses Basic over http' : ''}`,
        hint: `Use ${httpsUri} with Basic, or Kerberos over http:// to the CAS FQDN.`,
      });
    }
    return findings;
  },
};
