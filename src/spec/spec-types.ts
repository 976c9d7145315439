/**
 * TypeScript view of a spec that passed schema/winrm-forge.schema.json (spec version 1).
 * The types are generated from the schema at build time (scripts/build-validator.mjs, with
 * json-schema-to-typescript, into src/generated/spec-types.ts), so they cannot drift from it:
 * optional here means optional there, and defaults are not applied (the schema documents them;
 * the model applies them). This module only names the parts the schema writes inline.
 */
import type {
  Connection,
  Credential,
  Delegation,
  FirewallProfiles,
  KerberosEncryptionTypes,
  Powershell,
  PowershellVirtualDirectory,
  Spec,
  SyncServer,
  Trust,
} from '../generated/spec-types.js';

export type * from '../generated/spec-types.js';

export type Defaults = NonNullable<Spec['defaults']>;
export type FirewallProfile = FirewallProfiles[number];
export type KerberosEncryptionType = KerberosEncryptionTypes[number];
export type TrustDirection = NonNullable<Trust['direction']>;
export type DelegationMode = Delegation['mode'];
export type ClientCertificates = NonNullable<PowershellVirtualDirectory['clientCertificates']>;
export type CredentialSource = NonNullable<Credential['source']>;
export type SyncProduct = SyncServer['product'];
export type ConnectionAuthentication = Connection['authentication'];
/** The Windows PowerShell a host's scripts run in (`powershell`). */
export type PowerShellVersion = Powershell;
