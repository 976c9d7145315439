/**
 * Values that look like secrets. The schema stage never quotes one into a message (and has the
 * text formatter mask it), and the secret-in-spec rule reports one where it sits; both ask here.
 */
/**
 * Latin look-alikes (Cyrillic and Greek letters that NFKC keeps) folded to the Latin letter
 * they imitate, so `pаssword=` with a Cyrillic а is read as password=.
 */
const HOMOGLYPHS: Readonly<Record<string, string>> = {
  '\u0430': 'a', '\u0435': 'e', '\u043e': 'o', '\u0440': 'p', '\u0441': 'c', '\u0445': 'x', '\u0443': 'y', '\u0456': 'i', '\u0455': 's', '\u0458': 'j', '\u0501': 'd', '\u04bb': 'h', '\u043a': 'k', '\u0442': 't', '\u043d': 'h', '\u0432': 'b', '\u043c': 'm',
  '\u0410': 'A', '\u0415': 'E', '\u041e': 'O', '\u0420': 'P', '\u0421': 'C', '\u0425': 'X', '\u0423': 'Y', '\u0406': 'I', '\u0405': 'S', '\u0408': 'J', '\u041a': 'K', '\u0422': 'T', '\u041d': 'H', '\u0412': 'B', '\u041c': 'M',
  '\u03b1': 'a', '\u03bf': 'o', '\u03c1': 'p', '\u03b5': 'e', '\u03ba': 'k', '\u03bd': 'v', '\u03c4': 't', '\u03c5': 'u', '\u03c9': 'w', '\u0391': 'A', '\u0392': 'B', '\u0395': 'E', '\u0397': 'H', '\u0399': 'I', '\u039a': 'K', '\u039c': 'M', '\u039d': 'N', '\u039f': 'O', '\u03a1': 'P', '\u03a4': 'T', '\u03a5': 'Y', '\u03a7': 'X', '\u0396': 'Z',
};
const HOMOGLYPH = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'gu');
/** Characters that render as nothing (zero-width spaces and joiners, word joiner, BOM, soft hyphen). */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * The text as a reader sees it: compatibility forms (fullwidth letters, ligatures) made plain
 * by NFKC, invisible characters removed, Latin look-alikes folded to Latin.
 */
export function normalizeForSecrets(value: string): string {
  return value.normalize('NFKC').replace(INVISIBLE, '').replace(HOMOGLYPH, (c) => HOMOGLYPHS[c] ?? c);
}

/** Names that say the value next to them is a secret (English, German, French, Spanish, Dutch). */
const SECRET_NAME =
  '(?:pass(?:word|wd|phrase|code)?|pwd|pw|passwort|kennwort|mot[-_ ]?de[-_ ]?passe|contrase(?:n|ñ)a|wachtwoord|secret|client[-_ ]?secret|token|access[-_ ]?token|refresh[-_ ]?token|auth[-_ ]?token|api[-_ ]?key|apikey|access[-_ ]?key|secret[-_ ]?key|private[-_ ]?key|shared[-_ ]?key|account[-_ ]?key|storage[-_ ]?key|subscription[-_ ]?key|sas[-_ ]?token|credentials?)';
