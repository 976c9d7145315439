/**
 * PowerShell in the test loop: finds pwsh (the project's .tools/pwsh first, then PATH), and runs
 * one pwsh process that serves many requests (test/powershell/server.ps1): each request names an
 * op script under test/powershell/ (or test/windows/) and gets its result back as JSON.
 *
 * Tests that need pwsh use `describeWithPwsh`: without pwsh they are skipped with one line that
 * says how to install it, and when CI is set a missing pwsh fails the run instead.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TOOLS_MODULES = join(REPO_ROOT, '.tools', 'modules');
export const INSTALL_HINT = 'run `npm run setup:powershell` (installs pwsh 7.6.9 and Pester into .tools/)';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The pwsh to use: PWSH if set, the project's own under .tools/pwsh, then the first on PATH. */
export function findPwsh(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PWSH) return executable(env.PWSH) ? env.PWSH : undefined;
  const local = join(REPO_ROOT, '.tools', 'pwsh', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
  if (executable(local)) return local;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/** What a test that needs pwsh does without it: CI (any non-empty CI but "false" or "0") fails. */
export function whenPwshIsMissing(env: NodeJS.ProcessEnv): 'fail' | 'skip' {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0' ? 'fail' : 'skip';
}

/**
 * `describe` for tests that need pwsh. Missing pwsh: one visible skipped test naming the install
 * command, or, with CI set, one failing test, so CI can never pass without PowerShell.
 */
export function describeWithPwsh(name: string, body: (pwsh: string) => void): void {
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

const MARKER = '\u0001winrm-forge-pwsh ';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** One pwsh process answering requests in order; start it once per test file. */
export class PwshServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private readonly ready: Promise<void>;
  private nextId = 1;
  private buffer = '';
  private exited: Error | undefined;
  /** What ops wrote to the console besides their answers, for failure messages. */
  readonly log: string[] = [];

  constructor(pwsh: string, env: NodeJS.ProcessEnv = process.env) {
    const modulePath = [TOOLS_MODULES, env.PSModulePath].filter(Boolean).join(delimiter);
    this.child = spawn(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', join(REPO_ROOT, 'test', 'powershell', 'server.ps1')], {
      env: { ...env, PSModulePath: modulePath, POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let markReady: () => void = () => undefined;
    let failReady: (e: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, newline).replace(/\r$/, '');
        this.buffer = this.buffer.slice(newline + 1);
        if (!line.startsWith(MARKER)) {
          this.remember(line);
          continue;
        }
        const message = JSON.parse(line.slice(MARKER.length)) as { ready?: boolean; id?: number; result?: unknown; error?: string };
        if (message.ready) {
          markReady();
          continue;
        }
        const waiting = this.pending.get(message.id!);
        if (!waiting) continue;
        this.pending.delete(message.id!);
        if (message.error !== undefined) waiting.reject(new Error(`pwsh: ${message.error}`));
        else waiting.resolve(message.result);
      }
    });
    this.child.stderr.on('data', (chunk: string) => chunk.split('\n').filter(Boolean).forEach((l) => this.remember(l)));
    this.child.on('exit', (code, signal) => {
      this.exited = new Error(`pwsh exited (${signal ?? code}): ${this.log.slice(-5).join(' | ')}`);
      failReady(this.exited);
      for (const waiting of this.pending.values()) waiting.reject(this.exited);
      this.pending.clear();
    });
  }

  private remember(line: string): void {
    this.log.push(line);
    if (this.log.length > 1_000) this.log.splice(0, this.log.length - 1_000);
  }

  /** Runs `op` (a .ps1 path, absolute or relative to the repository) with `input` as -Request. */
  async call<T>(op: string, input: unknown): Promise<T> {
    await this.ready;
    if (this.exited) throw this.exited;
    const id = this.nextId++;
    const path = op.startsWith('/') ? op : join(REPO_ROOT, op);
    const answer = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.child.stdin.write(`${JSON.stringify({ id, op: path, input })}\n`);
    return (await answer) as T;
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    await done;
  }
}
