/**
 * Support dates of the products and Windows Server releases a spec can declare, as Microsoft's
 * lifecycle pages state them (end of extended support; the last day a product gets security
 * updates). Data only: the product-lifecycle rule compares them with the day it is run on.
 */
import type { ExchangeVersion, OsVersion, SyncProduct } from '../spec/spec-types.js';

/** A calendar day, YYYY-MM-DD. Microsoft states the dates in Pacific time; a day is exact enough. */
export type Day = string;

export interface Lifecycle {
  /** The product's name as Microsoft's lifecycle page writes it. */
  name: string;
  /** Last day of extended support; absent for products under the Modern Lifecycle Policy. */
  end?: Day;
  /** Extended Security Updates after the end: last day (purchased, and in Azure where it differs). */
  esu?: { end: Day; azureEnd?: Day };
  /** Microsoft's page with the dates. */
  source: string;
}

const LIFECYCLE = 'https://learn.microsoft.com/lifecycle/products/';
const ESU = 'https://learn.microsoft.com/windows-server/get-started/extended-security-updates-overview';

export const EXCHANGE_LIFECYCLE: Readonly<Record<ExchangeVersion, Lifecycle>> = {
  'exchange-2010': { name: 'Exchange Server 2010', end: '2020-10-13', source: `${LIFECYCLE}exchange-server-2010` },
  'exchange-2013': { name: 'Exchange Server 2013', end: '2023-04-11', source: `${LIFECYCLE}exchange-server-2013` },
  'exchange-2016': { name: 'Exchange Server 2016', end: '2025-10-14', source: `${LIFECYCLE}exchange-server-2016` },
  'exchange-2019': { name: 'Exchange Server 2019', end: '2025-10-14', source: `${LIFECYCLE}exchange-server-2019` },
  'exchange-se': { name: 'Exchange Server Subscription Edition', source: `${LIFECYCLE}exchange-server-subscription-edition` },
};

/** The Exchange versions Microsoft lists as incompatible with Windows Management Framework 5.1. */
export const EXCHANGE_WITHOUT_WMF51: readonly ExchangeVersion[] = ['exchange-2010', 'exchange-2013'];
export const WMF51_COMPATIBILITY = 'MicrosoftDocs/PowerShell-Docs reference/docs-conceptual/windows-powershell/wmf/whats-new/compatibility.md';

export const SYNC_LIFECYCLE: Readonly<Partial<Record<SyncProduct, Lifecycle>>> = {
  'fim-2010-r2': { name: 'Forefront Identity Manager 2010 R2', end: '2022-10-11', source: `${LIFECYCLE}forefront-identity-manager-2010-r2` },
  // Supported in its latest service pack, SP2.
  'mim-2016': { name: 'Microsoft Identity Manager 2016 SP2', end: '2029-01-09', source: `${LIFECYCLE}microsoft-identity-manager-2016` },
};

export const OS_LIFECYCLE: Readonly<Record<OsVersion, Lifecycle>> = {
  'windows-server-2008-r2': { name: 'Windows Server 2008 R2', end: '2020-01-14', esu: { end: '2023-01-10', azureEnd: '2024-01-09' }, source: ESU },
  'windows-server-2012': { name: 'Windows Server 2012', end: '2023-10-10', esu: { end: '2026-10-13' }, source: ESU },
  'windows-server-2012-r2': { name: 'Windows Server 2012 R2', end: '2023-10-10', esu: { end: '2026-10-13' }, source: ESU },
  'windows-server-2016': { name: 'Windows Server 2016', end: '2027-01-12', source: `${LIFECYCLE}windows-server-2016` },
  'windows-server-2019': { name: 'Windows Server 2019', end: '2029-01-09', source: `${LIFECYCLE}windows-server-2019` },
  'windows-server-2022': { name: 'Windows Server 2022', end: '2031-10-14', source: `${LIFECYCLE}windows-server-2022` },
  'windows-server-2025': { name: 'Windows Server 2025', end: '2034-11-14', source: `${LIFECYCLE}windows-server-2025` },
};

/** `today` as a day in UTC. */
export function dayOf(today: Date): Day {
  return today.toISOString().slice(0, 10);
}

/** Support has ended once the last day of support is behind `today`. */
export function ended(last: Day | undefined, today: Day): boolean {
  return last !== undefined && today > last;
}
