/**
 * Scripts as PowerShell's own parser reads them (test/powershell/script-shape.ps1): parse
 * problems, the AST node types and token kinds with each string literal collapsed to one
 * `literal`, and each literal's content. One pwsh per test file, started on first use.
 */
import { afterAll } from 'vitest';
import { findPwsh, PwshServer } from './pwsh.js';

export interface ScriptShape {
  problems: string[];
  /** AST node types in pre-order, then `|tokens`, then token kinds; a string literal (with what spans exactly it) is one `literal`. */
  shape: string[];
  /** Content of every string literal and psq concatenation, as PowerShell reads it. */
  literals: string[];
}

let server: PwshServer | undefined;
afterAll(async () => {
  await server?.close();
  server = undefined;
});

/** Reads scripts with PowerShell's parser, all in one request. Call only inside `describeWithPwsh`. */
export async function readScripts(texts: string[]): Promise<ScriptShape[]> {
  if (texts.length === 0) return [];
  server ??= new PwshServer(findPwsh()!);
  const { scripts } = await server.call<{ scripts: ScriptShape[] }>('test/powershell/script-shape.ps1', { texts });
  return scripts;
}

export async function readScript(text: string): Promise<ScriptShape> {
  return (await readScripts([text]))[0]!;
}

/** The AST part of a shape (before the token kinds). */
export const astOf = (shape: ScriptShape) => shape.shape.slice(0, shape.shape.indexOf('|tokens'));
/** The token kinds of a shape. */
export const tokensOf = (shape: ScriptShape) => shape.shape.slice(shape.shape.indexOf('|tokens') + 1);
