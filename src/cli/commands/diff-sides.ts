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
import { ioFacts, type ExitCode, type Io, type IoFacts } from '../io.js';
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
  io: IoFacts;
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

/**
 * Plans the base side in `script`'s worker thread. Once the worker has ended or failed, every
 * answer still awaited (the side, or its rendering) fails with that error, and so does any later
 * request: a worker that dies between its two answers cannot leave `diff` waiting on nothing.
 */
export function workerSide(script: string, request: SideRequest): { side: Promise<{ side: Side; stderr: string }>; stop(): void } {
  const worker = new Worker(script, { workerData: request });
  let dead: Error | undefined;
  // The answer awaited now: the side first, then its rendering.
  let waiting: { resolve: (message: unknown) => void; reject: (error: unknown) => void } | undefined;
  const answer = <T>() =>
    new Promise<T>((resolve, reject) => {
      if (dead) return reject(dead);
      waiting = { resolve: resolve as (message: unknown) => void, reject };
    });
  const end = (error: Error) => {
    dead ??= error;
    waiting?.reject(dead);
    waiting = undefined;
  };
  worker.on('message', (message: unknown) => {
    const current = waiting;
    waiting = undefined;
    current?.resolve(message);
  });
  worker.on('error', (error) => end(error));
  worker.on('exit', (code) => end(new Error(`bug: the worker planning ${request.spec} ended (exit ${code}) before it answered`)));
  const side = answer<SideMessage>().then((message) => {
    if ('refused' in message) return { stderr: message.stderr, side: { refused: { report: receiveReport(message.refused.report), code: message.refused.code } } };
    const render = (paths: string[]) => {
      const rendered = answer<RenderedSide>();
      if (!dead) worker.postMessage(paths);
      return rendered;
    };
    return { stderr: message.stderr, side: { planned: { ...message.planned, render } } };
  });
  return { side, stop: () => void worker.terminate() };
}

/**
 * Both sides of `diff`, base first. Each side's warnings reach `io.stderr` base first; a worker
 * still running is stopped by `stop()` once the caller no longer needs it.
 */
export async function planSides(base: string, head: string, io: Io, specPath: string): Promise<{ base: Side; head: Side; stop(): void }> {
  const script = sideWorker(io);
  let remote: ReturnType<typeof workerSide> | undefined;
  try {
    remote = script === undefined ? undefined : workerSide(script, { spec: base, specPath, io: ioFacts(io) });
  } catch {
    // No thread could be started (out of resources, say): one after the other, as without one.
    remote = undefined;
  }
  if (!remote) {
    const before = await planSide(base, io, specPath);
    return { base: before, head: await planSide(head, io, specPath), stop: () => undefined };
  }
  const worker = remote;
  const warnings = { base: '', head: '' };
  const after = await planSide(head, { ...io, stderr: (text) => void (warnings.head += text) }, specPath).catch((error: unknown) => {
    worker.stop();
    throw error;
  });
  const answered = await worker.side.catch(() => undefined);
  let before: Side;
  if (answered) {
    before = answered.side;
    warnings.base = answered.stderr;
  } else {
    // The worker failed before it answered (it could not load, or it died): the base is planned
    // here; a fault of the planning itself then shows here too.
    worker.stop();
    before = await planSide(base, { ...io, stderr: (text) => void (warnings.base += text) }, specPath);
  }
  io.stderr(warnings.base);
  io.stderr(warnings.head);
  return { base: before, head: after, stop: answered ? worker.stop : () => undefined };
}
