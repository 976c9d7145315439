/**
 * The simulator's connection to PowerShell: the tests' runner (test/helpers/pwsh-server.ts, free
 * of vitest so `npm run simulate` can use it): one pwsh process serving every script run of a
 * simulation, so a run costs a fresh runspace, not a process.
 */
export { findPwsh as findPwshExecutable, PwshServer as PwshClient, repositoryRoot } from '../../helpers/pwsh-server.js';
