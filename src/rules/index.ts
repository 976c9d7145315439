/**
 * The rule registry, sorted by ID (code point order). A test fails when this list, the
 * modules in src/rules/ and the pages in docs/rules/ drift apart.
 */
import { rule as allowUnencrypted } from './allow-unencrypted.js';
import { rule as baselineDeviation } from './baseline-deviation.js';
import { rule as basicOverHttp } from './basic-over-http.js';
import { rule as cbtHardeningNone } from './cbt-hardening-none.js';
import { rule as cbtHardeningStrict } from './cbt-hardening-strict.js';
import { rule as connectionAuthDisabled } from './connection-auth-disabled.js';
import { rule as connectionCertificateName } from './connection-certificate-name.js';
import { rule as connectionEndpointMismatch } from './connection-endpoint-mismatch.js';
import { rule as connectionUnknownExchange } from './connection-unknown-exchange.js';
import { rule as credentialGuardDelegation } from './credential-guard-delegation.js';
import { rule as delegationTgtAcrossTrust } from './delegation-tgt-across-trust.js';
import { rule as delegationToSyncServer } from './delegation-to-sync-server.js';
import { rule as disabledComponentsUnusual } from './disabled-components-unusual.js';
import { rule as duplicateHost } from './duplicate-host.js';
import { rule as frontendPowershellHttps } from './frontend-powershell-https.js';
import { rule as httpsListenerCertificate } from './https-listener-certificate.js';
import { rule as ipv6Disabled } from './ipv6-disabled.js';
import { rule as ipv6FilterEmpty } from './ipv6-filter-empty.js';
import { rule as kerberosAliasName } from './kerberos-alias-name.js';
import { rule as kerberosIpAddress } from './kerberos-ip-address.js';
import { rule as kerberosNeedsDomainControllers } from './kerberos-needs-domain-controllers.js';
import { rule as kerberosNeedsTrust } from './kerberos-needs-trust.js';
import { rule as kerberosOverHttpsExchange } from './kerberos-over-https-exchange.js';
import { rule as kerberosRc4Removal } from './kerberos-rc4-removal.js';
import { rule as ldapDomainControllerUnknown } from './ldap-domain-controller-unknown.js';
import { rule as listenerCertificateName } from './listener-certificate-name.js';
import { rule as negotiateOverHttpExchange } from './negotiate-over-http-exchange.js';
import { rule as powershellVersionImpossible } from './powershell-version-impossible.js';
import { rule as productLifecycle } from './product-lifecycle.js';
import { rule as proxyBackendBasicMissing } from './proxy-backend-basic-missing.js';
import { rule as proxyBackendCertificate } from './proxy-backend-certificate.js';
import { rule as proxyBackendNotDedicated } from './proxy-backend-not-dedicated.js';
import { rule as proxyCertificateName } from './proxy-certificate-name.js';
import { rule as proxyForwardHttp } from './proxy-forward-http.js';
import { rule as proxyPublishedNameInternal } from './proxy-published-name-internal.js';
import { rule as proxyUnknownBackend } from './proxy-unknown-backend.js';
import { rule as remoteManagementUsersMissing } from './remote-management-users-missing.js';
import { rule as requireSslKerberosHttp } from './require-ssl-kerberos-http.js';
import { rule as secretInSpec } from './secret-in-spec.js';
import { rule as selfSignedCertificate } from './self-signed-certificate.js';
import { rule as trustedHostsMissing } from './trusted-hosts-missing.js';
import { rule as trustedHostsWildcard } from './trusted-hosts-wildcard.js';
import { rule as trustedHostsWildcardCombined } from './trusted-hosts-wildcard-combined.js';
import { rule as unconstrainedDelegation } from './unconstrained-delegation.js';
import { rule as unknownAccountDomain } from './unknown-account-domain.js';
import { rule as unknownForest } from './unknown-forest.js';
import { rule as vdirBasicAuthentication } from './vdir-basic-authentication.js';
import { rule as vdirWindowsAuthentication } from './vdir-windows-authentication.js';
import { rule as waiverNotWaivable } from './waiver-not-waivable.js';
import { rule as waiverTooBroad } from './waiver-too-broad.js';
import { rule as waiverUnknownRule } from './waiver-unknown-rule.js';
import { rule as waiverUnused } from './waiver-unused.js';
import { rule as windowsPathTooLong } from './windows-path-too-long.js';
import type { Rule } from './rule.js';

export type { Finding, Rule, RuleContext, SpecPath } from './rule.js';

export const rules: readonly Rule[] = [
  allowUnencrypted,
  baselineDeviation,
  basicOverHttp,
  cbtHardeningNone,
  cbtHardeningStrict,
  connectionAuthDisabled,
  connectionCertificateName,
  connectionEndpointMismatch,
  connectionUnknownExchange,
  credentialGuardDelegation,
  delegationTgtAcrossTrust,
  delegationToSyncServer,
  disabledComponentsUnusual,
  duplicateHost,
  frontendPowershellHttps,
  httpsListenerCertificate,
  ipv6Disabled,
  ipv6FilterEmpty,
  kerberosAliasName,
  kerberosIpAddress,
  kerberosNeedsDomainControllers,
  kerberosNeedsTrust,
  kerberosOverHttpsExchange,
  kerberosRc4Removal,
  ldapDomainControllerUnknown,
  listenerCertificateName,
  negotiateOverHttpExchange,
  powershellVersionImpossible,
  productLifecycle,
  proxyBackendBasicMissing,
  proxyBackendCertificate,
  proxyBackendNotDedicated,
  proxyCertificateName,
  proxyForwardHttp,
  proxyPublishedNameInternal,
  proxyUnknownBackend,
  remoteManagementUsersMissing,
  requireSslKerberosHttp,
  secretInSpec,
  selfSignedCertificate,
  trustedHostsMissing,
  trustedHostsWildcard,
  trustedHostsWildcardCombined,
  unconstrainedDelegation,
  unknownAccountDomain,
  unknownForest,
  vdirBasicAuthentication,
  vdirWindowsAuthentication,
  waiverNotWaivable,
  waiverTooBroad,
  waiverUnknownRule,
  waiverUnused,
  windowsPathTooLong,
];

export function findRule(id: string): Rule | undefined {
  return rules.find((r) => r.id === id);
}
