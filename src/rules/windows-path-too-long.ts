import type { Finding, Rule, SpecPath } from './rule.js';
import { exchangeServers, forests, reverseProxies, syncServers } from './facts.js';

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
  check(context) {
    const findings: Finding[] = [];
    // Folder names are the model's (host names in lowercase), as the output layout uses them.
    const check = (folder: string, path: SpecPath, host: string) => {
      const full = `${context.model.name}/${folder}/`;
      if (full.length <= FOLDER_BUDGET) return;
      findings.push({
        path,
        host,
        message: `The scripts of ${host} go to ${full} (${full.length} characters): with their file names, paths below the output folder pass ${TREE_PATH_BUDGET} characters, which Windows (${WINDOWS_MAX_PATH}-character MAX_PATH) refuses once the tree is copied to a folder such as C:\\Users\\<name>\\Documents\\`,
        hint: `Keep <environment>/hosts/<host>/ within ${FOLDER_BUDGET} characters: use a shorter environment name or host name, or enable long paths on every computer that will hold the tree and waive this rule for ${host}.`,
      });
    };
    // Domain controllers keep the spec's order in the model.
    for (const { forest: f, model, index: i } of forests(context)) model.domainControllers.forEach((dc, j) => check(`hosts/${dc.host}`, ['forests', i, 'domainControllers', j, 'host'], f.domainControllers?.[j]?.host ?? dc.host));
    for (const { server, model, index: i } of exchangeServers(context)) check(`hosts/${model.folder}`, ['exchange', i, 'host'], server.host);
    for (const { sync, model, index: i } of syncServers(context)) check(`hosts/${model.folder}`, ['syncServers', i, 'host'], sync.host);
    for (const { proxy, model, index: i } of reverseProxies(context)) {
      check(`hosts/${model.folder}`, ['reverseProxies', i, 'host'], proxy.host);
      if (model.externalClient) check(`clients/${model.publishedName}`, ['reverseProxies', i, 'publishedName'], proxy.host);
    }
    return findings;
  },
};
