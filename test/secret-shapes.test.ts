/**
 * The shapes secret-in-spec must catch in a free-text value, and ordinary spec values it must
 * leave alone: one row per shape, each named.
 */
import { describe, expect, it } from 'vitest';
import { normalizeForSecrets, secretKind } from '../src/spec/secrets.js';

const CAUGHT: readonly [string, string][] = [
  ['assignment', 'svc_sync password=Summer2024!'],
  ['colon assignment', 'Password: hunter2hunter2'],
  ['pwd', 'pwd=Pa55w0rd'],
  ['pw', 'login with pw=Winter2025'],
  ['pw colon', 'pw: geheim123'],
  ['German Kennwort', 'Kennwort=Geheim!2024'],
  ['German Passwort', 'Passwort: Sommer2024'],
  ['French', 'mot de passe: Bonjour2024'],
  ['Spanish', 'contraseña=Hola2024'],
  ['Dutch', 'wachtwoord=Welkom01'],
  ['passphrase', 'passphrase = correct horse battery'],
  ['passcode', 'passcode=4711'],
  ['client secret', 'client_secret=8Q~aBcDeFgHiJkLmNoPqRsTuVwXyZ'],
  ['api key', 'api-key: 0123abcd'],
  ['apikey', 'apikey=abcd1234'],
  ['access token', 'access_token=ya29.a0AfH6SMB'],
  ['account key', 'AccountKey=abc123=='],
  ['sas token', 'sas_token=sv=2022'],
  ['credential', 'credential: svc/Summer1'],
  ['URI user and password', 'ldap://svc_sync:S3cret!@dc01.fabrikam.com'],
  ['https user and password', 'see https://admin:letmein@wiki.fabrikam.com/page'],
  ['URI empty user', 'https://:PAT1234abcd@dev.azure.com/fabrikam'],
  ['URI empty user, short', 'git clone https://:x@host'],
  ['URI token as user', 'https://ghp_AbCdEf0123456789AbCdEf0123456789abcd@github.com/fabrikam/repo'],
  ['query key', 'https://api.fabrikam.com/v1/status?key=AbC123'],
  ['query pw', 'https://portal.fabrikam.com/login?user=svc&pw=hunter2'],
  ['query sig (SAS)', 'https://fab.blob.core.windows.net/c/f.zip?sv=2022-11-02&sig=AbCd%2Bef'],
  ['query code', 'https://fab-func.azurewebsites.net/api/run?code=Zm9vYmFy'],
  ['query token', 'https://hooks.fabrikam.com/x?token=abc'],
  ['query password', 'jdbc:sqlserver://db01;user=svc;password=abc'],
  ['Authorization header', 'Authorization: Basic c3ZjOlN1bW1lcjIwMjQ='],
  ['Basic credential', 'curl with Basic c3ZjOlN1bW1lcjIwMjQ='],
  ['Bearer token', 'Bearer ya29.A0ARrdaM-abcdefghijk'],
  ['Proxy-Authorization', 'Proxy-Authorization: Negotiate YIIabc'],
  ['RSA PEM', '-----BEGIN RSA PRIVATE KEY-----'],
  ['PKCS#8 PEM', '-----BEGIN PRIVATE KEY-----'],
  ['encrypted PEM', '-----BEGIN ENCRYPTED PRIVATE KEY-----'],
  ['OpenSSH key', '-----BEGIN OPENSSH PRIVATE KEY-----'],
  ['PGP key block', '-----BEGIN PGP PRIVATE KEY BLOCK-----'],
  ['EC PEM lower case', '-----begin ec private key-----'],
  ['PuTTY key file', 'PuTTY-User-Key-File-3: ssh-ed25519'],
  ['PuTTY private lines', 'Private-Lines: 1'],
  ['JWT', 'token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
  ['hex key', 'key 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
  ['base64 blob', 'blob dGhpcyBpcyBhIHNlY3JldCB0b2tlbiBmb3IgdGVzdGluZzEyMzQ1Njc4OTA='],
  ['base64 split by spaces', 'dGhpcyBpcyBh IHNlY3JldCB0 b2tlbiBmb3Ig dGVzdGluZzEy MzQ1Njc4OTA='],
  ['base64 split by new lines', 'MIIEvQIBADANBgkqhkiG9w0B\nAQEFAASCBKcwggSjAgEAAoIB\nAQC7VJTUt9Us8cKj'],
  ['AWS access key id', 'aws AKIAIOSFODNN7EXAMPLE'],
  ['AWS temporary key id', 'ASIAY34FZKBOKMUTVV7A'],
  ['GitHub token', 'ghp_0123456789abcdefghijABCDEFGHIJklmnop'],
  ['GitLab token', 'glpat-xxxxxxxxxxxxxxxxxxxx'],
  ['Slack token', 'xoxb-123456789012-abcdefABCDEF'],
  ['-Password x', 'New-LocalUser -Name svc -Password Summer2024'],
  ['-Password quoted', "-Password 'Summer2024'"],
  ['-Token', 'Connect-Thing -Token abc123'],
  ['ConvertTo-SecureString literal', "ConvertTo-SecureString 'Summer2024' -AsPlainText -Force"],
  ['Cyrillic а in password', 'p\u0430ssword=Summer2024'],
  ['Cyrillic о in token', 't\u043eken: abc'],
  ['Greek ο in secret', 'secret=x\u03bfx'.replace('secret', 'secr\u03b5t')],
  ['zero-width space in password', 'pass\u200bword=Summer2024'],
  ['zero-width joiner in pwd', 'p\u200dwd=abc'],
  ['soft hyphen', 'pass\u00adword: abc'],
  ['fullwidth password', '\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44\uff1dSummer2024'],
  ['fullwidth equals only', 'password\uff1dabc'],
  ['word joiner in AWS key', 'AKIA\u2060IOSFODNN7EXAMPLE'],
];

const NOT_CAUGHT: readonly [string, string][] = [
  ['description', 'Template coverage for the test suite.'],
  ['policy prose', 'Password policy owner: identity team'],
  ['token prose', 'Rotate the token yearly'],
  ['change ticket', 'CHG0012345'],
  ['runbook URI', 'https://wiki.fabrikam.com/runbooks/winrm-forge'],
  ['URI with page query', 'https://wiki.fabrikam.com/page?id=42&lang=en'],
  ['URI with a user only', 'ssh://git@gitlab.fabrikam.com/infra/envs.git'],
  ['Exchange endpoint', 'http://exch01.fabrikam.com/PowerShell/'],
  ['WinRM HTTPS endpoint', 'https://exch01.fabrikam.com:5986/wsman'],
  ['account', 'FABRIKAM\\svc_sync'],
  ['UPN', 'svc_galsync@fabrikam.com'],
  ['distinguished name', 'CN=EXCH01,OU=Exchange Servers,DC=fabrikam,DC=com'],
  ['long letters', 'x'.repeat(400)],
  ['long word', 'Supercalifragilisticexpialidocious-and-more-words-without-digits'],
  ['Basic prose', 'Basic authentication over HTTPS for the ARR publishing'],
  ['Bearer prose', 'Bearer tokens are not used here'],
  ['Negotiate prose', 'Negotiate authentication falls back to NTLM'],
  ['vault secret name', 'galsync-exchange-credential'],
  ['secretName prose', 'The secret lives in the vault GalSyncVault'],
  ['keys prose', 'Keyboard layout en-US; key rotation by the PKI team'],
  ['PowerShell variable', 'New-LocalUser -Name svc -Password $securePassword'],
  ['PowerShell expression', '-Password (Read-Host -AsSecureString)'],
  ['Credential parameter', 'Enter-PSSession -Credential $cred'],
  ['public key', '-----BEGIN PUBLIC KEY-----'],
  ['certificate', '-----BEGIN CERTIFICATE-----'],
  ['sentence of long words', 'Synchronization environment between Fabrikam Contoso and Woodgrove forests 2024'],
  ['GUID', '6f9619ff-8b86-d011-b42d-00c04fc964ff'],
  ['IPv6', 'fd00:2::20'],
  ['German prose', 'Kennwortrichtlinie des Identitätsteams'],
  ['pw in a word', 'hpw=3 lpw=4'],
];

describe('secret shapes', () => {
  it('has at least 60 shapes', () => {
    expect(CAUGHT.length + NOT_CAUGHT.length).toBeGreaterThanOrEqual(60);
  });
  it.each(CAUGHT)('catches %s', (_name, value) => {
    expect(secretKind(value, 'description')).toBeDefined();
  });
  it.each(NOT_CAUGHT)('leaves alone %s', (_name, value) => {
    expect(secretKind(value, 'description')).toBeUndefined();
  });
  it('normalizes fullwidth forms, invisible characters and Latin look-alikes', () => {
    expect(normalizeForSecrets('\uff50\u200b\u0430ss')).toBe('pass');
  });
});
