/**
 * The two sides of `diff`: each spec checked, planned, and rendered where the other side does
 * not share an input digest. Planning a spec is nearly all of a one-host `diff` (reading and
 * checking the YAML, the rules, the plan, the input digests), and the two specs are independent,
 * so where a second CPU is idle (workers.ts) the built command plans the base spec in a worker thread
 * (`diff-side-worker.ts`, bundled as dist/src/diff-side.js) while this thread plans the head one;
 * each side then renders its own differing paths. Standard error shows the base spec's warnings
 * before the head spec's, as when they run one after the other, which they do from the sources
 * (tests), or without an idle CPU.
 */
import { Worker } from 'node:worker_threads';
import { SourceText, type Diagnostic, type FileReport } from '../../shared/diagnostics.js';
import { builtWorker } from './workers.js';
import type { ExitCode, Io } from '../io.js';
import type { Plan } from '../../index.js';
import type { HostFacts } from '../../diff/review.js';
import { plannedInputs, renderSide, type RenderedSide } from '../../diff/incremental.js';
import { renderSpec } from './render-spec.js';

/** A side that rendered: its input digests, its hosts as a reviewer knows them, and rendering on request (once). */
export interface PlannedSide {
  inputs: ReadonlyMap<string, string | undefined>;
  hosts: HostFacts[];
  render(paths: string[]): Promise<RenderedSide>;
}

export type Side = { refused: { report: FileReport; code: ExitCode } } | { planned: PlannedSide };

/** Every host the spec declares, with the role and forest a reviewer knows it by. */
export function hostFacts(plan: Plan): HostFacts[] {
  const e = plan.environment;
  return [
    ...e.exchange.map((x) => ({ host: x.host, role: 'Exchange server', forest: x.forest })),
    ...e.syncServers.map((s) => ({ host: s.host, role: 'sync server', forest: s.forest })),
    ...e.forests.flatMap((f) => f.domainControllers.map((d) => ({ host: d.host, role: 'domain controller', forest: f.name }))),
    ...e.reverseProxies.map((p) => ({ host: p.host, role: 'reverse proxy' })),
  ];
}

/** Checks and plans one spec in this thread; its warnings go to `io.stderr`. */
export async function planSide(spec: string, io: Io, specPath: string): Promise<Side> {
  const outcome = await renderSpec(spec, io, { specPath, deferRender: true });
  if (!('rendered' in outcome)) return { refused: outcome };
  const tree = outcome.rendered.planned;
  if (!tree) throw new Error('bug: a spec was rendered without its planned tree');
  return { planned: { inputs: plannedInputs(tree), hosts: hostFacts(outcome.rendered.plan), render: (paths) => Promise.resolve(renderSide(tree, paths)) } };
}

/** What the worker is given. */
export interface SideRequest {
  spec: string;
  specPath: string;
  cwd: string;
  env: Record<string, string | undefined>;
  stderrIsTTY: boolean;
}

/** What the worker answers first: the side as data (a report's source as its text), and the warnings it printed. */
export type SideMessage = { stderr: string } & ({ refused: { report: SentReport; code: ExitCode } } | { planned: { inputs: Map<string, string | undefined>; hosts: HostFacts[] } });

export interface SentReport {
  file: string;
  text?: string;
  diagnostics: Diagnostic[];
}

export const sendReport = (report: FileReport): SentReport => ({ file: report.file, diagnostics: report.diagnostics, ...(report.source ? { text: report.source.text } : {}) });
const receiveReport = (sent: SentReport): FileReport => ({ file: sent.file, diagnostics: sent.diagnostics, ...(sent.text === undefined ? {} : { source: new SourceText(sent.text) }) });

/** The worker script of the built command that plans diff's base side, where one may run (see workers.ts). */
export function sideWorker(io: Io): string | undefined {
  return builtWorker('diff-side.js', io);
}

/** Plans the base side in `script`'s worker thread. */
function workerSide(script: string, request: SideRequest): { side: Promise<{ side: Side; stderr: string }>; stop(): void } {
  const worker = new Worker(script, { workerData: request });
  let settle: ((value: RenderedSide) => void) | undefined;
  let fail: ((error: unknown) => void) | undefined;
  const side = new Promise<{ side: Side; stderr: string }>((resolve, reject) => {
    fail = reject;
    worker.once('message', (message: SideMessage) => {
      if ('refused' in message) {
        resolve({ stderr: message.stderr, side: { refused: { report: receiveReport(message.refused.report), code: message.refused.code } } });
        return;
      }
      const render = (paths: string[]) =>
        new Promise<RenderedSide>((done, broke) => {
          settle = done;
          fail = broke;
          worker.once('message', (rendered: RenderedSide) => settle?.(rendered));
          worker.postMessage(paths);
        });
      resolve({ stderr: message.stderr, side: { planned: { ...message.planned, render } } });
    });
  });
  worker.once('error', (error) => fail?.(error));
  worker.once('exit', (code) => fail?.(new Error(`bug: the worker planning ${request.spec} exited (${code}) before it answered`)));
  return { side, stop: () => void worker.terminate() };
}

/**
 * Both sides of `diff`, base first. Each side's warnings reach `io.stderr` base first; a worker
 * still running is stopped by `stop()` once the caller no longer needs it.
 */
export async function planSides(base: string, head: string, io: Io, specPath: string): Promise<{ base: Side; head: Side; stop(): void }> {
  const script = sideWorker(io);
  if (!script) {
    const before = await planSide(base, io, specPath);
    return { base: before, head: await planSide(head, io, specPath), stop: () => undefined };
  }
  const remote = workerSide(script, { spec: base, specPath, cwd: io.cwd, env: { ...io.env }, stderrIsTTY: io.stderrIsTTY ?? false });
  let headWarnings = '';
  try {
    const after = await planSide(head, { ...io, stderr: (text) => void (headWarnings += text) }, specPath);
    const before = await remote.side;
    io.stderr(before.stderr);
    io.stderr(headWarnings);
    return { base: before.side, head: after, stop: remote.stop };
  } catch (error) {
    remote.stop();
    throw error;
  }
}
