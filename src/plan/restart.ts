/**
 * Whether a host's configuration needs a restart before it is in effect, and what run-all.ps1
 * checks to tell. Today one setting does: the Tcpip6 DisabledComponents value (preferIPv4
 * registry), which Windows reads when the TCP/IP stack starts (KB 929852). With preferIPv4 both,
 * the netsh prefix policy already makes the running table prefer IPv4, so no restart is needed for
 * the preference to hold. Used by the run order (a restart stage after the host's run-all.ps1, and
 * run-all.ps1's own check at its end: exit code 3010 while the restart is pending).
 */
import type { ScriptPlan } from './types.js';

/** Exit code of run-all.ps1 when a restart is pending: ERROR_SUCCESS_REBOOT_REQUIRED, as installers use it. */
export const RESTART_EXIT_CODE = 3010;

export interface RestartCheck {
  /** The DisabledComponents bits the spec sets; pending while they are set and the running table does not prefer IPv4. */
  disabledComponents: number;
}

export function restartCheck(host: { steps: readonly ScriptPlan[] }): RestartCheck | null {
  const step = host.steps.find((s) => s.template === 'ipv4-preference');
  if (!step || step.data.registry !== true || step.data.prefixPolicy === true) return null;
  return { disabledComponents: Number(step.data.disabledComponents) };
}
