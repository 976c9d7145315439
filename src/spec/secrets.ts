/**
 * Values that look like secrets. The schema stage never quotes one into a message, and the
 * secret-in-spec rule reports one where it sits; both ask here.
 */
/**
 * What a secret looks like inside a free-text value. Each test names the kind it found; the
 * finding never repeats the value, so the secret does not travel on into logs or SARIF.
 */
const SECRET_SHAPES: readonly { kind: string; test: (value: string) => boolean }[] = [
  { kind: 'a private key', test: (v) => /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(v) },
  // user:password@host in any URI scheme (http, ldap, sql...).
  { kind: 'a URI with a user name and password', test: (v) => /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]+:[^\s/@]+@/i.test(v) },
  // name=value or name: value where the name says password, secret, token or key.
  {
    kind: 'a password, secret, token or key assignment',
    test: (v) => /(?:^|[^a-z0-9])(?:pass(?:word|wd|phrase)?|pwd|secret|client[-_ ]?secret|token|api[-_ ]?key|access[-_ ]?key|private[-_ ]?key|shared[-_ ]?key|credentials?)\s*[:=]\s*\S/i.test(v),
  },
  { kind: 'a JSON Web Token', test: (v) => /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/.test(v) },
  { kind: 'a long hexadecimal blob (a key or hash)', test: (v) => longRun(v, /[0-9A-Fa-f]{32,}/g, (run) => /[0-9]/.test(run) && /[A-Fa-f]/.test(run)) },
  {
    kind: 'a long base64 blob (a key or token)',
    test: (v) => longRun(v, /[A-Za-z0-9+/_-]{40,}={0,2}/g, (run) => /[0-9]/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run)),
  },
];

function longRun(value: string, pattern: RegExp, looksRandom: (run: string) => boolean): boolean {
  for (const match of value.matchAll(pattern)) if (looksRandom(match[0])) return true;
  return false;
}

/** Values whose key says they hold a certificate thumbprint: hexadecimal by design, public. */
const PUBLIC_HEX_KEYS: ReadonlySet<string> = new Set(['thumbprint']);

/** The kind of secret `value` looks like, or undefined. */
export function secretKind(value: string, key: string | number | undefined): string | undefined {
  for (const shape of SECRET_SHAPES) {
    if (typeof key === 'string' && PUBLIC_HEX_KEYS.has(key) && shape.kind.startsWith('a long hexadecimal')) continue;
    if (shape.test(value)) return shape.kind;
  }
  return undefined;
}
