import { displayPath } from '../spec/validator.js';
import type { Finding, Rule, SpecPath } from './rule.js';

export const rule: Rule = {
  id: 'duplicate-host',
  severity: 'error',
  description: 'The same host name (ignoring case) is declared more than once, in one role or across roles.',
  source: 'winrm-forge spec reference: one entry and one script folder per host (README.md)',
  waivable: false,
  check({ spec }) {
    const entries: { host: string; path: SpecPath }[] = [];
    spec.forests.forEach((f, i) => (f.domainControllers ?? []).forEach((dc, j) => entries.push({ host: dc.host, path: ['forests', i, 'domainControllers', j, 'host'] })));
    spec.exchange.forEach((s, i) => entries.push({ host: s.host, path: ['exchange', i, 'host'] }));
    (spec.syncServers ?? []).forEach((s, i) => entries.push({ host: s.host, path: ['syncServers', i, 'host'] }));
    (spec.reverseProxies ?? []).forEach((s, i) => entries.push({ host: s.host, path: ['reverseProxies', i, 'host'] }));
    const first = new Map<string, SpecPath>();
    const findings: Finding[] = [];
    for (const entry of entries) {
      const key = entry.host.toLowerCase();
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, entry.path);
        continue;
      }
      findings.push({
        path: entry.path,
        host: entry.host,
        message: `${entry.host} is declared again at ${displayPath(entry.path.slice(0, -1))}; it is already ${displayPath(earlier.slice(0, -1))}`,
        hint: 'Each host appears once: its scripts go to one folder named after it. Host names compare without regard to case. Remove or rename one entry.',
      });
    }
    return findings;
  },
};
