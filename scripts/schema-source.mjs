// Source of schema/winrm-forge.schema.json. Run `node scripts/schema-source.mjs` to regenerate;
// a test fails when the committed JSON and this source drift apart.
// Kept as code so that shared patterns and descriptions are written once.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Baseline IDs as src/baselines.ts derives them from baselines/*.json: a file with CIS levels
// gives <id>-l1 and <id>-l2, any other file its own ID. A test checks both agree.
const baselinesFolder = new URL('../baselines/', import.meta.url);
const baselineIds = readdirSync(baselinesFolder)
  .filter((f) => f.endsWith('.json'))
  .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  .flatMap((f) => {
    const file = JSON.parse(readFileSync(new URL(f, baselinesFolder), 'utf8'));
    return file.controls.some((c) => c.level !== undefined) ? [`${file.id}-l1`, `${file.id}-l2`] : [file.id];
  });

// IPv4 and IPv6 address syntax: the regular expressions of ajv-formats' ipv4 and ipv6 formats (the
// ones the ip and ipv6 fields are checked with), unanchored and made case-insensitive by hand, since
// a JSON Schema pattern has no flags. An address or CIDR block is one of them with a prefix length
// in range (0-32, 0-128); test/schema.test.ts checks the pattern against node:net's parser.
const require = createRequire(import.meta.url);
const { fullFormats } = require('ajv-formats/dist/formats.js');
const unanchored = (re) => re.source.replace(/^\^/, '').replace(/\$$/, '');
const ipv4Syntax = unanchored(fullFormats.ipv4);
const ipv6Syntax = unanchored(fullFormats.ipv6).replace(/\[0-9a-f\]/g, '[0-9a-fA-F]');
const addressOrCidrPattern = `^(?:(?:${ipv4Syntax})(?:/(?:3[0-2]|[12]?[0-9]))?|(?:${ipv6Syntax})(?:/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9]))?)$`;

const label = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
// First label may not be a reserved Windows device name: host names become folder names.
const reserved = '(?!(?:[Cc][Oo][Nn]|[Pp][Rr][Nn]|[Aa][Uu][Xx]|[Nn][Uu][Ll]|[Cc][Oo][Mm][0-9]|[Ll][Pp][Tt][0-9])(?:\\.|$))';
// Not all digits and dots: an IPv4 address is not a DNS name.
const fqdnPattern = `^(?=.{3,253}$)(?![0-9.]+$)${reserved}${label}(?:\\.${label})+$`;
// The environment names the output folder: no dots, so only the whole name can be a device name.
const environmentPattern = '^(?!(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$';
const netbiosPattern = '^[A-Za-z0-9][A-Za-z0-9-]{0,14}$';
const samPattern = '[A-Za-z0-9][A-Za-z0-9._-]{0,19}\\$?';
const accountPattern = `^(?:[A-Za-z0-9][A-Za-z0-9.-]{0,14}\\\\${samPattern}|[A-Za-z0-9][A-Za-z0-9._-]{0,63}@${label}(?:\\.${label})+)$`;

const str = (description, extra = {}) => ({ type: 'string', description, ...extra });
// A pattern with the sentence an editor shows instead of the regular expression: the same words
// the CLI uses after the field's path (src/validator.ts reads patternErrorMessage for it).
const pat = (pattern, patternErrorMessage) => ({ pattern, patternErrorMessage });
// Rule IDs for waivers[].rule, one per page in docs/rules/ (a test checks they match the registry).
const ruleIds = readdirSync(new URL('../docs/rules/', import.meta.url))
  .filter((f) => f.endsWith('.md'))
  .map((f) => f.slice(0, -3))
  .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const bool = (description, dflt) => ({ type: 'boolean', description, ...(dflt === undefined ? {} : { default: dflt }) });
const ref = (name, description) => ({ $ref: `#/$defs/${name}`, description });
const list = (items, description, extra = {}) => ({ type: 'array', description, items, ...extra });
const obj = (description, properties, required = [], extra = {}) => ({
  type: 'object',
  description,
  additionalProperties: false,
  ...(required.length ? { required } : {}),
  properties,
  ...extra,
});
const oneOfEnum = (values, description, dflt) => ({ type: 'string', enum: values, description, ...(dflt === undefined ? {} : { default: dflt }) });

