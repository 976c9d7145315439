/**
 * The network side of the generated scripts: IPv6 addresses (schema, firewall rules, port matrix,
 * firewall.csv, the port probes), the sync server's DNS check per forest, the verify probe of the
 * WinRM listeners the spec declares, the built-in HTTP 5985 rules, and the restart that
 * DisabledComponents needs. Behaviour of scripts is checked on the simulated Windows host.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalAddress } from '../src/shared/ip.js';
import { RESTART_EXIT_CODE } from '../src/plan/restart.js';
import { generateSpec } from './helpers/generate.js';
import { describeWithPwsh, REPO_ROOT } from './helpers/pwsh.js';
import { repoRoot } from './helpers/spec.js';
import { defaultDirectory, defaultState, restartHost, type SimState } from './windows/harness/default-state.js';
import { exchangeDefaults } from './windows/harness/exchange-state.js';
import { generateInto, Simulation } from './windows/harness/simulator.js';

const TWO_FORESTS = 'test/fixtures/network/two-kerberos-forests-ipv6.yaml';
const EVERY_BRANCH = 'test/fixtures/generate/every-branch.yaml';
const schema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'winrm-forge.schema.json'), 'utf8'));
const sourcePattern = new RegExp(schema.$defs.firewall.properties.additionalSources.items.pattern, 'u');
const text = (files: Map<string, Buffer> | undefined, path: string) => files!.get(path)!.toString('utf8');

describe('firewall additionalSources: IPv4 and IPv6 addresses and CIDR blocks', () => {
  const expected = (value: string) => {
    const [address, prefix, ...rest] = value.split('/');
    if (rest.length > 0) return false;
    const family = isIPv4(address!) ? 32 : isIPv6(address!) && !address!.includes('%') ? 128 : 0;
    if (family === 0) return false;
    return prefix === undefined || (/^(0|[1-9][0-9]{0,2})$/.test(prefix) && Number(prefix) <= family);
  };

  it('accepts what node:net parses, with a prefix length in range, and nothing else', () => {
    const prefix = fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 140 }).map((n) => `/${n}`), fc.constantFrom('/', '/08', '/-1', '/a'));
    const address = fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV6().map((a) => a.toUpperCase()), fc.ipV4Extended(), fc.string({ maxLength: 12 }), fc.constantFrom('fe80::1%eth0', '10.0.0.256', '::ffff:10.0.0.1', '1:2:3:4:5:6:7:8:9'));
    fc.assert(fc.property(address, prefix, (a, p) => sourcePattern.test(a + p) === expected(a + p)), { numRuns: 2000 });
  });

  it('names the forms in its description', () => {
    expect(schema.$defs.firewall.properties.additionalSources.items.description).toMatch(/IPv6/);
  });

  it('writes IPv6 in one canonical form, so the firewall step compares it as Windows reports it', () => {
    expect(canonicalAddress('FD00:9:0:0::5')).toBe('fd00:9::5');
    expect(canonicalAddress('FD00:9::/64')).toBe('fd00:9::/64');
    expect(canonicalAddress('10.9.0.0/24')).toBe('10.9.0.0/24');
  });
});

describe('IPv6 addresses in the plan, the port matrix and firewall.csv', () => {
  it('admits every declared address of each source, IPv4 and IPv6, with the additional sources', async () => {
    const { plan } = await generateSpec(TWO_FORESTS);
    const rule = plan!.firewallRules.find((r) => r.host === 'exch01.fabrikam.com' && r.port === 5985)!;
    // From the spec: mim01's ip and ipv6, and the three additionalSources.
    expect([...rule.remoteAddresses].sort()).toEqual(['10.1.0.30', '10.9.0.0/24', 'fd00:1::30', 'fd00:9:1::5', 'fd00:9::/64']);
    const other = plan!.firewallRules.find((r) => r.host === 'exch01.tailspin.com')!;
    expect([...other.remoteAddresses].sort()).toEqual(['10.1.0.30', 'fd00:1::30']);
  });

  it('writes both families into the port matrix and firewall.csv', async () => {
    const { files } = await generateSpec(TWO_FORESTS);
    const csv = text(files, 'two-forests-ipv6/firewall.csv').split('\r\n');
    expect(csv[0]).toBe('"source","sourceIp","destination","destinationIp","protocol","port","purpose","sourceIpv6","destinationIpv6"');
    expect(csv).toContain('"mim01.corp.contoso.com","10.1.0.30","exch01.fabrikam.com","10.2.0.20","TCP","5985","WinRM HTTP (http://exch01.fabrikam.com:5985/wsman)","fd00:1::30","fd00:2::20"');
    expect(csv).toContain('"mim01.corp.contoso.com","10.1.0.30","dc01.tailspin.com","10.3.0.10","TCP","88","Kerberos (missing: ""Access denied"" on export)","fd00:1::30","fd00:3::10"');
    const planMd = text(files, 'two-forests-ipv6/PLAN.md');
    expect(planMd).toContain('| mim01.corp.contoso.com | 10.1.0.30, fd00:1::30 | exch01.fabrikam.com | 10.2.0.20, fd00:2::20 | TCP | 5985 |');
    const firewall = text(files, 'two-forests-ipv6/hosts/exch01.fabrikam.com/03-firewall.ps1');
    expect(firewall).toContain("RemoteAddress = @('10.1.0.30', '10.9.0.0/24', 'fd00:1::30', 'fd00:9:1::5', 'fd00:9::/64')");
  });
});

describe('the sync server asks each domain controller for a name of its own forest', () => {
  it('queries the DC locator SRV record of the DC\'s forest, with -Name, -Type and -Server', async () => {
    const { plan, files } = await generateSpec(TWO_FORESTS);
    const verify = plan!.hosts.find((h) => h.host === 'mim01.corp.contoso.com')!.verify;
    expect(verify.data.dnsQueries).toEqual([
      { server: 'dc01.fabrikam.com', name: '_ldap._tcp.dc._msdcs.fabrikam.com' },
      { server: 'dc01.tailspin.com', name: '_ldap._tcp.dc._msdcs.tailspin.com' },
    ]);
    const script = text(files, 'two-forests-ipv6/hosts/mim01.corp.contoso.com/verify.ps1');
    expect(script).toContain("Resolve-DnsName -Name $query.Name -Type 'SRV' -Server $query.Server -DnsOnly");
  });
});

describe('a restart stage where DisabledComponents needs one', () => {
  it('puts the restart after the host\'s run-all in the run order, and run-all stops with 3010 instead of restarting', async () => {
    const { plan, files } = await generateSpec(EVERY_BRANCH);
    const registryHosts = plan!.hosts.filter((h) => h.steps.some((s) => s.template === 'ipv4-preference' && s.data.registry && !s.data.prefixPolicy));
    expect(registryHosts.length).toBeGreaterThan(0);
    for (const h of registryHosts) {
      const order = plan!.runOrder.filter((s) => s.host === h.host).map((s) => s.script);
      expect(order.indexOf('restart'), order.join(' ')).toBe(order.lastIndexOf('run-all.ps1') + (order.includes('recycle-powershell-app-pool.ps1') ? 2 : 1));
      const runAll = text(files, `${plan!.environment.name}/hosts/${h.folder}/run-all.ps1`);
      expect(runAll).toContain(`exit ${RESTART_EXIT_CODE}`);
      expect(runAll).not.toMatch(/Restart-Computer/);
    }
    // preferIPv4 both: the netsh prefix policy holds at once, so no restart stage.
    const both = plan!.hosts.filter((h) => h.steps.some((s) => s.template === 'ipv4-preference' && s.data.prefixPolicy));
    for (const h of both) expect(plan!.runOrder.some((s) => s.host === h.host && s.script === 'restart')).toBe(false);
    expect(text(files, `${plan!.environment.name}/PLAN.md`)).toMatch(/\| restart [a-z0-9.]+, then `hosts\/[a-z0-9.]+\/run-all\.ps1` again \|/);
  });
});

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describeWithPwsh('network behaviour of the generated scripts on the simulated host', (pwsh) => {
  let simulation: Simulation;
  let scratch: string;
  beforeAll(() => {
    simulation = new Simulation(pwsh);
    scratch = mkdtempSync(join(tmpdir(), 'winrm-forge-network-'));
  });
  afterAll(async () => {
    await simulation?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A host's installed default state and folder, as the harness builds them. */
  async function hostState(spec: string, host: string) {
    const { plan, root } = await generateInto(join(REPO_ROOT, spec), join(scratch, spec.replace(/[^a-z0-9]+/gi, '-')));
    const directory = (exchangeDefaults(plan, null, defaultDirectory(plan.environment)) as { directory: SimState['directory'] }).directory;
    const hostPlan = plan.hosts.find((h) => h.host === host)!;
    let state = defaultState(plan, hostPlan, clone(directory));
    state = { ...state, ...exchangeDefaults(plan.environment, host, state) };
    state.directory = clone(directory);
    return { plan, state, folder: join(root, 'hosts', host) };
  }

  async function convergedSync() {
    const { state, folder } = await hostState(TWO_FORESTS, 'mim01.corp.contoso.com');
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    return { state: first.state, folder };
  }

  it('probes every resolved address in its own family: a port open over IPv4 only fails on the IPv6 address', { timeout: 300_000 }, async () => {
    const { state, folder } = await convergedSync();
    const passing = await simulation.run(state, join(folder, 'verify.ps1'));
    expect(passing.exitCode, passing.output.join('\n')).toBe(0);
    expect(passing.output).toContainEqual(expect.stringContaining('OK   TCP 5985 to exch01.fabrikam.com over IPv6 fd00:2::20'));
    const blocked = clone(state);
    blocked.network.reachable = blocked.network.reachable.map((e: string) => (e === 'exch01.fabrikam.com:5985' ? 'exch01.fabrikam.com:5985/IPv4' : e));
    const v = await simulation.run(blocked, join(folder, 'verify.ps1'));
    expect(v.exitCode).toBe(1);
    const fails = v.output.filter((l) => / FAIL /.test(l));
    expect(fails, v.output.join('\n')).toEqual([expect.stringContaining('TCP 5985 to exch01.fabrikam.com over IPv6 fd00:2::20')]);
  });

  it('reaches a target that has only an IPv6 address, which new TcpClient() cannot', { timeout: 300_000 }, async () => {
    const { state, folder } = await convergedSync();
    const v6only = clone(state);
    v6only.directory.dns.records['exch01.tailspin.com'].A = [];
    const v = await simulation.run(v6only, join(folder, 'verify.ps1'));
    expect(v.output.filter((l) => / FAIL /.test(l)), v.output.join('\n')).toEqual([]);
    expect(v.output).toContainEqual(expect.stringContaining('OK   TCP 5985 to exch01.tailspin.com over IPv6 fd00:3::20'));
  });

  it('checks DNS on each domain controller with its own forest\'s name', { timeout: 300_000 }, async () => {
    const { state, folder } = await convergedSync();
    const v = await simulation.run(state, join(folder, 'verify.ps1'));
    expect(v.output).toContainEqual(expect.stringContaining('OK   DNS query to dc01.tailspin.com (SRV _ldap._tcp.dc._msdcs.tailspin.com)'));
    // A DC that no longer answers for its own forest is named.
    const broken = clone(state);
    broken.directory.dns.servers['dc01.tailspin.com'] = ['corp.contoso.com'];
    const b = await simulation.run(broken, join(folder, 'verify.ps1'));
    expect(b.exitCode).toBe(1);
    expect(b.output.filter((l) => / FAIL /.test(l))).toEqual([expect.stringContaining('DNS query to dc01.tailspin.com (SRV _ldap._tcp.dc._msdcs.tailspin.com)')]);
  });

  it('reports the built-in HTTP 5985 rules where the spec declares an HTTP listener, without changing them', { timeout: 300_000 }, async () => {
    const { state, folder } = await hostState(TWO_FORESTS, 'exch01.fabrikam.com');
    const r = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(r.exitCode, r.output.join('\n')).toBe(0);
    expect(r.output).toContainEqual(expect.stringContaining('NOTE built-in rule WINRM-HTTP-In-TCP also allows TCP 5985 from Any'));
    expect(r.output.some((l) => /allow only the hosts in the spec/.test(l))).toBe(false);
    expect(r.changes.filter((c) => c.area === 'firewall' && c.target.startsWith('WINRM-HTTP'))).toEqual([]);
    // The IPv6 sources read back as the spec writes them: a second run changes nothing.
    const second = await simulation.run(r.state, join(folder, 'run-all.ps1'));
    expect(second.exitCode, second.output.join('\n')).toBe(0);
    expect(second.changes).toEqual([]);
    expect(second.output).toContainEqual(expect.stringContaining('[03-firewall] already configured'));
  });

  it('HTTPS-only spec: the firewall step disables the built-in HTTP 5985 rules, and verify probes only the listeners the spec declares', { timeout: 300_000 }, async () => {
    const { state, folder } = await hostState('examples/monosync-https-delegation.yaml', 'exch01.monofor.com');
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    for (const name of ['WINRM-HTTP-In-TCP', 'WINRM-HTTP-In-TCP-PUBLIC']) {
      expect(first.state.firewall.rules.find((r: { Name: string }) => r.Name === name)?.Enabled, name).toBe('False');
    }
    // An operator who also removed the HTTP listener Enable-PSRemoting made: nothing the spec declares is missing.
    const hardened = clone(first.state);
    hardened.wsman.listeners = hardened.wsman.listeners.filter((l: { Transport: string }) => l.Transport !== 'HTTP');
    const v = await simulation.run(hardened, join(folder, 'verify.ps1'));
    expect(v.output.filter((l) => / FAIL /.test(l)), v.output.join('\n')).toEqual([]);
    expect(v.output.some((l) => /Test-WSMan exch01\.monofor\.com:5985/.test(l))).toBe(false);
    // A built-in rule enabled again is named.
    const reopened = clone(first.state);
    reopened.firewall.rules.find((r: { Name: string }) => r.Name === 'WINRM-HTTP-In-TCP').Enabled = 'True';
    const d = await simulation.run(reopened, join(folder, 'verify.ps1'));
    expect(d.exitCode).toBe(1);
    expect(d.output.filter((l) => / FAIL /.test(l))).toEqual([expect.stringContaining('built-in rule WINRM-HTTP-In-TCP disabled (HTTPS only)')]);
  });

  it('a restart makes DisabledComponents take effect: before it verify reports PENDING REBOOT, after it run-all and verify pass', { timeout: 300_000 }, async () => {
    const { plan } = await generateSpec(EVERY_BRANCH);
    const host = plan!.runOrder.find((s) => s.script === 'restart')!.host;
    const { state, folder } = await hostState(EVERY_BRANCH, host);
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(RESTART_EXIT_CODE);
    expect(first.output).toContainEqual(expect.stringContaining('RESTART REQUIRED'));
    const pending = await simulation.run(first.state, join(folder, 'verify.ps1'));
    expect(pending.exitCode).toBe(1);
    expect(pending.output.filter((l) => / FAIL /.test(l))).toEqual([expect.stringContaining('PENDING REBOOT')]);
    const restarted = restartHost(first.state);
    const again = await simulation.run(restarted, join(folder, 'run-all.ps1'));
    expect(again.exitCode, again.output.join('\n')).toBe(0);
    expect(again.changes).toEqual([]);
    const verified = await simulation.run(restarted, join(folder, 'verify.ps1'));
    expect(verified.exitCode, verified.output.join('\n')).toBe(0);
  });
});
