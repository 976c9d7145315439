/**
 * HTTPS listener certificates on the simulated Windows host: the cases the renewal property
 * (test/windows/harness/simulator.ts, property 6) does not reach. Each failed on the scripts
 * before the template was fixed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { describeWithPwsh, REPO_ROOT } from './helpers/pwsh.js';
import { certificate, defaultDirectory, defaultState, type SimState } from './windows/harness/default-state.js';
import { exchangeDefaults } from './windows/harness/exchange-state.js';
import { expectationsFor } from './windows/harness/oracle-winrm.js';
import { generateInto, renewedCertificate, Simulation } from './windows/harness/simulator.js';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const LAB = 'test/fixtures/simulate/monosync-self-signed.yaml';
const HOST = 'exch01.lab.monofor.com';
const ALIAS = 'winrm.lab.monofor.com';

describeWithPwsh('HTTPS listener certificates on the simulated host', (pwsh) => {
  let simulation: Simulation;
  let scratch: string;
  beforeAll(() => {
    simulation = new Simulation(pwsh);
    scratch = mkdtempSync(join(tmpdir(), 'winrm-forge-certificates-'));
  });
  afterAll(async () => {
    await simulation?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** The lab spec, edited; generated; the Exchange server's installed default state. */
  async function lab(name: string, edit: (doc: ReturnType<typeof parseDocument>) => void) {
    const doc = parseDocument(readFileSync(join(REPO_ROOT, LAB), 'utf8'));
    edit(doc);
    const spec = join(scratch, `${name}.yaml`);
    writeFileSync(spec, doc.toString());
    const { plan, root } = await generateInto(spec, join(scratch, name));
    const directory = (exchangeDefaults(plan, null, defaultDirectory(plan.environment)) as { directory: SimState['directory'] }).directory;
    const hostPlan = plan.hosts.find((h) => h.host === HOST)!;
    let state = defaultState(plan, hostPlan, clone(directory));
    state = { ...state, ...exchangeDefaults(plan.environment, HOST, state) };
    return { plan, state, folder: join(root, 'hosts', HOST) };
  }

  it('a self-signed listener whose dnsNames gained a name gets a new certificate carrying every name, and verify names a certificate that lacks one', { timeout: 300_000 }, async () => {
    const { plan, state, folder } = await lab('two-names', (doc) => doc.setIn(['exchange', 0, 'winrm', 'listeners', 0, 'certificate'], { selfSigned: true, dnsNames: [HOST, ALIAS] }));
    // What the step created while the spec listed one name: self-issued, CN=<first name>, that name only.
    const before = certificate('1111111111111111111111111111111111111111', [HOST], { selfSigned: true, notBefore: '2026-06-01T00:00:00Z', notAfter: '2027-06-01T00:00:00Z' });
    state.certificates.My.push(before);
    const listener = expectationsFor(plan, HOST).find((e) => e.setting === 'listener HTTPS *:5986')!;
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    expect(listener.holds(first.state), first.output.join('\n')).toBe(true);
    const bound = first.state.wsman.listeners.find((l: any) => l.Transport === 'HTTPS').CertificateThumbprint;
    expect(bound).not.toBe(before.Thumbprint);
    expect(first.state.certificates.My.find((c: any) => c.Thumbprint === bound).DnsNameList).toEqual([HOST, ALIAS]);
    const verified = await simulation.run(first.state, join(folder, 'verify.ps1'));
    expect(verified.exitCode, verified.output.join('\n')).toBe(0);

    // The listener bound to the one-name certificate again: verify names the missing name.
    const drifted = clone(first.state);
    drifted.wsman.listeners.find((l: any) => l.Transport === 'HTTPS').CertificateThumbprint = before.Thumbprint;
    const after = await simulation.run(drifted, join(folder, 'verify.ps1'));
    expect(after.exitCode, after.output.join('\n')).toBe(1);
    expect(after.output.filter((l) => / FAIL /.test(l) && l.includes(ALIAS))).not.toEqual([]);
  });

  it('a rebind to a certificate that renews none of the spec warns that run-all.ps1 binds the spec\'s back, and names the spec change', { timeout: 300_000 }, async () => {
    const thumbprint = '6A8D7E5537D441190FD72C7C2E879A064072CE0F';
    const { state, folder } = await lab('thumbprint', (doc) => doc.setIn(['exchange', 0, 'winrm', 'listeners', 0, 'certificate'], { thumbprint, dnsNames: [HOST] }));
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    // Another CA's certificate for the same name: a replacement, not a renewal.
    const spec = first.state.certificates.My.find((c: any) => c.Thumbprint === thumbprint);
    const other = { ...renewedCertificate(spec), Issuer: 'CN=Fabrikam Issuing CA 02' };
    first.state.certificates.My.push(other);
    const rebind = await simulation.run(first.state, join(folder, 'rebind-certificate-https-5986.ps1'), { Thumbprint: other.Thumbprint });
    expect(rebind.exitCode, rebind.output.join('\n')).toBe(0);
    expect(rebind.output.filter((l) => l.startsWith('WARNING: ') && l.includes(`certificate.thumbprint: ${other.Thumbprint}`) && l.includes(`binds ${thumbprint} again`))).not.toEqual([]);
    const verify = await simulation.run(rebind.state, join(folder, 'verify.ps1'));
    expect(verify.exitCode, verify.output.join('\n')).toBe(1);
    expect(verify.output.filter((l) => / FAIL listener HTTPS \*:5986 certificate/.test(l) && l.includes('no renewal'))).not.toEqual([]);
    const again = await simulation.run(rebind.state, join(folder, 'run-all.ps1'));
    expect(again.exitCode, again.output.join('\n')).toBe(0);
    expect(again.state.wsman.listeners.find((l: any) => l.Transport === 'HTTPS').CertificateThumbprint).toBe(thumbprint);
  });

  it('once the renewed certificate\'s predecessor leaves the store, run-all.ps1 stops with the spec change and keeps the renewal bound', { timeout: 300_000 }, async () => {
    const thumbprint = '6A8D7E5537D441190FD72C7C2E879A064072CE0F';
    const { state, folder } = await lab('removed', (doc) => doc.setIn(['exchange', 0, 'winrm', 'listeners', 0, 'certificate'], { thumbprint, dnsNames: [HOST] }));
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    const renewed = renewedCertificate(first.state.certificates.My.find((c: any) => c.Thumbprint === thumbprint));
    first.state.certificates.My.push(renewed);
    const rebind = await simulation.run(first.state, join(folder, 'rebind-certificate-https-5986.ps1'), { Thumbprint: renewed.Thumbprint });
    expect(rebind.exitCode, rebind.output.join('\n')).toBe(0);
    const removed = clone(rebind.state);
    removed.certificates.My = removed.certificates.My.filter((c: any) => c.Thumbprint !== thumbprint);
    const again = await simulation.run(removed, join(folder, 'run-all.ps1'));
    expect(again.exitCode, again.output.join('\n')).toBe(1);
    expect([...again.output, ...again.errors].join('\n')).toContain(`certificate.thumbprint: ${renewed.Thumbprint}`);
    expect(again.state.wsman.listeners.find((l: any) => l.Transport === 'HTTPS').CertificateThumbprint).toBe(renewed.Thumbprint);
  });
});
