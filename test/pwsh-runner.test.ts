import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPwsh, findPwsh, PwshServer, whenPwshIsMissing } from './helpers/pwsh.js';

describe('finding pwsh', () => {
  it('fails under CI and skips elsewhere when pwsh is missing', () => {
    expect(whenPwshIsMissing({ CI: 'true' })).toBe('fail');
    expect(whenPwshIsMissing({ CI: '1' })).toBe('fail');
    expect(whenPwshIsMissing({})).toBe('skip');
    expect(whenPwshIsMissing({ CI: 'false' })).toBe('skip');
  });

  it('takes PWSH when it names an executable, and nothing else then', () => {
    expect(findPwsh({ PWSH: '/nonexistent/pwsh', PATH: '/usr/bin' })).toBeUndefined();
  });
});

describeWithPwsh('the pwsh runner', (pwsh) => {
  let server: PwshServer;
  const folder = mkdtempSync(join(tmpdir(), 'winrm-forge-pwsh-'));
  const op = join(folder, 'op.ps1');
  writeFileSync(op, "param($Request)\nWrite-Host -Object 'console noise'\nif ($Request['fail']) { throw 'asked to fail' }\n@{ echo = $Request; version = $PSVersionTable.PSVersion.ToString() }\n");
  beforeAll(() => {
    server = new PwshServer(pwsh);
  });
  afterAll(async () => server.close());

  it('runs many requests in one process and returns structured JSON', async () => {
    const answers = await Promise.all([1, 2, 3].map((n) => server.call<{ echo: { n: number; text: string } }>(op, { n, text: 'it\u2019s \u00e9' })));
    expect(answers.map((a) => a.echo)).toEqual([1, 2, 3].map((n) => ({ n, text: 'it\u2019s \u00e9' })));
    expect((await server.call<{ version: string }>(op, {})).version).toMatch(/^7\./);
    expect(server.log).toContain('console noise');
  });

  it('turns an error in an op into a rejected call and keeps serving', async () => {
    await expect(server.call(op, { fail: true })).rejects.toThrow(/asked to fail/);
    expect((await server.call<{ echo: { n: number } }>(op, { n: 9 })).echo.n).toBe(9);
  });
});
