/** The worker thread of `generate --check` (see check-digests.ts): hashes the recorded files of one folder and answers with them. */
import { parentPort, workerData } from 'node:worker_threads';
import { outputFolder } from '../../output/atomic-output.js';
import { folderDigests } from '../../diff/incremental.js';
import type { DigestRequest } from './check-digests.js';

const port = parentPort;
if (!port) throw new Error('bug: check-digest-worker runs only as a worker thread');
const request = workerData as DigestRequest;
const folder = outputFolder(request.out, request.environment);
port.postMessage(folder ? folderDigests(folder, request.environment) : null);
port.close();
