import type { KerberosEncryptionType, Spec } from '../spec/spec-types.js';
import type { Finding, Rule } from './rule.js';
import { connections, sameAccount, trustsBetween } from './facts.js';
import { listing, sameName } from './wording.js';

type Readiness = 'aes' | 'rc4-only' | 'undeclared';

function readiness(types: readonly KerberosEncryptionType[] | undefined): Readiness {
  if (types === undefined) return 'undeclared';
  return types.some((t) => t.startsWith('aes')) ? 'aes' : 'rc4-only';
}

function declaresEncryptionTypes(spec: Spec): boolean {
  return (
    spec.exchange.some((s) => s.kerberosEncryptionTypes !== undefined) ||
    (spec.syncServers ?? []).some((s) => s.kerberosEncryptionTypes !== undefined || s.connections.some((c) => c.kerberosEncryptionTypes !== undefined)) ||
    spec.forests.some((f) => (f.trusts ?? []).some((t) => t.kerberosEncryptionTypes !== undefined))
  );
}

/**
 * A Kerberos connection needs AES on every party since the RC4 removal (KB5073381): the account
 * the session runs as, the Exchange computer account (its key encrypts the service ticket) and,
 * across forests, the trust (its key encrypts the referral ticket). The spec can declare each
 * one's encryption types; what is not declared is reported, to be checked rather than assumed.
 */
export const rule: Rule = {
  id: 'kerberos-rc4-removal',
  severity: 'warning',
  description: 'A Kerberos connection relies on an account, Exchange computer or trust not declared AES-ready, since domain controllers stopped issuing RC4 tickets by default (KB5073381).',
  source: 'https://support.microsoft.com/topic/1ebcda33-720a-4da8-93c1-b0496e1910dc (KB5073381, CVE-2026-20833)',
  check(context) {
    const findings: Finding[] = [];
    // Undeclared parties are reported once the spec declares encryption types anywhere: a spec
    // written before KB5073381 says nothing either way, and RC4-only declarations always count.
    const declaring = declaresEncryptionTypes(context.spec);
    for (const c of connections(context)) {
      if (!c.target || c.connection.authentication !== 'kerberos') continue;
      const account = c.model.credential.account;
      const ownAccount = c.connection.account === undefined || sameAccount(context, c.connection.account, c.sync.serviceAccount);
      const parties: { name: string; state: Readiness; where: string }[] = [
        {
          name: `account ${account}`,
          state: readiness(c.connection.kerberosEncryptionTypes ?? (ownAccount ? c.sync.kerberosEncryptionTypes : undefined)),
          where: c.connection.account === undefined ? `syncServers[${c.syncIndex}].kerberosEncryptionTypes` : 'the connection\'s kerberosEncryptionTypes',
        },
        { name: `computer ${c.target.server.host}`, state: readiness(c.target.server.kerberosEncryptionTypes), where: `exchange[${c.target.index}].kerberosEncryptionTypes` },
      ];
      const from = c.sync.forest;
      const to = c.target.server.forest;
      // An undeclared forest is unknown-forest's finding.
      if (!sameName(from, to) && c.syncModel.forestModel && c.target.model.forestModel) {
        const trusts = trustsBetween(context, from, to);
        // No trust at all is kerberos-needs-trust's finding.
        if (trusts.length > 0) {
          const states = trusts.map((t) => readiness(t.kerberosEncryptionTypes ?? undefined));
          const state: Readiness = states.includes('aes') ? 'aes' : states.includes('rc4-only') ? 'rc4-only' : 'undeclared';
          parties.push({ name: `the trust between ${from} and ${to}`, state, where: 'the trust\'s kerberosEncryptionTypes' });
        }
      }
      const rc4 = parties.filter((p) => p.state === 'rc4-only');
      const undeclared = declaring ? parties.filter((p) => p.state === 'undeclared') : [];
      if (rc4.length === 0 && undeclared.length === 0) continue;
      const parts = [
        ...(rc4.length ? [`${listing(rc4.map((p) => p.name))} ${rc4.length === 1 ? 'is' : 'are'} declared RC4-only`] : []),
        ...(undeclared.length ? [`${listing(undeclared.map((p) => p.name))} ${undeclared.length === 1 ? 'is' : 'are'} not declared AES-ready`] : []),
      ];
      findings.push({
        path: [...c.path, 'authentication'],
        host: c.sync.host,
        message: `${c.sync.host} uses Kerberos to ${c.target.server.host}, but ${parts.join(', and ')}: since the April 2026 updates (KB5073381, CVE-2026-20833) domain controllers issue AES-only service tickets where msDS-SupportedEncryptionTypes is not set, and the July 2026 updates removed the way back to RC4`,
        hint: `Check msDS-SupportedEncryptionTypes of each (Get-ADUser or Get-ADComputer -Properties msDS-SupportedEncryptionTypes; AES is 0x18) and the KDCSVC events 201 to 209 in the System log of the domain controllers, then declare what you found in ${listing([...rc4, ...undeclared].map((p) => p.where))}.`,
      });
    }
    return findings;
  },
};