const hostCommon = {
  host: ref('fqdn', 'Fully qualified DNS name of the host (not an IP address: Kerberos needs a name with an SPN). Also names the host folder in the generated output.'),
  ip: ref('ipv4', 'IPv4 address of the host; used to scope firewall rules and in the port matrix.'),
  ipv6: ref('ipv6', 'IPv6 address of the host, when it has a routable one; used like ip: in the firewall rules, the port matrix and the port probes.'),
  os: ref('os', 'Windows Server version of the host. Decides between modern cmdlets and legacy forms (netsh advfirewall before 2012, net localgroup before 2016).'),
  powershell: ref('powershell', "Windows PowerShell version the host's scripts run in. Defaults to 2.0 on an Exchange 2010 server (it supports neither WMF 3.0 nor WMF 5.1, and WMF 4.0 only from SP3 RU5) and on Windows Server 2008 R2 (2.0 is in the box; WMF 5.1 is a separate install), else 5.1. Scripts for a lower version use only the syntax and commands that version has."),
};

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://winrm-forge.dev/schema/v1/winrm-forge.schema.json',
  title: 'winrm-forge environment spec, version 1',
  description:
    'One Windows environment in which an identity-sync server (FIM/MIM GalSync, Monosync, ...) opens remote PowerShell sessions to Exchange servers across Active Directory forests. No field holds a password or other secret: credentials are prompted for or read from a named SecretManagement vault when a script runs.',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'environment', 'forests', 'exchange'],
  properties: {
    version: { const: 1, description: 'Spec format version. Always 1 for this release.' },
    environment: str('Short name of the environment, used as the output folder name: lowercase letters, digits and hyphens, up to 63 characters (e.g. contoso-galsync); not a reserved Windows device name such as con or nul.', {
      ...pat(environmentPattern, 'must be lowercase letters, digits and hyphens, 1 to 63 characters, and not a reserved Windows device name'),
    }),
    metadata: obj('Who owns this environment and why it exists. Shown in PLAN.md and in script banners.', {
      description: str('One or two sentences describing the environment.', { maxLength: 500 }),
      owner: str('Team or person responsible for the environment.', { maxLength: 200 }),
      changeReference: str('Change ticket or work item that this version of the spec implements.', { maxLength: 100 }),
      documentation: str('Link to the environment runbook or wiki page.', { format: 'uri', errorMessage: 'must be an absolute URL', maxLength: 500 }),
    }),
    defaults: obj('Values applied to every host that does not set its own.', {
      os: ref('os', 'Windows Server version of hosts that do not declare os.'),
      exchangeVersion: ref('exchangeVersion', 'Exchange version of Exchange servers that do not declare exchangeVersion.'),
      preferIPv4: ref('preferIPv4', 'IPv4 preference applied to hosts that do not declare preferIPv4.'),
      executionPolicy: ref('executionPolicy', 'Execution policy for sync servers that do not declare executionPolicy.'),
      cbtHardening: ref('cbtHardening', 'WinRM service CbtHardeningLevel for Exchange servers that do not declare winrm.auth.cbtHardening.'),
      firewallProfiles: ref('firewallProfiles', 'Firewall profiles for generated inbound rules when a host does not declare firewall.profiles.'),
      baseline: oneOfEnum(
        baselineIds,
        'Compliance baseline (DISA STIG or CIS benchmark, see baselines/) whose WinRM controls every host of its Windows Server version is checked against; each contradicting setting is a baseline-deviation finding. --baseline overrides it.',
      ),
      strictLifecycle: bool('Report Exchange 2010 and 2013 servers (out of support, and unable to run the Windows PowerShell 5.1 the generated scripts need) as product-lifecycle errors rather than warnings, so that generate refuses them unless waived.', false),
    }),
    forests: list(ref('forest', 'An Active Directory forest.'), 'Active Directory forests taking part: the sync server forest and every target forest.', { minItems: 1 }),
    exchange: list(ref('exchangeServer', 'An Exchange server.'), 'Exchange servers (Client Access) that sync servers or remote clients connect to.', { minItems: 1 }),
    syncServers: list(ref('syncServer', 'An identity-sync server.'), 'Identity-sync servers (FIM/MIM/Monosync) that open remote PowerShell sessions to Exchange.'),
    reverseProxies: list(ref('reverseProxy', 'An IIS ARR reverse proxy.'), 'IIS Application Request Routing servers that publish Exchange /PowerShell to the internet.'),
    waivers: list(ref('waiver', 'A waiver.'), 'Findings deliberately accepted for one host, each with the reason. Waived findings are still listed, marked as waived.'),
  },
  $defs: {
    fqdn: str('Fully qualified DNS name, e.g. exch01.fabrikam.com.', { ...pat(fqdnPattern, 'must be a fully qualified DNS name such as exch01.fabrikam.com'), maxLength: 253 }),
    ipv4: str('IPv4 address, e.g. 10.2.0.20.', { format: 'ipv4', errorMessage: 'must be an IPv4 address such as 10.2.0.20' }),
    ipv6: str('IPv6 address, e.g. fd00:2::20.', { format: 'ipv6', errorMessage: 'must be an IPv6 address such as fd00:2::20' }),
    account: str("Windows account as DOMAIN\\account (NetBIOS domain name) or user@domain.tld (UPN). Write it in single quotes in YAML: 'FABRIKAM\\svc_galsync'. A group managed service account ends in $.", {
      ...pat(accountPattern, 'must be an account as DOMAIN\\account or user@domain.tld'),
    }),
    thumbprint: str('SHA-1 thumbprint of a certificate: exactly 40 hexadecimal characters, no spaces.', pat('^[0-9A-Fa-f]{40}$', 'must be 40 hexadecimal characters')),
    kerberosEncryptionTypes: list(
      oneOfEnum(['aes256-cts-hmac-sha1-96', 'aes128-cts-hmac-sha1-96', 'rc4-hmac'], 'A Kerberos encryption type (a bit of msDS-SupportedEncryptionTypes: 0x10, 0x8, 0x4).'),
      'Kerberos encryption types the account or trust is known to support, as set in msDS-SupportedEncryptionTypes and checked by an administrator. Since the April 2026 Windows updates (KB5073381) domain controllers issue only AES service tickets where nothing is set. Declaring them lets the linter check a Kerberos connection; nothing is changed in Active Directory.',
      { minItems: 1, uniqueItems: true },
    ),
    os: oneOfEnum(
      ['windows-server-2008-r2', 'windows-server-2012', 'windows-server-2012-r2', 'windows-server-2016', 'windows-server-2019', 'windows-server-2022', 'windows-server-2025'],
      'Windows Server version.',
    ),
    powershell: oneOfEnum(['2.0', '3.0', '4.0', '5.1'], 'Windows PowerShell version (2.0: in the box on Windows Server 2008 R2; 3.0: 2012; 4.0: 2012 R2; 5.1: 2016 and later, or WMF 5.1 installed).'),
    exchangeVersion: oneOfEnum(['exchange-2010', 'exchange-2013', 'exchange-2016', 'exchange-2019', 'exchange-se'], 'Exchange Server version.'),
    preferIPv4: oneOfEnum(
      ['none', 'prefix-policy', 'registry', 'both'],
      'How the host is made to prefer IPv4 over IPv6: none; prefix-policy (netsh prefix policy ::ffff:0:0/96, immediate); registry (Tcpip6 DisabledComponents 0x20, needs a reboot); both. IPv6 is never disabled.',
    ),
    executionPolicy: oneOfEnum(
      ['unmanaged', 'all-signed', 'remote-signed', 'unrestricted', 'bypass'],
      'PowerShell execution policy for the LocalMachine scope; unmanaged leaves it as it is.',
    ),
    cbtHardening: oneOfEnum(
      ['none', 'relaxed', 'strict'],
      'WinRM service CbtHardeningLevel (channel binding tokens): relaxed is the Windows default; strict breaks many non-Windows clients; none removes channel-binding protection.',
    ),
    firewallProfiles: list(oneOfEnum(['domain', 'private', 'public'], 'Windows Firewall profile.'), 'Firewall profiles the generated inbound rules apply to.', {
      minItems: 1,
      uniqueItems: true,
    }),
    disabledComponents: {
      type: 'integer',
      minimum: 0,
      maximum: 255,
      description:
        'Value written to HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters\\DisabledComponents when preferIPv4 is registry or both. 0x20 (32) prefers IPv4; any other value disables parts of IPv6, which Microsoft advises against.',
    },
    forest: obj('An Active Directory forest.', {
      name: ref('fqdn', 'DNS name of the forest root domain, e.g. fabrikam.com.'),
      netbiosName: str('NetBIOS name of the forest root domain, e.g. FABRIKAM.', pat(netbiosPattern, 'must be a NetBIOS domain name: up to 15 letters, digits and hyphens, e.g. FABRIKAM')),
      trusts: list(ref('trust', 'A forest trust.'), 'Forest trusts this forest has with other forests in the spec.'),
      domainControllers: list(ref('domainController', 'A domain controller.'), 'Domain controllers of the forest. Kerberos to a target forest needs TCP/UDP 88 and 53 to every one of them.'),
      ldaps: bool('The management agent connects to LDAP over TLS (TCP 636) rather than LDAP (TCP 389).', false),
      globalCatalog: bool('Open Global Catalog ports (TCP 3268, or 3269 with ldaps) to the domain controllers. Optional: remote PowerShell falls back to LDAP on 389.', true),
    }, ['name']),
    trust: obj('A forest trust between this forest and another one in the spec.', {
      forest: ref('fqdn', 'Name of the other forest.'),
      direction: oneOfEnum(['two-way', 'inbound', 'outbound'], 'Trust direction seen from this forest: outbound means this forest trusts the other one.', 'two-way'),
      kerberosEncryptionTypes: ref('kerberosEncryptionTypes', 'Encryption types of the trust (msDS-SupportedEncryptionTypes of its trusted domain object).'),
      tgtDelegation: bool('TGT delegation is (to be) enabled across this trust by the administrators of the trusted, account forest (netdom trust /EnableTGTDelegation:Yes, KB 4490425). Disabled by default since 2019; unconstrained delegation across the trust needs it. The generated step only checks it and prints the commands.', false),
    }, ['forest']),
    domainController: obj('A domain controller.', {
      host: ref('fqdn', 'Fully qualified DNS name of the domain controller.'),
      ip: ref('ipv4', 'IPv4 address of the domain controller.'),
      ipv6: ref('ipv6', 'IPv6 address of the domain controller.'),
      globalCatalog: bool('The domain controller is a Global Catalog server.', true),
      powershell: ref('powershell', "Windows PowerShell version the scripts of this domain controller run in (the first one of a forest runs its Active Directory steps and verify.ps1). A domain controller has no os field: the default is derived from defaults.os as for other hosts, 2.0 on Windows Server 2008 R2, else 5.1. Scripts for a lower version use only the syntax and commands that version has, and Get-ADObject where the Windows Server 2008 R2 module has no Get-ADTrust."),
    }, ['host']),
    listener: obj('A WinRM listener on the Exchange server.', {
      transport: oneOfEnum(['http', 'https'], 'Listener transport: http (default port 5985) or https (default port 5986, needs a certificate).'),
      port: { type: 'integer', minimum: 1, maximum: 65535, description: 'TCP port; defaults to 5985 for http and 5986 for https.' },
      address: str("Addresses the listener accepts: '*' for all, or 'IP:<address>' for one.", {
        ...pat('^(?:\\*|IP:(?:[0-9]{1,3}(?:\\.[0-9]{1,3}){3}|[0-9A-Fa-f:]+))$', "must be '*' or IP: followed by one IPv4 or IPv6 address"),
        default: '*',
      }),
      hostName: ref('fqdn', 'Host name the HTTPS listener answers to; must match the certificate. Defaults to the server host.'),
      certificate: ref('certificate', 'Certificate for an https listener. A thumbprint names one certificate; after a renewal, rebind-certificate-https-<port>.ps1 binds the new one and prints the spec change to make (certificate.thumbprint: <new>). Until the spec names it, run-all.ps1 keeps and verify.ps1 accepts a renewal of the named certificate: same subject and issuer, every name in dnsNames, a later expiry, the named one still in Cert:\\LocalMachine\\My. With selfSigned, the newest valid self-issued certificate whose DNS names cover dnsNames is used, else a new one is created.'),
    }, ['transport']),
    certificate: obj('A certificate in Cert:\\LocalMachine\\My, named by thumbprint, or a self-signed one the scripts create (lab use only).', {
      thumbprint: ref('thumbprint', 'Thumbprint of a CA-issued certificate already installed in Cert:\\LocalMachine\\My.'),
      dnsNames: list(ref('fqdn', 'A DNS name on the certificate.'), 'DNS names (subject CN or SAN entries) the certificate carries; checked against the listener host name.', { minItems: 1, uniqueItems: true }),
      selfSigned: bool('Create a self-signed certificate with New-SelfSignedCertificate. For test labs only: clients must trust it or skip CA checks.', false),
    }),
    serviceAuth: obj('WinRM service authentication settings (WSMan:\\localhost\\Service\\Auth).', {
      kerberos: bool('Accept Kerberos.', true),
      negotiate: bool('Accept Negotiate.', true),
      basic: bool('Accept Basic (only safe over HTTPS).', false),
      certificate: bool('Accept client certificate authentication.', false),
      credSSP: bool('Accept CredSSP (delegates credentials; avoid unless required).', false),
      cbtHardening: ref('cbtHardening', 'CbtHardeningLevel of the WinRM service.'),
    }),
    // No defaults here: the scripts set only the mechanisms the spec names and leave the others
    // as the machine has them (Group Policy may manage them), so the schema advertises none.
    clientAuth: obj('WinRM client authentication settings (WSMan:\\localhost\\Client\\Auth). Only the mechanisms given are set; an omitted one is left as the machine has it.', {
      kerberos: bool('Allow Kerberos. Omit to leave it as it is.'),
      negotiate: bool('Allow Negotiate. Omit to leave it as it is.'),
      basic: bool('Allow Basic. Omit to leave it as it is.'),
      digest: bool('Allow Digest. Omit to leave it as it is.'),
      certificate: bool('Allow client certificate authentication. Omit to leave it as it is.'),
      credSSP: bool('Allow CredSSP. Omit to leave it as it is.'),
    }),
    winrmService: obj('WinRM service configuration of the Exchange server.', {
      listeners: list(ref('listener', 'A WinRM listener.'), 'WinRM listeners to create.', { minItems: 1 }),
      auth: ref('serviceAuth', 'Service authentication settings.'),
      allowUnencrypted: bool('Let the WinRM service accept unencrypted traffic. Not needed for Kerberos or Negotiate over HTTP, whose messages WinRM encrypts.', false),
      ipv4Filter: str("IPv4 addresses the WinRM service listens on: '*' for all, '' for none, or ranges like 10.2.0.1-10.2.0.254.", {
        ...pat('^(?:\\*|(?:[0-9]{1,3}(?:\\.[0-9]{1,3}){3}(?:-[0-9]{1,3}(?:\\.[0-9]{1,3}){3})?)(?:,[0-9]{1,3}(?:\\.[0-9]{1,3}){3}(?:-[0-9]{1,3}(?:\\.[0-9]{1,3}){3})?)*)?$', "must be '*', '' or IPv4 addresses and ranges separated by commas, e.g. 10.2.0.1-10.2.0.254"),
        default: '*',
      }),
      ipv6Filter: str("IPv6 addresses the WinRM service listens on: '*' for all, '' for none (IPv4 only), or ranges.", {
        ...pat('^(?:\\*|[0-9A-Fa-f:]+(?:-[0-9A-Fa-f:]+)?(?:,[0-9A-Fa-f:]+(?:-[0-9A-Fa-f:]+)?)*)?$', "must be '*', '' or IPv6 addresses and ranges separated by commas"),
        default: '*',
      }),
    }),
    delegation: obj('Kerberos delegation for connections that reach this Exchange server: what the server may do with the tickets of users who connect to it.', {
      mode: oneOfEnum(
        ['none', 'unconstrained', 'resource-based'],
        'none; unconstrained (TrustedForDelegation on this computer: it may impersonate connecting users to any service, a security risk); resource-based (this server may impersonate connecting users only to the back-end services in delegateTo: each back end lists this computer in its PrincipalsAllowedToDelegateToAccount).',
        'none',
      ),
      delegateTo: list(str('A back-end service this Exchange server may delegate to: the host FQDN of a computer whose services run as the computer account, or DOMAIN\\account of the service account a back-end service runs as.', {
        anyOf: [pat(fqdnPattern, 'must be a host FQDN'), pat(accountPattern, 'must be DOMAIN\\account')],
        errorMessage: 'must be a host FQDN or an account as DOMAIN\\account',
      }), 'For resource-based: the back-end resources (computers or service accounts) that accept delegated tickets from this Exchange server. Each back end is changed in its own domain; never list the sync server here.', { minItems: 1, uniqueItems: true }),
    }, ['mode'], {
      // Resource-based delegation is written on the back ends: without them there is nothing to write.
      if: { properties: { mode: { const: 'resource-based' } }, required: ['mode'] },
      then: { required: ['delegateTo'], properties: { delegateTo: { description: 'the back-end services (host FQDN or DOMAIN\\account) this Exchange server must reach on behalf of connecting users; resource-based delegation is written on them.' } } },
    }),
    powershellVirtualDirectory: obj('Exchange PowerShell virtual directory (Default Web Site/PowerShell) settings. Omit to leave it as installed.', {
      basicAuthentication: bool('Enable Basic authentication (needed for publishing through a reverse proxy; HealthChecker reports it as unsupported). Omit to leave it as installed (Exchange installs it off) and unchecked.'),
      windowsAuthentication: bool('IIS Integrated Windows authentication on Default Web Site/PowerShell. Exchange 2013 and later install it off: Kerberos from internal clients and the Exchange Management Shell goes through the Exchange kerbauth module and works with it off, and the Exchange HealthChecker reports any authentication enabled on this directory as unsupported. Omit (or false) to keep it as installed; omitted is unchecked.'),
      requireSsl: bool('Require SSL. Breaks internal Kerberos over http:// and the Exchange Management Shell (HTTP 403). Omit to leave it as installed and unchecked.'),
      clientCertificates: oneOfEnum(['ignore', 'accept', 'require'], 'Client certificate handling (IIS sslFlags). accept is what Exchange 2013 and later install (SslNegotiateCert); ignore (neither SslNegotiateCert nor SslRequireCert) is the publishing CAS deviation that ARR publishing needs (TechNet Wiki 31066). Omit to leave it as installed and unchecked.'),
    }),
    firewall: obj('Inbound Windows Firewall rules generated for this host.', {
      manage: bool('Generate inbound firewall rules for this host.', true),
      profiles: ref('firewallProfiles', 'Profiles the rules apply to.'),
      additionalSources: list(str('IPv4 or IPv6 address, or CIDR block, e.g. 10.9.0.0/24, fd00:9::5 or fd00:9::/64.', {
        ...pat(addressOrCidrPattern, 'must be an IPv4 or IPv6 address or CIDR block such as 10.9.0.0/24 or fd00:9::/64'),
      }), 'Extra source addresses allowed besides the hosts the spec derives (sync servers, proxies, from their ip and ipv6).', { uniqueItems: true }),
    }),
    exchangeServer: obj('An Exchange server with the Client Access role.', {
      ...hostCommon,
      forest: ref('fqdn', 'Name of the forest the server belongs to; must be declared under forests.'),
      exchangeVersion: ref('exchangeVersion', 'Exchange version installed.'),
      distinguishedName: str('Distinguished name of the computer object, e.g. CN=EXCH01,OU=Servers,DC=fabrikam,DC=com. Defaults to a lookup by computer name.', {
        ...pat('^CN=[^,]+(?:,(?:CN|OU|DC)=[^,]+)+$', 'must be a distinguished name such as CN=EXCH01,OU=Servers,DC=fabrikam,DC=com'),
        maxLength: 500,
      }),
      kerberosEncryptionTypes: ref('kerberosEncryptionTypes', 'Encryption types of the computer account (msDS-SupportedEncryptionTypes), which encrypts the service tickets for HTTP/<host>.'),
      iisCertificate: obj('The certificate bound to 443 of the Default Web Site, as installed (the scripts do not change it). Compared with the certificate of reverse proxies that bridge TLS to this server: Extended Protection needs the same certificate on both.', {
        thumbprint: ref('thumbprint', 'Thumbprint of the certificate bound to 443 of the Default Web Site.'),
      }, ['thumbprint']),
      dedicatedPublishing: bool('This server is a dedicated publishing CAS: the only one whose PowerShell virtual directory accepts Basic for reverse-proxy clients.', false),
      winrm: ref('winrmService', 'WinRM service configuration.'),
      remoteManagementUsers: list(ref('account', 'An account to add to Remote Management Users.'), 'Accounts added to the local Remote Management Users group (WinRM access without Administrators).', { uniqueItems: true }),
      delegation: ref('delegation', 'Kerberos delegation on this computer object.'),
      powershellVirtualDirectory: ref('powershellVirtualDirectory', 'Exchange PowerShell virtual directory settings.'),
      preferIPv4: ref('preferIPv4', 'IPv4 preference on this server.'),
      disabledComponents: ref('disabledComponents', 'DisabledComponents value for preferIPv4 registry/both.'),
      firewall: ref('firewall', 'Inbound firewall rules.'),
    }, ['host', 'forest']),
    connection: obj('A remote PowerShell connection from the sync server to an Exchange server.', {
      exchange: ref('fqdn', 'Host of the Exchange server; must be declared under exchange.'),
      uri: str('Connection URI: http(s)://<cas fqdn>/PowerShell/ for Exchange remote PowerShell (IIS, 80/443), or http(s)://<host>:5985|5986/wsman for plain WinRM.', {
        ...pat('^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.:\\[\\]-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~-]*)*/?$', 'must be an http:// or https:// URL such as https://exch01.fabrikam.com/PowerShell/'),
        maxLength: 300,
      }),
      authentication: oneOfEnum(['kerberos', 'basic', 'negotiate', 'default'], 'Authentication mechanism of New-PSSession.'),
      account: ref('account', 'Account the session runs as; defaults to the sync server serviceAccount.'),
      kerberosEncryptionTypes: ref('kerberosEncryptionTypes', 'Encryption types of account (msDS-SupportedEncryptionTypes), when the connection names one.'),
      credential: ref('credential', 'Where the connection test takes the credential from.'),
      ldapDomainController: ref('fqdn', 'Domain controller the management agent uses for LDAP in the target forest (TCP 389 or 636).'),
      secondHop: obj('A second connection the sync product opens from inside this session, on the Exchange server, with the identity of the session (as the vendor documents it). verify.ps1 on the sync server then runs the same two hops: a session to the Exchange server that itself connects to this service. Microsoft documents that no Kerberos delegation form supports a WinRM second hop; the vendor must confirm what this connection reaches and how it authenticates.', {
        host: ref('fqdn', 'Host the second hop reaches.'),
        port: { type: 'integer', minimum: 1, maximum: 65535, description: 'TCP port of the service the second hop reaches.' },
        service: oneOfEnum(['winrm', 'exchange-powershell', 'tcp'], 'What answers there: winrm (a PowerShell session over /wsman; 5986 uses TLS), exchange-powershell (the Exchange Management Shell endpoint http(s)://<host>/PowerShell/; 443 uses TLS), or tcp (another service: only its reachability is tested, its authentication the vendor must confirm).'),
        purpose: str('What the second hop is for, in the vendor\'s words (shown in verify.ps1 and PLAN.md).', { ...pat('^[^\\s\\u0000-\\u001f\\u007f](?:[^\\u0000-\\u001f\\u007f]{0,198}[^\\s\\u0000-\\u001f\\u007f])?$', 'must be one line of 1 to 200 characters, without control characters or surrounding spaces') }),
      }, ['host', 'port', 'service', 'purpose']),
    }, ['exchange', 'uri', 'authentication']),
    credential: obj('Where a script takes a credential from at run time. Never the secret itself.', {
      source: oneOfEnum(['prompt', 'vault'], 'prompt asks with Get-Credential; vault reads it with Get-Secret from a SecretManagement vault.', 'prompt'),
      vault: str('Name of the SecretManagement vault.', pat('^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$', 'must be a vault name: letters, digits, spaces, dots, underscores and hyphens, up to 64 characters')),
      secretName: str('Name of the secret (a PSCredential) in the vault.', pat('^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$', 'must be a secret name: letters, digits, spaces, dots, underscores and hyphens, up to 128 characters')),
    }, [], {
      // Get-Secret needs both names; the scripts cannot guess either.
      if: { properties: { source: { const: 'vault' } }, required: ['source'] },
      then: {
        required: ['vault', 'secretName'],
        properties: {
          vault: { description: 'the name of the SecretManagement vault to read the credential from (Get-Secret -Vault).' },
          secretName: { description: 'the name of the secret in that vault holding a PSCredential (Get-Secret -Name).' },
        },
      },
    }),
    winrmClient: obj('WinRM client settings of the sync server.', {
      trustedHosts: list(str("A TrustedHosts entry: a host FQDN, an IPv4 address, a wildcard like '*.fabrikam.com', or '*'.", {
        ...pat(`^(?:\\*|\\*\\.${label}(?:\\.${label})*|${label}(?:\\.${label})*|(?:[0-9]{1,3}\\.){3}[0-9]{1,3})$`, "must be a host name, an IPv4 address, a wildcard such as '*.fabrikam.com', or '*'"),
        maxLength: 253,
      }), 'Remote hosts this client talks to without mutual authentication. Merged into the existing value, never replacing it.', { uniqueItems: true }),
      auth: ref('clientAuth', 'Client authentication settings.'),
      allowUnencrypted: bool('Let the WinRM client send unencrypted traffic; only if truly needed.', false),
    }),
    syncServer: obj('An identity-sync server running the management agents.', {
      ...hostCommon,
      forest: ref('fqdn', 'Name of the forest the server is joined to; must be declared under forests.'),
      product: oneOfEnum(['fim-2010-r2', 'mim-2016', 'monosync', 'other'], 'Sync engine on this server.'),
      serviceAccount: ref('account', 'Account the management agent connects to Exchange as (usually in the target forest).'),
      credential: ref('credential', 'Where connection tests take the service account credential from.'),
      kerberosEncryptionTypes: ref('kerberosEncryptionTypes', 'Encryption types of serviceAccount (msDS-SupportedEncryptionTypes).'),
      connections: list(ref('connection', 'A remote PowerShell connection.'), 'Remote PowerShell connections the management agents open.', { minItems: 1 }),
      winrmClient: ref('winrmClient', 'WinRM client settings.'),
      executionPolicy: ref('executionPolicy', 'Execution policy set on this server.'),
      preferIPv4: ref('preferIPv4', 'IPv4 preference on this server.'),
      disabledComponents: ref('disabledComponents', 'DisabledComponents value for preferIPv4 registry/both.'),
    }, ['host', 'forest', 'product', 'serviceAccount', 'connections']),
    reverseProxy: obj('An IIS ARR reverse proxy publishing Exchange /PowerShell over HTTPS.', {
      ...hostCommon,
      publishedName: ref('fqdn', 'External name clients use, e.g. mail.contoso.com; its certificate is bound to 443 on the proxy.'),
      certificate: ref('certificate', 'Certificate bound to the proxy 443 binding.'),
      backends: list(ref('fqdn', 'An Exchange server host name.'), 'Exchange servers in the server farm; each must be declared under exchange.', { minItems: 1, uniqueItems: true }),
      farmName: str('Name of the ARR server farm; defaults to the published name.', pat('^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', 'must be letters, digits, dots, underscores and hyphens, up to 64 characters')),
      forwardHttp: bool('Also forward plain HTTP. Never do this for /PowerShell: Basic would cross the internet in clear.', false),
      externalClient: obj('The external client connection test.', {
        account: ref('account', 'Account used for the test; its RBAC roles decide which cmdlets the session gets.'),
        credential: ref('credential', 'Where the test takes the credential from.'),
        allowSkipCertificateChecks: bool('Offer the lab-only -SkipCertificateChecks switch in the test script.', false),
      }, ['account']),
    }, ['host', 'publishedName', 'backends']),
    waiver: obj('A deliberately accepted finding.', {
      // The enum gives editors the list to complete from; an ID outside it that has the form of one
      // is reported by waiver-unknown-rule, with did-you-mean.
      rule: str('Rule ID, as listed by winrm-forge explain.', {
        anyOf: [{ enum: ruleIds }, pat('^[a-z0-9]+(?:-[a-z0-9]+)*$', 'must be a rule ID as winrm-forge explain lists it, e.g. vdir-basic-authentication')],
        errorMessage: 'must be a rule ID as winrm-forge explain lists it, e.g. vdir-basic-authentication',
      }),
      host: ref('fqdn', 'Host the waiver applies to; omit for findings that concern no single host.'),
      control: str('For baseline-deviation: the one baseline control ID the waiver accepts (e.g. WN22-CC-000470 or 18.10.89.2.2); without it the waiver accepts every deviation of the host.', {
        ...pat('^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,38}[A-Za-z0-9])?$', 'must be a baseline control ID such as WN22-CC-000470 or 18.10.89.2.2'),
      }),
      field: str('For secret-in-spec: the path of the one value the waiver accepts, as the finding names it (e.g. metadata.changeReference or waivers[0].reason). A waiver of secret-in-spec without host must name it.', {
        ...pat('^[A-Za-z][A-Za-z0-9]*(?:\\[[0-9]+\\]|\\.[A-Za-z][A-Za-z0-9]*)*$', 'must be the path a finding names, such as metadata.changeReference or waivers[0].reason'),
        maxLength: 200,
      }),
      sha256: str('For secret-in-spec, with field: the SHA-256 of the accepted value (64 hexadecimal characters, of its UTF-8 bytes), so a changed value is reported again.', {
        ...pat('^[0-9A-Fa-f]{64}$', 'must be 64 hexadecimal characters (a SHA-256)'),
      }),
      reason: str('Why the finding is accepted, for reviewers and auditors.', { minLength: 10, maxLength: 1000 }),
    }, ['rule', 'reason']),
  },
};

export default schema;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = new URL('../schema/winrm-forge.schema.json', import.meta.url);
  writeFileSync(target, JSON.stringify(schema, null, 2) + '\n');
}
