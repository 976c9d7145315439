/**
 * Secrets: a value that looks like a password, key or token is refused by secret-in-spec (or,
 * in a field whose form it breaks, by the schema first) with a located diagnostic that does not
 * repeat it, and nothing is generated, so no flagged value reaches an output file. Bounded by SECRETS_RUNS (default 150) and SECRETS_SECONDS (default 60).
 */
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateText } from '../src/index.js';
import { secretKind } from '../src/spec/secrets.js';
import { readRepoFile } from './helpers/spec.js';

const RUNS = Number(process.env.SECRETS_RUNS ?? 150);
const SECONDS = Number(process.env.SECRETS_SECONDS ?? 60);
const OPTIONS = { specPath: 'spec.yaml', toolVersion: '0.0.0' };

const BASE = readRepoFile('test/fixtures/generate/every-branch.yaml');
/** Fields that accept free text, so a secret can pass the schema there. */
const FREE_TEXT: (string | number)[][] = [
  ['metadata', 'description'],
  ['metadata', 'owner'],
  ['metadata', 'changeReference'],
  ['waivers', 0, 'reason'],
  ['metadata', 'documentation'],
];

function specWith(path: (string | number)[], value: string): string {
  const document = parseDocument(BASE);
  document.setIn(path, value);
  return document.toString({ lineWidth: 0 });
}

const SECRETS = [
  'svc_sync password=Summer2024!',
  'Password: hunter2hunter2',
  'pwd=Pa55w0rd',
  'client_secret=8Q~aBcDeFgHiJkLmNoPqRsTuVwXyZ',
  'api-key: 0123abcd',
  'ldap://svc_sync:S3cret!@dc01.fabrikam.com',
  'see https://admin:letmein@wiki.fabrikam.com/page',
  'token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  '-----BEGIN RSA PRIVATE KEY-----',
  'key 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  'blob dGhpcyBpcyBhIHNlY3JldCB0b2tlbiBmb3IgdGVzdGluZzEyMzQ1Njc4OTA=',
];

const NOT_SECRETS = [
  'Template coverage for the test suite.',
  'Password policy owner: identity team',
  'Rotate the token yearly',
  'CHG0012345',
  'https://wiki.fabrikam.com/runbooks/winrm-forge',
  'FABRIKAM\\svc_sync',
  'CN=EXCH01,OU=Exchange Servers,DC=fabrikam,DC=com',
  'x'.repeat(400),
  'Supercalifragilisticexpialidocious-and-more-words-without-digits',
];

describe('secret-in-spec', () => {
  it('recognizes each kind of secret and leaves ordinary text and thumbprints alone', () => {
    for (const secret of SECRETS) expect(secretKind(secret, 'description'), secret).toBeDefined();
    for (const text of NOT_SECRETS) expect(secretKind(text, 'description'), text).toBeUndefined();
    expect(secretKind('6A8D7E5537D441190FD72C7C2E879A064072CE0F', 'thumbprint')).toBeUndefined();
  });

  it('accepts every example and fixture that holds no secret', async () => {
    for (const file of ['examples/galsync-fim-kerberos.yaml', 'examples/monosync-https-delegation.yaml', 'examples/exchange-arr-publishing.yaml', 'test/fixtures/generate/every-branch.yaml']) {
      const { report } = await generateText(file, readRepoFile(file), OPTIONS);
      expect(report.diagnostics.filter((d) => d.ruleId === 'secret-in-spec'), file).toEqual([]);
    }
  });
});

/** A secret as people paste it: an assignment, a URI with a password, a JWT, hex or base64. */
const secret: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom('password', 'Passwd', 'pwd', 'secret', 'token', 'api_key', 'ApiKey', 'access-key', 'client secret', 'credential'), fc.constantFrom('=', ': ', ' = ', ':'), fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme-ascii' }).filter((v) => /^\S/.test(v)))
    .map(([name, sep, value]) => `${name}${sep}${value}`),
  fc.tuple(fc.constantFrom('ldap', 'https', 'sqlserver', 'ftp'), fc.stringMatching(/^[a-z][a-z0-9_]{1,10}$/), fc.stringMatching(/^[A-Za-z0-9!#%^*]{1,16}$/)).map(([scheme, user, password]) => `${scheme}://${user}:${password}@host.fabrikam.com/`),
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{10,30}$/), fc.stringMatching(/^[A-Za-z0-9_-]{10,60}$/), fc.stringMatching(/^[A-Za-z0-9_-]{10,40}$/)).map(([h, p, s]) => `eyJ${h}.${p}.${s}`),
  fc.uint8Array({ minLength: 24, maxLength: 64 }).map((b) => Buffer.from(b).toString('hex')).filter((h) => /[0-9]/.test(h) && /[a-f]/.test(h)),
  fc.uint8Array({ minLength: 32, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')).filter((v) => /[0-9]/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v)),
);

describe('no flagged value reaches an output file', () => {
  it('refuses the spec at the value, without repeating it, and generates nothing', { timeout: (SECONDS + 30) * 1000 }, async () => {
    let runs = 0;
    const fixed = FREE_TEXT.flatMap((path) => SECRETS.map((s) => [path, s] as const));
    const check = async (path: (string | number)[], value: string, context: string) => {
      runs++;
      const text = specWith(path, `Notes: ${value} (ask the team)`);
      const result = await generateText('spec.yaml', text, OPTIONS);
      expect(result.files, context).toBeUndefined();
      // Rules run once the schema passes: a value too long for its field is refused there first.
      const schema = result.report.diagnostics.filter((d) => d.ruleId.startsWith('schema-'));
      const found = schema.length > 0 ? schema : result.report.diagnostics.filter((d) => d.ruleId === 'secret-in-spec');
      expect(found.length, context).toBe(1);
      const node = parseDocument(text).getIn(path, true) as { range: [number, number, number] };
      expect(found[0]!.range.start, context).toBe(node.range[0]);
      for (const d of result.report.diagnostics) {
        expect(d.message.includes(value), `${context}: message repeats the secret`).toBe(false);
        expect((d.hint ?? '').includes(value), `${context}: hint repeats the secret`).toBe(false);
      }
    };
    for (const [path, value] of fixed) await check(path, value, `${path.join('.')} = ${value}`);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FREE_TEXT), secret, async (path, value) => {
        await check(path, value, `${path.join('.')} = ${value}`);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false },
    );
    expect(runs).toBeGreaterThanOrEqual(fixed.length);
  });
});
