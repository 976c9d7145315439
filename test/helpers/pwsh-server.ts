/**
 * PowerShell for the tests and for `npm run simulate` (free of vitest): finds pwsh (PWSH, the
 * project's .tools/pwsh, then PATH) and runs one pwsh process that serves many requests
 * (test/powershell/server.ps1): each request names an op script and gets its result as JSON.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file holding winrm-forge's package.json (also from dist/). */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'winrm-forge') return dir;
    } catch {
      // not here: go up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('winrm-forge repository root not found');
    dir = parent;
  }
}

export const REPO_ROOT = repositoryRoot();
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
    const path = isAbsolute(op) ? op : join(REPO_ROOT, op);
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
