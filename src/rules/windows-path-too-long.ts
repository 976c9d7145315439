import type { Finding, Rule, SpecPath } from './rule.js';

/** Windows' MAX_PATH: 260 characters including the drive (C:\) and the terminating NUL. */
export const WINDOWS_MAX_PATH = 260;
/** Longest path below the output folder that still fits when the tree is copied under a folder of up to 56 characters. */
export const TREE_PATH_BUDGET = 200;
/** What a generated file name may take (a test holds every generated name to it). */
export const FILE_NAME_BUDGET = 60;
/** Longest host folder, `<environment>/hosts/<host>/`, that leaves FILE_NAME_BUDGET within TREE_PATH_BUDGET. */
export const FOLDER_BUDGET = TREE_PATH_BUDGET - FILE_NAME_BUDGET;

export const rule: Rule = {
  id: 'windows-path-too-long',
  severity: 'error',
  description: `A host folder of the generated tree is longer than ${FOLDER_BUDGET} characters, so its scripts pass Windows' 260-character path limit when copied.`,
  source: 'https://learn.microsoft.com/windows/win32/fileio/maximum-file-path-limitation',
  check({ spec }) {
    const findings: Finding[] = [];
    const check = (folder: string, path: SpecPath, host: string) => {
      const full = `${spec.environment}/${folder}/`;
      if (full.length <= FOLDER_BUDGET) return;
      findings.push({
        path,
        host,
        message: `The scripts of ${host} go to ${full} (${full.length} characters): with their file names, paths below the output folder pass ${TREE_PATH_BUDGET} characters, which Windows (${WINDOWS_MAX_PATH}-character MAX_PATH) refuses once the tree is copied to a folder such as C:\\Users\\<name>\\Documents\\`,
        hint: `Keep <environment>/hosts/<host>/ within ${FOLDER_BUDGET} characters: use a shorter environment name or host name, or enable long paths on every computer that will hold the tree and waive this rule for ${host}.`,
      });
    };
    spec.forests.forEach((f, i) => (f.domainControllers ?? []).forEach((dc, j) => check(`hosts/${dc.host.toLowerCase()}`, ['forests', i, 'domainControllers', j, 'host'], dc.host)));
    spec.exchange.forEach((s, i) => check(`hosts/${s.host.toLowerCase()}`, ['exchange', i, 'host'], s.host));
    (spec.syncServers ?? []).forEach((s, i) => check(`hosts/${s.host.toLowerCase()}`, ['syncServers', i, 'host'], s.host));
    (spec.reverseProxies ?? []).forEach((p, i) => {
      check(`hosts/${p.host.toLowerCase()}`, ['reverseProxies', i, 'host'], p.host);
      if (p.externalClient) check(`clients/${p.publishedName.toLowerCase()}`, ['reverseProxies', i, 'publishedName'], p.host);
    });
    return findings;
  },
};
