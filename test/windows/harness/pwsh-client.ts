/**
 * The simulator's connection to PowerShell: one pwsh process (test/powershell/server.ps1, the
 * same request loop as test/helpers/pwsh.ts) serving every script run of a simulation, so a run
 * costs a fresh runspace, not a process. Kept free of vitest so `npm run simulate` can use it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file holding winrm-forge's package.json. */
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

export function findPwshExecutable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const ok = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (env.PWSH) return ok(env.PWSH) ? env.PWSH : undefined;
  const local = join(repositoryRoot(), '.tools', 'pwsh', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
  if (ok(local)) return local;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = dir && join(dir, process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
    if (candidate && ok(candidate)) return candidate;
  }
  return undefined;
}

const MARKER = '\u0001winrm-forge-pwsh ';

export class PwshClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly ready: Promise<void>;
  private buffer = '';
  private nextId = 1;
  private exited: Error | undefined;
  readonly log: string[] = [];

  constructor(pwsh: string) {
    const root = repositoryRoot();
    this.child = spawn(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', join(root, 'test', 'powershell', 'server.ps1')], {
      env: { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off' },
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
    if (this.log.length > 500) this.log.splice(0, this.log.length - 500);
  }

  async call<T>(op: string, input: unknown): Promise<T> {
    await this.ready;
    if (this.exited) throw this.exited;
    const id = this.nextId++;
    const answer = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.child.stdin.write(`${JSON.stringify({ id, op, input })}\n`);
    return (await answer) as T;
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    await done;
  }
}