/** Query parameters that carry a secret: keys, passwords, signatures (SAS), OAuth codes and tokens. */
const SECRET_QUERY = /[?&;](?:key|api[-_]?key|apikey|pw|pwd|pass|password|passwd|sig|signature|code|token|access_token|id_token|refresh_token|secret|client_secret|auth|x-amz-signature|x-amz-credential)=[^&#\s]+/i;
/** A credential the way an Authorization header carries it. */
const AUTH_SCHEME = /\b(?:basic|bearer|negotiate|ntlm|digest)\s+([A-Za-z0-9+/=._~-]{8,})/gi;

/** A word that carries a token rather than prose: digits, symbols or a capital past its first letter. */
function tokenLike(word: string): boolean {
  return /[0-9+/=]/.test(word) || (/[a-z]/.test(word) && /.[A-Z]/.test(word));
}

/**
 * What a secret looks like inside a free-text value, tested on the normalized text. Each test
 * names the kind it found; the finding never repeats the value, so the secret does not travel
 * on into logs or SARIF.
 */
const SECRET_SHAPES: readonly { kind: string; test: (value: string) => boolean }[] = [
  {
    kind: 'a private key',
    // PEM of any kind (RSA, EC, OPENSSH, ENCRYPTED, PGP ... BLOCK), a PuTTY key file.
    test: (v) => /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/i.test(v) || /PuTTY-User-Key-File-\d/i.test(v) || /\bPrivate-(?:Lines|MAC):/i.test(v),
  },
  // user:password@host (or :password@host, an empty user as tokens are written) in any URI scheme.
  { kind: 'a URI with a user name and password', test: (v) => /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@/i.test(v) },
  // A token as a URI's user name: https://ghp_...@github.com.
  { kind: 'a URI with a token as user name', test: (v) => [...v.matchAll(/[a-z][a-z0-9+.-]*:\/\/([^\s/@:]{20,})@/gi)].some((m) => tokenLike(m[1] as string)) },
  { kind: 'a secret in a URI query', test: (v) => SECRET_QUERY.test(v) },
  { kind: 'an Authorization header', test: (v) => /\b(?:proxy-)?authorization\s*:\s*\S/i.test(v) || [...v.matchAll(AUTH_SCHEME)].some((m) => tokenLike(m[1] as string)) },
  // name=value or name: value where the name says password, secret, token or key.
  { kind: 'a password, secret, token or key assignment', test: (v) => new RegExp(`(?:^|[^a-z0-9])${SECRET_NAME}\\s*[:=]\\s*\\S`, 'i').test(v) },
  // A PowerShell parameter given a literal: -Password x, -Token 'x' (a variable or an expression is not a secret).
  {
    kind: 'a password given to a PowerShell parameter',
    test: (v) => /(?:^|\s)-(?:password|passwd|pwd|secret|token|apikey|accesskey|clientsecret)\s*[:\s]\s*(?![$(@\s-])\S/i.test(v) || /ConvertTo-SecureString\s+(?:-String\s+)?['"]/i.test(v),
  },
  { kind: 'a JSON Web Token', test: (v) => /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/.test(v) },
  { kind: 'an AWS access key ID', test: (v) => /(?:^|[^A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}(?![A-Z0-9])/.test(v) },
  {
    kind: 'a service token (GitHub, GitLab, Slack, Azure)',
    test: (v) => /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,})/.test(v) || /SharedAccessSignature\s*=|AccountKey\s*=/i.test(v),
  },
  { kind: 'a long hexadecimal blob (a key or hash)', test: (v) => longRun(v, /[0-9A-Fa-f]{32,}/g, (run) => /[0-9]/.test(run) && /[A-Fa-f]/.test(run)) },
  {
    kind: 'a long base64 blob (a key or token)',
    test: (v) => longRun(v, /[A-Za-z0-9+/_-]{40,}={0,2}/g, randomBase64) || splitBase64(v),
  },
];

function randomBase64(run: string): boolean {
  return /[0-9]/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run);
}

/**
 * Base64 wrapped or split by whitespace: two or more token-like chunks of 8 or more characters
 * in a row that together make a random-looking run of 40 or more.
 */
function splitBase64(value: string): boolean {
  for (const match of value.matchAll(/(?:[A-Za-z0-9+/]{8,}\s+)+[A-Za-z0-9+/]{4,}={0,2}/g)) {
    const chunks = match[0].split(/\s+/);
    const body = chunks.slice(0, -1);
    if (!body.every(tokenLike)) continue;
    const joined = chunks.join('');
    if (joined.length >= 40 && randomBase64(joined)) return true;
  }
  return false;
}

function longRun(value: string, pattern: RegExp, looksRandom: (run: string) => boolean): boolean {
  for (const match of value.matchAll(pattern)) if (looksRandom(match[0])) return true;
  return false;
}

/** Values whose key says they hold a certificate thumbprint or a waiver's hash pin: hexadecimal by design, public. */
const PUBLIC_HEX_KEYS: ReadonlySet<string> = new Set(['thumbprint', 'sha256']);

/** The kind of secret `value` looks like, or undefined. */
export function secretKind(value: string, key: string | number | undefined): string | undefined {
  const text = normalizeForSecrets(value);
  for (const shape of SECRET_SHAPES) {
    if (typeof key === 'string' && PUBLIC_HEX_KEYS.has(key) && shape.kind.startsWith('a long hexadecimal')) continue;
    if (shape.test(text)) return shape.kind;
  }
  return undefined;
}
