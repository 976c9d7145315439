/**
 * The worker thread of `diff` (see diff-sides.ts): plans the base spec, answers with its input
 * digests and hosts, then renders the paths it is sent and answers with that side, and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { workerIo } from '../io.js';
import { planSide, sendReport, type SideMessage, type SideRequest } from './diff-sides.js';

const port = parentPort;
if (!port) throw new Error('bug: diff-side-worker runs only as a worker thread');
const request = workerData as SideRequest;
let stderr = '';
const io = workerIo(request.io, () => undefined, (text) => void (stderr += text));
const side = await planSide(request.spec, io, request.specPath);
if ('refused' in side) {
  port.postMessage({ stderr, refused: { report: sendReport(side.refused.report), code: side.refused.code } } satisfies SideMessage);
  port.close();
} else {
  port.postMessage({ stderr, planned: { inputs: new Map(side.planned.inputs), hosts: side.planned.hosts } } satisfies SideMessage);
  port.once('message', (paths: string[]) => {
    void side.planned.render(paths).then((rendered) => {
      port.postMessage(rendered);
      port.close();
    });
  });
}
