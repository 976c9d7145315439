/**
 * DisabledComponents (KB 929852) as the spec declares it, for the two rules that judge the value
 * itself (the model fills in 0x20, preferring IPv4, where the spec declares none).
 */
import type { Spec } from '../spec/spec-types.js';
import type { SpecPath } from './rule.js';

/** Bit 0x10 of DisabledComponents disables IPv6 on all non-tunnel interfaces (KB 929852). */
export const IPV6_DISABLED_BIT = 0x10;

/** Every DisabledComponents value the spec declares, with the host and where. */
export function disabledComponentsEntries(spec: Spec) {
  const out: { host: string; value: number; path: SpecPath }[] = [];
  spec.exchange.forEach((s, i) => s.disabledComponents !== undefined && out.push({ host: s.host, value: s.disabledComponents, path: ['exchange', i, 'disabledComponents'] }));
  (spec.syncServers ?? []).forEach((s, i) => s.disabledComponents !== undefined && out.push({ host: s.host, value: s.disabledComponents, path: ['syncServers', i, 'disabledComponents'] }));
  return out;
}

export const hex = (v: number) => `0x${v.toString(16).toUpperCase().padStart(2, '0')}`;
