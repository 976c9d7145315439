/**
 * Where each generated file lives in the tree. Keys of a rendered map are
 * `<environment>/<path in the environment folder>`; scripts of a managed host go to
 * `hosts/<folder>/`, scripts run from outside the environment to `clients/<folder>/`. Plan,
 * render and the tree comparison all ask here, so the layout is written once.
 */

export const PLAN_FILE = 'PLAN.md';
export const FIREWALL_FILE = 'firewall.csv';
export const MANIFEST_FILE = 'manifest.json';

const HOSTS = 'hosts';
const CLIENTS = 'clients';

/** `hosts/<folder>/<file>`, relative to the environment folder. */
export function hostScriptPath(folder: string, file: string): string {
  return `${HOSTS}/${folder}/${file}`;
}

/** `clients/<folder>/<file>`, relative to the environment folder. */
export function clientScriptPath(folder: string, file: string): string {
  return `${CLIENTS}/${folder}/${file}`;
}

/** `group-policy/<baseline>-exceptions.ps1`: the GPO values a baseline's waived deviations need. */
export function groupPolicyScriptPath(baselineId: string): string {
  return `group-policy/${baselineId}-exceptions.ps1`;
}

/** The key of a file in a rendered map: `<environment>/<relative>`. */
export function treePath(environment: string, relative: string): string {
  return `${environment}/${relative}`;
}

/** What a key of a rendered map names: its environment, the host whose folder holds it (if any), and the rest. */
export interface TreeLocation {
  environment: string;
  /** The host folder, for a file directly inside `hosts/<folder>/`. */
  host?: string;
  /** The path after the environment, or after the host folder. */
  file: string;
}

export function locate(path: string): TreeLocation {
  const parts = path.split('/');
  if (parts.length === 4 && parts[1] === HOSTS) return { environment: parts[0]!, host: parts[2]!, file: parts[3]! };
  if (parts.length >= 2) return { environment: parts[0]!, file: parts.slice(1).join('/') };
  return { environment: '', file: path };
}

/** Whether any key of `paths` lies in `<environment>/hosts/<host>/`. */
export function hasHostFiles(paths: readonly string[], environment: string, host: string): boolean {
  const prefix = treePath(environment, `${HOSTS}/${host}/`);
  return paths.some((path) => path.startsWith(prefix));
}
