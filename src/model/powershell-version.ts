/**
 * Which Windows PowerShell a host's scripts run in: the version the spec declares, else one
 * derived from the host's OS and Exchange version, each with the reason PLAN.md shows. Also the
 * combinations that cannot be right, which the powershell-version-impossible rule reports.
 *
 * Sources: PowerShell-Docs `reference/docs-conceptual/windows-powershell/wmf-overview.md` (which
 * WMF ships in-box on which release, and where each can be installed); the Exchange Server
 * supportability matrix (Exchange 2010: no WMF 3.0 and no WMF 5.1; WMF 4.0 from Exchange 2010 SP3
 * RU5); "Features removed or no longer developed in Windows Server 2025" (the Windows PowerShell
 * 2.0 engine is removed).
 */
import type { ExchangeVersion, OsVersion, PowerShellVersion } from '../spec/spec-types.js';

export interface PowerShellFacts {
  version: PowerShellVersion;
  /** The spec names the version; otherwise it is derived. */
  declared: boolean;
  /** One sentence for PLAN.md: why the scripts target this version. */
  reason: string;
  /** Below 3.0: the scripts use only Windows PowerShell 2.0 syntax and commands. */
  v2: boolean;
  /** Below 5.1: the scripts are written for an older Windows PowerShell. */
  legacy: boolean;
}

const rank: Record<PowerShellVersion, number> = { '2.0': 0, '3.0': 1, '4.0': 2, '5.1': 3 };

/** The Windows PowerShell each release ships in the box (wmf-overview.md). */
export const INBOX_POWERSHELL: Record<OsVersion, PowerShellVersion> = {
  'windows-server-2008-r2': '2.0',
  'windows-server-2012': '3.0',
  'windows-server-2012-r2': '4.0',
  'windows-server-2016': '5.1',
  'windows-server-2019': '5.1',
  'windows-server-2022': '5.1',
  'windows-server-2025': '5.1',
};

export function powershellBelow(version: PowerShellVersion, than: PowerShellVersion): boolean {
  return rank[version] < rank[than];
}

function facts(version: PowerShellVersion, declared: boolean, reason: string): PowerShellFacts {
  return { version, declared, reason, v2: version === '2.0', legacy: version !== '5.1' };
}

/**
 * The version a host's scripts target. Derived: 2.0 on an Exchange 2010 server (Exchange 2010
 * supports neither WMF 3.0 nor WMF 5.1, and WMF 4.0 only from SP3 RU5, which the spec cannot tell)
 * and on Windows Server 2008 R2 (2.0 is in the box; WMF 5.1 is a separate install); else 5.1, which
 * ships from 2016 and is installable on 2012 and 2012 R2, as the scripts have always assumed.
 */
export function powershellFacts(declared: PowerShellVersion | undefined, os: OsVersion, exchangeVersion: ExchangeVersion | null): PowerShellFacts {
  if (declared !== undefined) return facts(declared, true, `declared in the spec (powershell: '${declared}')`);
  if (exchangeVersion === 'exchange-2010' && powershellBelow(INBOX_POWERSHELL[os], '5.1')) {
    return facts(
      '2.0',
      false,
      "Exchange 2010 supports neither WMF 3.0 nor WMF 5.1 on its servers, and WMF 4.0 only from Exchange 2010 SP3 RU5; declare powershell: '4.0' where that is installed",
    );
  }
  if (os === 'windows-server-2008-r2') {
    return facts('2.0', false, "Windows Server 2008 R2 ships Windows PowerShell 2.0; WMF 5.1 is a separate install: declare powershell: '5.1' where it is installed");
  }
  return facts('5.1', false, os === 'windows-server-2012' || os === 'windows-server-2012-r2' ? 'WMF 5.1 is assumed installed on this release' : `${os} ships Windows PowerShell 5.1`);
}

/** Why a host cannot run the declared version, or null when it can. */
export function impossiblePowerShell(version: PowerShellVersion, os: OsVersion, exchangeVersion: ExchangeVersion | null): string | null {
  if (version === '2.0' && os === 'windows-server-2025') {
    return 'Windows Server 2025 no longer has the Windows PowerShell 2.0 engine (removed in that release)';
  }
  const inbox = INBOX_POWERSHELL[os];
  // The 2.0 engine is an optional feature beside the in-box version up to 2022; a newer in-box
  // version cannot be uninstalled down to 3.0 or 4.0.
  if (version !== '2.0' && powershellBelow(version, inbox)) {
    return `${os} ships Windows PowerShell ${inbox}, which cannot be removed: the host cannot run ${version}`;
  }
  // On a release that ships 5.1 Exchange 2010 is not installable at all: not this check's concern.
  if (exchangeVersion === 'exchange-2010' && version === '5.1' && powershellBelow(inbox, '5.1')) {
    return 'Exchange 2010 does not support WMF 5.1 on its servers (WMF 4.0 only from Exchange 2010 SP3 RU5)';
  }
  if (exchangeVersion === 'exchange-2010' && version === '3.0' && os === 'windows-server-2008-r2') {
    return 'Exchange 2010 does not support WMF 3.0 on its servers (WMF 4.0 only from Exchange 2010 SP3 RU5)';
  }
  return null;
}
