/**
 * The failure hints of the external client test, run in PowerShell against the messages WinRM
 * really prints. Sources of the messages: the Exchange support article "Connecting to the remote
 * server failed ... when you start the Exchange Management Shell" (error messages 5 and 6) and
 * wsmerror.h (ERROR_WSMAN_HTTP_NOT_FOUND_STATUS, 0x80338113).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateExample } from './helpers/generate.js';
import { repoRoot } from './helpers/spec.js';

const pwsh = join(repoRoot, '.tools', 'pwsh', 'pwsh');
// CI installs PowerShell before the tests (scripts/install-powershell.sh); elsewhere the test
// runs when it is installed.
const available = existsSync(pwsh);
if (process.env.CI && !available) throw new Error('PowerShell is missing: run bash scripts/install-powershell.sh');

/** The Get-FailureHint function of the generated script, as PowerShell source. */
async function failureHintFunction(): Promise<string> {
  const { files } = await generateExample('exchange-arr-publishing.yaml');
  const text = Buffer.from(files!.get('contoso-arr/clients/mail.contoso.com/external-client-test.ps1')!).toString('utf8');
  const start = text.indexOf('function Get-FailureHint {');
  const end = text.indexOf('\r\n}\r\n', start);
  expect(start).toBeGreaterThan(0);
  return text.slice(start, end + 3);
}

function hintFor(fn: string, message: string): string {
  const script = `$proxy = 'arr01.contoso.com'; $backends = 'exch1.contoso.com'; $account = 'CONTOSO\\admin'\n${fn}\nGet-FailureHint -Message $env:HINT_MESSAGE`;
  return execFileSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command', script], { encoding: 'utf8', env: { ...process.env, HINT_MESSAGE: message } }).trim();
}

const prefix = 'Connecting to remote server mail.contoso.com failed with the following error message : ';

describe.skipIf(!available)('external client test failure hints, with the messages WinRM prints', () => {
  it('maps the real 403 message to the Require SSL and client certificate hint', async () => {
    const fn = await failureHintFunction();
    const real = `${prefix}The WinRM client received an HTTP status code of 403 from the remote WS-Management service. For more information, see the about_Remote_Troubleshooting Help topic.`;
    expect(hintFor(fn, real)).toMatch(/^HTTP 403: Require SSL or a client certificate demand on the PowerShell virtual directory of exch1\.contoso\.com/);
  }, 20_000);

  it('maps the real 404 message to the rewrite rule hint', async () => {
    const fn = await failureHintFunction();
    const real = `${prefix}The WinRM client sent a request to an HTTP server and got a response saying the requested HTTP URL was not available. This is usually returned by a HTTP server that does not support the WS-Management protocol. For more information, see the about_Remote_Troubleshooting Help topic.`;
    expect(hintFor(fn, real)).toMatch(/^HTTP 404: no rewrite rule on arr01\.contoso\.com matched \/PowerShell/);
  }, 20_000);
});
