import type { ExitCode, Io } from '../io.js';
import { schemaText } from '../../shared/paths.js';

/** Prints the JSON Schema of the spec, for editors and other tools. */
export function runSchema(io: Io): ExitCode {
  io.stdout(schemaText());
  return 0;
}
