import { sha256 } from '../shared/file-map.js';
import { secretKind } from '../spec/secrets.js';
import { displayPath } from '../spec/validator.js';
import type { Finding, Rule, SpecPath } from './rule.js';

function hostOf(spec: unknown, path: SpecPath): string | undefined {
  // The host entry that holds the value: exchange[i], syncServers[i], reverseProxies[i].
  if (path.length < 2 || !['exchange', 'syncServers', 'reverseProxies'].includes(String(path[0]))) return undefined;
  const list = (spec as Record<string, unknown>)[path[0] as string];
  const entry = Array.isArray(list) ? (list[path[1] as number] as { host?: unknown } | undefined) : undefined;
  return typeof entry?.host === 'string' ? entry.host : undefined;
}

export const rule: Rule = {
  id: 'secret-in-spec',
  severity: 'error',
  description: 'A value looks like a password, key or token (name=value, user:password@ in a URI, a JWT, a key or a long random blob); secrets never belong in a spec.',
  source: 'winrm-forge design: credentials are prompted for or read from a vault at run time (README.md, Secrets)',
  check({ spec }) {
    const findings: Finding[] = [];
    const visit = (value: unknown, path: (string | number)[]) => {
      if (typeof value === 'string') {
        const kind = secretKind(value, path[path.length - 1]);
        if (kind) {
          const host = hostOf(spec, path);
          findings.push({
            path,
            secret: true,
            field: displayPath(path),
            valueSha256: sha256(value),
            ...(host ? { host } : {}),
            message: `${displayPath(path)} looks like it holds ${kind}; the value is not repeated here`,
            hint: `Remove the secret from the spec (and rotate it if the spec was shared). Scripts ask for credentials at run time (credential.source: prompt) or read them from a SecretManagement vault (credential.source: vault with vault and secretName). If the value is no secret, a waiver with field: ${displayPath(path)} accepts it.`,
          });
        }
      } else if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
      else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    };
    visit(spec, []);
    return findings;
  },
};
