// Child process for the read-only folder test: writes the sample tree (v1 or v2) with the
// built writer and prints the result as JSON. Run as an unprivileged user, where a folder's
// permissions are enforced.
// Usage: node write-tree-child.mjs <out> <tree.json>
import { readFileSync } from 'node:fs';
import { writeOutput } from '../../dist/src/output/atomic-output.js';

const [out, treeFile] = process.argv.slice(2);
const entries = JSON.parse(readFileSync(treeFile, 'utf8'));
const files = new Map(entries.map(([path, text]) => [path, Buffer.from(text, 'utf8')]));
process.stdout.write(JSON.stringify(writeOutput(out, files)));
