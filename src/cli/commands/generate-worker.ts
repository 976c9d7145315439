/** The worker thread of a large `generate` (see generate-thread.ts): generates here, output and exit code sent to the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { workerIo } from '../io.js';
import { generateHere } from './generate.js';
import type { GenerateMessage, GenerateRequest } from './generate-thread.js';

const port = parentPort;
if (!port) throw new Error('bug: generate-worker runs only as a worker thread');
const request = workerData as GenerateRequest;
const send = (message: GenerateMessage) => port.postMessage(message);
const io = workerIo(request.io, (text) => send({ stdout: text }), (text) => send({ stderr: text }));
send({ code: await generateHere(request.options, io) });
port.close();
