/**
 * Tests that need PowerShell: `describeWithPwsh` runs them with the pwsh `findPwsh` finds;
 * without pwsh they are skipped with one line that says how to install it, and when CI is set
 * a missing pwsh fails the run instead. The runner itself is in pwsh-server.ts.
 */
import { describe, it } from 'vitest';
import { findPwsh, INSTALL_HINT } from './pwsh-server.js';

export { findPwsh, INSTALL_HINT, PwshServer, REPO_ROOT, TOOLS_MODULES } from './pwsh-server.js';

/** What a test that needs pwsh does without it: CI (any non-empty CI but "false" or "0") fails. */
export function whenPwshIsMissing(env: NodeJS.ProcessEnv): 'fail' | 'skip' {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0' ? 'fail' : 'skip';
}

/**
 * `describe` for tests that need pwsh. Missing pwsh: one visible skipped test naming the install
 * command, or, with CI set, one failing test, so CI can never pass without PowerShell.
 */
export function describeWithPwsh(name: string, body: (pwsh: string) => void | Promise<void>): void {
  const pwsh = findPwsh();
  if (pwsh) {
    describe(name, () => body(pwsh));
    return;
  }
  const message = `pwsh not found (.tools/pwsh, PATH): ${INSTALL_HINT}`;
  if (whenPwshIsMissing(process.env) === 'fail') {
    describe(name, () => {
      it('needs PowerShell', () => {
        throw new Error(`${message}; CI must run with PowerShell`);
      });
    });
  } else {
    console.warn(`skipped "${name}": ${message}`);
    describe.skip(name, () => it('needs PowerShell', () => undefined));
  }
}
