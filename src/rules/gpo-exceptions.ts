/**
 * The Group Policy values a waived baseline deviation needs, per host, for the domain admin to
 * apply where enterprises apply WinRM settings: in a GPO (render writes them as
 * group-policy/<baseline>-exceptions.ps1, Set-GPRegistryValue). Pure; built from the same evaluation as PLAN.md's Compliance section.
 *
 * A control requires one policy value (e.g. AllowBasic = 0); the exception is the other one
 * (AllowBasic = 1). "Allow remote server management through WinRM" enabled also needs its two
 * address filters (policy-csp-remotemanagement, AllowRemoteServerManagement): the spec's, else '*'.
 */
import type { BaselineControl, ControlResult } from './baselines.js';
import type { GpoException, GpoExceptionValue } from '../shared/compliance-section.js';
import { addressFiltersOf, type SpecModel } from '../model/model.js';

/** The exception values for the waived deviations among `results`, one entry per host, in the results' order. */
export function gpoExceptions(model: SpecModel<'open'>, results: readonly ControlResult[], waiverOf: (r: ControlResult) => string | undefined): GpoException[] {
  const byHost = new Map<string, GpoExceptionValue[]>();
  const seen = new Set<string>();
  for (const r of results) {
    if (r.status !== 'deviated') continue;
    const reason = waiverOf(r);
    if (reason === undefined) continue;
    for (const v of exceptionValues(model, r.host, r.control, reason)) {
      const id = `${r.host}\n${v.key}\n${v.valueName}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const list = byHost.get(r.host) ?? [];
      list.push(v);
      byHost.set(r.host, list);
    }
  }
  return [...byHost.entries()].map(([host, values]) => ({ host, values }));
}

function exceptionValues(model: SpecModel<'open'>, host: string, control: BaselineControl, reason: string): GpoExceptionValue[] {
  const { key, value, data } = control.registry;
  const controls = control.ids.join(' / ');
  const dword = (valueName: string, n: number): GpoExceptionValue => ({ key, valueName, type: 'DWord', dword: n, text: null, shown: String(n), controls, reason });
  const values = [dword(value, data === 0 ? 1 : 0)];
  if (value === 'AllowAutoConfig' && data === 0) {
    // The results name hosts as the model does; only Exchange servers have the WinRM service controls.
    const server = model.exchange.find((x) => x.host === host);
    const filters = server ? addressFiltersOf(server) : undefined;
    for (const [name, filter] of [
      ['IPv4Filter', filters?.ipv4Filter],
      ['IPv6Filter', filters?.ipv6Filter],
    ] as const) {
      if (filter === undefined) continue;
      values.push({ key, valueName: name, type: 'String', dword: null, text: filter, shown: `'${filter}'`, controls, reason });
    }
  }
  return values;
}
