/** ANSI styling, used only when the output is a terminal and NO_COLOR is not set. */
export interface Style {
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export const ansi: Style = { red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39), dim: wrap(2, 22), bold: wrap(1, 22) };

const identity = (s: string) => s;
export const plain: Style = { red: identity, yellow: identity, cyan: identity, dim: identity, bold: identity };

/**
 * Color for a stream that is (`isTTY`) or is not a terminal. https://no-color.org: any
 * non-empty NO_COLOR disables color; FORCE_COLOR=1 forces it; TERM=dumb (Emacs shells, some
 * CI consoles) is a terminal without escape sequences.
 */
export function chooseStyle(isTTY: boolean, env: Record<string, string | undefined>): Style {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return plain;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return ansi;
  if (env.TERM === 'dumb') return plain;
  return isTTY ? ansi : plain;
}
