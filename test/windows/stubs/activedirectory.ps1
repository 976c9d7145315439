# Active Directory for the simulated host: the ActiveDirectory module cmdlets the scripts call
# (Get-ADComputer, Get-ADObject, Get-ADUser, Set-ADObject, Set-ADAccountControl, Set-ADComputer,
# Get-ADTrust) over the shared directory state, and the Windows-only .NET types the delegation
# scripts use (SecurityIdentifier, ActiveDirectorySecurity, ActiveDirectoryAccessRule).
#
# State: $global:SimState.directory.ad =
#   domains:   [ { name (DNS), netbios, sid (domain SID), reachable (bool, default true),
#                  domainControllers: [fqdn] } ]
#   computers: [ { domain, distinguishedName, name, sAMAccountName, dNSHostName, objectSid,
#                  userAccountControl (int), servicePrincipalName: [string],
#                  'msDS-AllowedToActOnBehalfOfOtherIdentity': SDDL string or null,
#                  'msDS-SupportedEncryptionTypes': int or null } ]
#   users:     [ same keys, plus userPrincipalName; no dNSHostName ]
#   trusts:    [ { domain (the side that stores the trusted domain object), trustPartner,
#                  direction ('Inbound'|'Outbound'|'BiDirectional'), trustType ('Uplevel'),
#                  trustAttributes (int; 0x8 forest transitive, 0x800 TGT delegation),
#                  'msDS-SupportedEncryptionTypes': int or null (the trust's) } ]
#              Get-ADObject also returns each as its trusted domain object, objectClass trustedDomain,
#              CN=<trustPartner>,CN=System,<holder's domain DN>.
# -Server is a domain's DNS name or one of its domain controllers; a domain with reachable false
# (another forest this host cannot reach) fails as the real module does when no DC answers.

# pwsh on Linux has these types only as "not supported on this platform" placeholders. The
# simulated ones stand in for them under their full names (type accelerators, consulted when a
# generated script is parsed), with the members the scripts use. The binary form of a security
# descriptor is the UTF-8 text of its SDDL here: only these types read it.
if (-not ('WinrmForgeSim.SecurityIdentifier' -as [type])) {
    # ActiveDirectoryRights and AccessControlType are plain enums that pwsh on Linux has.
    Add-Type -ReferencedAssemblies @([System.DirectoryServices.ActiveDirectoryRights].Assembly.Location, [System.Security.AccessControl.AccessControlType].Assembly.Location, [regex].Assembly.Location, [System.Collections.Generic.List[int]].Assembly.Location, [object].Assembly.Location, 'System.Runtime', 'System.Collections', 'netstandard') -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;
using System.Security.AccessControl;
using System.DirectoryServices;

namespace WinrmForgeSim {
    public sealed class SecurityIdentifier {
        public SecurityIdentifier(string sddlForm) {
            if (sddlForm == null || !Regex.IsMatch(sddlForm, "^S-1-[0-9]+(-[0-9]+)+$", RegexOptions.IgnoreCase)) {
                throw new ArgumentException("Value was invalid.", "sddlForm");
            }
            Value = sddlForm.ToUpperInvariant();
        }
        public string Value { get; private set; }
        public override string ToString() { return Value; }
        public override bool Equals(object o) { SecurityIdentifier s = o as SecurityIdentifier; return s != null && s.Value == Value; }
        public override int GetHashCode() { return Value.GetHashCode(); }
    }

    public sealed class ActiveDirectoryAccessRule {
        public ActiveDirectoryAccessRule(SecurityIdentifier identity, ActiveDirectoryRights adRights, AccessControlType type) {
            if (identity == null) { throw new ArgumentNullException("identity"); }
            IdentityReference = identity;
            ActiveDirectoryRights = adRights;
            AccessControlType = type;
        }
        public SecurityIdentifier IdentityReference { get; private set; }
        public ActiveDirectoryRights ActiveDirectoryRights { get; private set; }
        public AccessControlType AccessControlType { get; private set; }
    }

    public sealed class ActiveDirectorySecurity {
        private string owner = null;
        private readonly List<ActiveDirectoryAccessRule> rules = new List<ActiveDirectoryAccessRule>();

        public void SetSecurityDescriptorSddlForm(string sddlForm) {
            Match m = Regex.Match(sddlForm ?? "", @"^(?:O:(?<o>[A-Z]{2}|S-1-[0-9-]+))?(?:G:(?:[A-Z]{2}|S-1-[0-9-]+))?D:(?<flags>[A-Z]*)(?<aces>(?:\([^)]*\))*)$");
            if (!m.Success) { throw new ArgumentException("The SDDL form of a security descriptor object is invalid.", "sddlForm"); }
            owner = m.Groups["o"].Success ? m.Groups["o"].Value : null;
            rules.Clear();
            foreach (Match ace in Regex.Matches(m.Groups["aces"].Value, @"\(([^)]*)\)")) {
                string[] parts = ace.Groups[1].Value.Split(';');
                if (parts.Length != 6) { throw new ArgumentException("The SDDL form of a security descriptor object is invalid.", "sddlForm"); }
                AccessControlType type = parts[0] == "A" ? AccessControlType.Allow : parts[0] == "D" ? AccessControlType.Deny : (AccessControlType)(-1);
                if ((int)type == -1) { throw new ArgumentException("Unsupported ACE type " + parts[0], "sddlForm"); }
                ActiveDirectoryRights rights = parts[2] == "GA" || parts[2] == "CCDCLCSWRPWPDTLOCRSDRCWDWO" ? ActiveDirectoryRights.GenericAll : ActiveDirectoryRights.GenericRead;
                rules.Add(new ActiveDirectoryAccessRule(new SecurityIdentifier(parts[5]), rights, type));
            }
        }

        public string GetSecurityDescriptorSddlForm(AccessControlSections includeSections) {
            StringBuilder b = new StringBuilder();
            if (owner != null) { b.Append("O:").Append(owner); }
            b.Append("D:");
            foreach (ActiveDirectoryAccessRule r in rules) {
                b.Append('(').Append(r.AccessControlType == AccessControlType.Allow ? "A" : "D").Append(";;")
                 .Append(r.ActiveDirectoryRights == ActiveDirectoryRights.GenericAll ? "GA" : "GR").Append(";;;")
                 .Append(r.IdentityReference.Value).Append(')');
            }
            return b.ToString();
        }

        public byte[] GetSecurityDescriptorBinaryForm() { return Encoding.UTF8.GetBytes(GetSecurityDescriptorSddlForm(AccessControlSections.All)); }
        public void SetSecurityDescriptorBinaryForm(byte[] binaryForm) {
            if (binaryForm == null) { throw new ArgumentNullException("binaryForm"); }
            SetSecurityDescriptorSddlForm(Encoding.UTF8.GetString(binaryForm));
        }
        public void AddAccessRule(ActiveDirectoryAccessRule rule) {
            if (rule == null) { throw new ArgumentNullException("rule"); }
            rules.Add(rule);
        }
        public List<ActiveDirectoryAccessRule> GetAccessRules(bool includeExplicit, bool includeInherited, Type targetType) {
            if (targetType == null || (targetType != typeof(SecurityIdentifier) && targetType.FullName != "System.Security.Principal.SecurityIdentifier")) {
                throw new ArgumentException("Only SecurityIdentifier is simulated as the target type.", "targetType");
            }
            return includeExplicit ? new List<ActiveDirectoryAccessRule>(rules) : new List<ActiveDirectoryAccessRule>();
        }
    }
}
'@
}
Register-SimTypeAccelerator -Name 'System.Security.Principal.SecurityIdentifier' -Type ([WinrmForgeSim.SecurityIdentifier])
Register-SimTypeAccelerator -Name 'System.DirectoryServices.ActiveDirectorySecurity' -Type ([WinrmForgeSim.ActiveDirectorySecurity])
Register-SimTypeAccelerator -Name 'System.DirectoryServices.ActiveDirectoryAccessRule' -Type ([WinrmForgeSim.ActiveDirectoryAccessRule])

# The AD: drive is not used by the generated scripts; it is not registered.

function Get-SimAdServerDownMessage {
    return 'Unable to contact the server. This may be because this server does not exist, it is currently down, or it does not have the Active Directory Web Services running.'
}

function Get-SimAdDirectory {
    if (($null -eq $global:SimState.directory) -or ($null -eq $global:SimState.directory.ad)) {
        throw (New-SimError -Message (Get-SimAdServerDownMessage) -ErrorId 'ActiveDirectoryServer:0,Microsoft.ActiveDirectory.Management.Commands' -Category 'ResourceUnavailable')
    }
    return $global:SimState.directory.ad
}

function Resolve-SimAdDomain {
    <# The domain a -Server value (domain DNS name or DC FQDN) reaches; the host's own domain without -Server. #>
    param([AllowEmptyString()][string]$Server)
    $ad = Get-SimAdDirectory
    if ([string]::IsNullOrEmpty($Server)) {
        $Server = [string]$global:SimState.host.domain
    }
    $name = $Server.ToLowerInvariant() -replace ':\d+$', ''
    foreach ($domain in @($ad.domains)) {
        $dcs = @(foreach ($dc in @(Get-SimValue -Table $domain -Key 'domainControllers')) { ([string]$dc).ToLowerInvariant() })
        if (([string]$domain.name).ToLowerInvariant() -eq $name -or ($dcs -contains $name)) {
            $reachable = Get-SimValue -Table $domain -Key 'reachable'
            if ($reachable -eq $false) {
                throw (New-SimError -Message (Get-SimAdServerDownMessage) -ErrorId 'ActiveDirectoryServer:0,Microsoft.ActiveDirectory.Management.Commands' -Category 'ResourceUnavailable' -Target $Server)
            }
            return $domain
        }
    }
    throw (New-SimError -Message (Get-SimAdServerDownMessage) -ErrorId 'ActiveDirectoryServer:0,Microsoft.ActiveDirectory.Management.Commands' -Category 'ResourceUnavailable' -Target $Server)
}

function ConvertFrom-SimLdapValue {
    # RFC 4515 escapes (\2a, \28, \29, \5c, \00) back to characters.
    param([string]$Text)
    return [regex]::Replace($Text, '\\([0-9a-fA-F]{2})', { param($m) [string][char][convert]::ToInt32($m.Groups[1].Value, 16) })
}

function Read-SimLdapNode {
    # One parenthesised filter from $State.text at $State.pos (a hashtable, so recursion shares the position).
    param([Parameter(Mandatory = $true)][hashtable]$State)
    $text = $State.text
    $bad = { New-SimError -Message ('The search filter cannot be recognized: ' + $text) -ErrorId 'ActiveDirectoryCmdlet:System.ArgumentException' -Category 'InvalidArgument' }
    if (($State.pos -ge $text.Length) -or ($text[$State.pos] -ne '(')) {
        throw (& $bad)
    }
    $State.pos++
    if ($State.pos -ge $text.Length) {
        throw (& $bad)
    }
    $op = [string]$text[$State.pos]
    if (@('&', '|', '!') -contains $op) {
        $State.pos++
        $children = [System.Collections.Generic.List[object]]::new()
        while (($State.pos -lt $text.Length) -and ($text[$State.pos] -eq '(')) {
            $children.Add((Read-SimLdapNode -State $State))
        }
        if (($State.pos -ge $text.Length) -or ($text[$State.pos] -ne ')') -or ($children.Count -eq 0) -or (($op -eq '!') -and ($children.Count -ne 1))) {
            throw (& $bad)
        }
        $State.pos++
        $kinds = @{ '&' = 'and'; '|' = 'or'; '!' = 'not' }
        return @{ kind = $kinds[$op]; children = $children.ToArray() }
    }
    $end = $text.IndexOf(')', $State.pos)
    if ($end -lt 0) {
        throw (& $bad)
    }
    $item = $text.Substring($State.pos, $end - $State.pos)
    $State.pos = $end + 1
    if ($item -notmatch '^([A-Za-z][A-Za-z0-9-]*)=([^()]*)$') {
        throw (& $bad)
    }
    if ($Matches[2] -eq '*') {
        return @{ kind = 'present'; attribute = $Matches[1] }
    }
    if ($Matches[2].Contains('*')) {
        return @{ kind = 'substring'; attribute = $Matches[1]; pattern = $Matches[2] }
    }
    return @{ kind = 'eq'; attribute = $Matches[1]; value = (ConvertFrom-SimLdapValue -Text $Matches[2]) }
}

function ConvertFrom-SimLdapFilter {
    <# Parses an RFC 4515 filter into nested hashtables: and / or / not / eq / substring / present. Strict: anything else fails. #>
    param([Parameter(Mandatory = $true)][string]$Filter)
    $state = @{ text = $Filter; pos = 0 }
    $tree = Read-SimLdapNode -State $state
    if ($state.pos -ne $Filter.Length) {
        throw (New-SimError -Message ('The search filter cannot be recognized: ' + $Filter) -ErrorId 'ActiveDirectoryCmdlet:System.ArgumentException' -Category 'InvalidArgument')
    }
    return $tree
}

function Get-SimAdAttribute {
    <# An attribute of a directory object as a list of values (objectClass included). #>
    param($Object, [string]$Name, [string]$Class)
    if ($Name -ieq 'objectClass') {
        if ($Class -eq 'trustedDomain') {
            return @('top', 'leaf', 'trustedDomain')
        }
        if ($Class -eq 'computer') {
            return @('top', 'person', 'organizationalPerson', 'user', 'computer')
        }
        return @('top', 'person', 'organizationalPerson', 'user')
    }
    if ($Name -ieq 'objectCategory') {
        return @($Class)
    }
    $value = Get-SimValue -Table $Object -Key $Name
    if ($null -eq $value) {
        return @()
    }
    return @($value)
}

function Test-SimLdapMatch {
    param($Node, $Object, [string]$Class)
    switch ($Node.kind) {
        'and' { foreach ($c in $Node.children) { if (-not (Test-SimLdapMatch -Node $c -Object $Object -Class $Class)) { return $false } }; return $true }
        'or' { foreach ($c in $Node.children) { if (Test-SimLdapMatch -Node $c -Object $Object -Class $Class) { return $true } }; return $false }
        'not' { return (-not (Test-SimLdapMatch -Node $Node.children[0] -Object $Object -Class $Class)) }
        'present' { return (@(Get-SimAdAttribute -Object $Object -Name $Node.attribute -Class $Class).Count -gt 0) }
        'substring' {
            $like = [System.Management.Automation.WildcardPattern]::Escape((ConvertFrom-SimLdapValue -Text $Node.pattern)).Replace('`*', '*')
            foreach ($v in @(Get-SimAdAttribute -Object $Object -Name $Node.attribute -Class $Class)) { if ([string]$v -like $like) { return $true } }
            return $false
        }
        'eq' {
            # Directory string matching is case-insensitive.
            foreach ($v in @(Get-SimAdAttribute -Object $Object -Name $Node.attribute -Class $Class)) { if ([string]$v -ieq [string]$Node.value) { return $true } }
            return $false
        }
    }
    return $false
}

function Get-SimAdObjects {
    <# The computers and users of one domain, each with its class. #>
    param($Domain, [string[]]$Classes = @('computer', 'user'))
    $ad = Get-SimAdDirectory
    $list = [System.Collections.Generic.List[object]]::new()
    foreach ($class in $Classes) {
        if ($class -eq 'trustedDomain') {
            # Each trust as the trusted domain object its holder keeps: CN=<partner>,CN=System,<domain DN>.
            foreach ($trust in @(Get-SimValue -Table $ad -Key 'trusts')) {
                if (($null -ne $trust) -and ([string]$trust.domain -ieq [string]$Domain.name)) {
                    $view = New-Object -TypeName 'System.Collections.Hashtable' -ArgumentList @([System.StringComparer]::OrdinalIgnoreCase)
                    foreach ($k in @($trust.Keys)) { $view[$k] = $trust[$k] }
                    $view['name'] = [string]$trust.trustPartner
                    $view['distinguishedName'] = 'CN=' + [string]$trust.trustPartner + ',CN=System,' + ((@(foreach ($part in ([string]$Domain.name).Split('.')) { 'DC=' + $part })) -join ',')
                    $view['objectGUID'] = [string][guid]::new([System.Security.Cryptography.MD5]::HashData([System.Text.Encoding]::UTF8.GetBytes([string]$view['distinguishedName'])))
                    $list.Add([pscustomobject]@{ Class = 'trustedDomain'; Object = $view })
                }
            }
            continue
        }
        $key = @{ computer = 'computers'; user = 'users' }[$class]
        foreach ($object in @(Get-SimValue -Table $ad -Key $key)) {
            if (($null -ne $object) -and ([string]$object.domain -ieq [string]$Domain.name)) {
                $list.Add([pscustomobject]@{ Class = $class; Object = $object })
            }
        }
    }
    return $list
}

function New-SimSid {
    param([Parameter(Mandatory = $true)][string]$Value)
    $type = 'System.Security.Principal.SecurityIdentifier' -as [type]
    return $type::new($Value)
}

function ConvertTo-SimAdObject {
    <# What the AD cmdlets return: the default properties of the class plus those asked for with -Properties. #>
    param([Parameter(Mandatory = $true)]$Entry, [string[]]$Properties = @(), [string]$Kind = 'object')
    $o = $Entry.Object
    $uac = [int](Get-SimValue -Table $o -Key 'userAccountControl')
    $result = [ordered]@{
        DistinguishedName = [string]$o.distinguishedName
        Name              = [string]$o.name
        ObjectClass       = $Entry.Class
        ObjectGUID        = [guid](Get-SimValue -Table $o -Key 'objectGUID')
    }
    if ($Kind -ne 'object') {
        $result['SamAccountName'] = [string](Get-SimValue -Table $o -Key 'sAMAccountName')
        $result['SID'] = New-SimSid -Value ([string]$o.objectSid)
        $result['Enabled'] = (($uac -band 0x2) -eq 0)
        $result['UserPrincipalName'] = Get-SimValue -Table $o -Key 'userPrincipalName'
    }
    if ($Kind -eq 'computer') {
        $result['DNSHostName'] = Get-SimValue -Table $o -Key 'dNSHostName'
    }
    foreach ($property in $Properties) {
        switch -Regex ($property) {
            '^TrustedForDelegation$' { $result['TrustedForDelegation'] = (($uac -band 0x80000) -ne 0); continue }
            '^TrustedToAuthForDelegation$' { $result['TrustedToAuthForDelegation'] = (($uac -band 0x1000000) -ne 0); continue }
            '^AccountNotDelegated$' { $result['AccountNotDelegated'] = (($uac -band 0x100000) -ne 0); continue }
            '^objectSid$' { $result['objectSid'] = New-SimSid -Value ([string]$o.objectSid); continue }
            '^msDS-AllowedToActOnBehalfOfOtherIdentity$' {
                # The AD module returns this attribute as an ActiveDirectorySecurity.
                $sddl = Get-SimValue -Table $o -Key 'msDS-AllowedToActOnBehalfOfOtherIdentity'
                $value = $null
                if (-not [string]::IsNullOrEmpty([string]$sddl)) {
                    $value = New-Object -TypeName 'System.DirectoryServices.ActiveDirectorySecurity'
                    $value.SetSecurityDescriptorSddlForm([string]$sddl)
                }
                $result['msDS-AllowedToActOnBehalfOfOtherIdentity'] = $value
                continue
            }
            '^servicePrincipalName$|^ServicePrincipalNames$' { $result[$property] = @(Get-SimAdAttribute -Object $o -Name 'servicePrincipalName' -Class $Entry.Class); continue }
            '^\*$' { foreach ($k in @($o.Keys)) { if (-not $result.Contains($k)) { $result[$k] = $o[$k] } }; continue }
            default { $result[$property] = Get-SimValue -Table $o -Key $property }
        }
    }
    $object = [pscustomobject]$result
    $typeName = @{ object = 'Microsoft.ActiveDirectory.Management.ADObject'; computer = 'Microsoft.ActiveDirectory.Management.ADComputer'; user = 'Microsoft.ActiveDirectory.Management.ADUser' }[$Kind]
    $object.PSObject.TypeNames.Insert(0, $typeName)
    return $object
}

function Find-SimAdIdentity {
    <# -Identity: an object from an AD cmdlet, a distinguished name, GUID, SID or sAMAccountName. #>
    param([Parameter(Mandatory = $true)]$Identity, $Domain, [string[]]$Classes, [string]$Cmdlet)
    $text = $Identity
    if ($Identity -isnot [string]) {
        if ($null -ne $Identity.PSObject.Properties['DistinguishedName']) {
            $text = [string]$Identity.DistinguishedName
        }
        else {
            $text = [string]$Identity
        }
    }
    foreach ($entry in @(Get-SimAdObjects -Domain $Domain -Classes $Classes)) {
        $o = $entry.Object
        $sam = [string](Get-SimValue -Table $o -Key 'sAMAccountName')
        if (([string]$o.distinguishedName -ieq $text) -or ([string]$o.objectSid -ieq $text) -or ([string](Get-SimValue -Table $o -Key 'objectGUID') -ieq $text) -or ($sam -ieq $text) -or (($entry.Class -eq 'computer') -and ($sam -ieq ($text + '$')))) {
            return $entry
        }
    }
    $message = "Cannot find an object with identity: '" + $text + "' under: '" + (@(foreach ($part in ([string]$Domain.name).Split('.')) { 'DC=' + $part }) -join ',') + "'."
    throw (New-SimError -Message $message -ErrorId ('ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException,Microsoft.ActiveDirectory.Management.Commands.' + $Cmdlet) -Category 'ObjectNotFound' -Target $text)
}

function Invoke-SimAdQuery {
    param([Parameter(Mandatory = $true)][hashtable]$Bound, [Parameter(Mandatory = $true)][string]$Set, [string[]]$Classes, [string]$Kind, [string]$Cmdlet)
    $server = [string]$Bound['Server']
    $domains = @()
    if ($server -match ':3268$') {
        # The global catalog: every domain of the forest (the domain itself, its parent and children).
        $root = Resolve-SimAdDomain -Server $server
        $rootName = [string]$root.name
        $domains = @(foreach ($d in @((Get-SimAdDirectory).domains)) {
                $n = [string]$d.name
                if ((($n -ieq $rootName) -or $n.EndsWith('.' + $rootName, [System.StringComparison]::OrdinalIgnoreCase) -or $rootName.EndsWith('.' + $n, [System.StringComparison]::OrdinalIgnoreCase)) -and ((Get-SimValue -Table $d -Key 'reachable') -ne $false)) { $d }
            })
        if ($Set -eq 'Identity') {
            throw (New-SimError -Message '-Identity against the global catalog is not simulated.' -ErrorId 'NotSimulated')
        }
    }
    $domain = Resolve-SimAdDomain -Server $server
    if ($domains.Count -eq 0) {
        $domains = @($domain)
    }
    $properties = @()
    if ($Bound.ContainsKey('Properties')) {
        $properties = @($Bound['Properties'])
    }
    if ($Set -eq 'Identity') {
        $entry = Find-SimAdIdentity -Identity $Bound['Identity'] -Domain $domain -Classes $Classes -Cmdlet $Cmdlet
        return (ConvertTo-SimAdObject -Entry $entry -Properties $properties -Kind $Kind)
    }
    if ($Set -eq 'Filter') {
        # The PowerShell Expression Language filter is not simulated beyond '*'.
        if ([string]$Bound['Filter'] -ne '*') {
            throw (New-SimError -Message ('-Filter ' + [string]$Bound['Filter'] + ' is not simulated; the generated scripts use -LDAPFilter.') -ErrorId 'NotSimulated')
        }
        $tree = @{ kind = 'present'; attribute = 'objectClass' }
    }
    else {
        $tree = ConvertFrom-SimLdapFilter -Filter ([string]$Bound['LDAPFilter'])
    }
    $results = [System.Collections.Generic.List[object]]::new()
    $base = [string]$Bound['SearchBase']
    foreach ($one in $domains) {
        foreach ($entry in @(Get-SimAdObjects -Domain $one -Classes $Classes)) {
            # -SearchBase: only objects at or under that DN (a subtree search, the default scope).
            if (($base -ne '') -and -not ([string]$entry.Object.distinguishedName).EndsWith($base, [System.StringComparison]::OrdinalIgnoreCase)) {
                continue
            }
            if (Test-SimLdapMatch -Node $tree -Object $entry.Object -Class $entry.Class) {
                $results.Add((ConvertTo-SimAdObject -Entry $entry -Properties $properties -Kind $Kind))
            }
        }
    }
    return $results
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/ActiveDirectory/Get-ADComputer.md
function Get-ADComputer {
    [CmdletBinding(DefaultParameterSetName = 'Filter')]
    param(
        [ValidateSet('Negotiate', 'Basic')][string]$AuthType,
        [pscredential]$Credential,
        [Parameter(ParameterSetName = 'Filter', Mandatory = $true)][string]$Filter,
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object]$Identity,
        [Parameter(ParameterSetName = 'LdapFilter', Mandatory = $true)][string]$LDAPFilter,
        [Parameter(ParameterSetName = 'Identity')][string]$Partition,
        [Alias('Property')][string[]]$Properties,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][int]$ResultPageSize,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][System.Nullable[int]]$ResultSetSize,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][string]$SearchBase,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][ValidateSet('Base', 'OneLevel', 'Subtree')][string]$SearchScope,
        [string]$Server
    )
    Assert-SimCommand -Name 'Get-ADComputer' -Arguments $PSBoundParameters
    Invoke-SimAdQuery -Bound $PSBoundParameters -Set $PSCmdlet.ParameterSetName -Classes @('computer') -Kind 'computer' -Cmdlet 'GetADComputer'
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/ActiveDirectory/Get-ADUser.md
function Get-ADUser {
    [CmdletBinding(DefaultParameterSetName = 'Filter')]
    param(
        [ValidateSet('Negotiate', 'Basic')][string]$AuthType,
        [pscredential]$Credential,
        [Parameter(ParameterSetName = 'Filter', Mandatory = $true)][string]$Filter,
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object]$Identity,
        [Parameter(ParameterSetName = 'LdapFilter', Mandatory = $true)][string]$LDAPFilter,
        [Parameter(ParameterSetName = 'Identity')][string]$Partition,
        [Alias('Property')][string[]]$Properties,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][int]$ResultPageSize,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][System.Nullable[int]]$ResultSetSize,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][string]$SearchBase,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][ValidateSet('Base', 'OneLevel', 'Subtree')][string]$SearchScope,
        [string]$Server
    )
    Assert-SimCommand -Name 'Get-ADUser' -Arguments $PSBoundParameters
    Invoke-SimAdQuery -Bound $PSBoundParameters -Set $PSCmdlet.ParameterSetName -Classes @('user') -Kind 'user' -Cmdlet 'GetADUser'
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/ActiveDirectory/Get-ADObject.md
function Get-ADObject {
    [CmdletBinding(DefaultParameterSetName = 'Filter')]
    param(
        [ValidateSet('Negotiate', 'Basic')][string]$AuthType,
        [pscredential]$Credential,
        [Parameter(ParameterSetName = 'Filter', Mandatory = $true)][string]$Filter,
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object]$Identity,
        [Parameter(ParameterSetName = 'LdapFilter', Mandatory = $true)][string]$LDAPFilter,
        [switch]$IncludeDeletedObjects,
        [Parameter(ParameterSetName = 'Identity')][string]$Partition,
        [Alias('Property')][string[]]$Properties,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][int]$ResultPageSize,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][System.Nullable[int]]$ResultSetSize,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][string]$SearchBase,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][ValidateSet('Base', 'OneLevel', 'Subtree')][string]$SearchScope,
        [string]$Server
    )
    Assert-SimCommand -Name 'Get-ADObject' -Arguments $PSBoundParameters
    Invoke-SimAdQuery -Bound $PSBoundParameters -Set $PSCmdlet.ParameterSetName -Classes @('computer', 'user', 'trustedDomain') -Kind 'object' -Cmdlet 'GetADObject'
}

function Set-SimAdAttribute {
    param($Entry, [string]$Name, $Value, [string]$Domain)
    $o = $Entry.Object
    $key = Get-SimKey -Table $o -Key $Name
    if ($null -eq $key) {
        $key = $Name
    }
    $before = $o[$key]
    if ($Name -ieq 'msDS-AllowedToActOnBehalfOfOtherIdentity') {
        # Written as the binary form of a security descriptor (byte[]) or as an ActiveDirectorySecurity.
        $descriptor = New-Object -TypeName 'System.DirectoryServices.ActiveDirectorySecurity'
        if ($Value -is [byte[]]) {
            $descriptor.SetSecurityDescriptorBinaryForm($Value)
        }
        elseif ($Value -is ('System.DirectoryServices.ActiveDirectorySecurity' -as [type])) {
            $descriptor = $Value
        }
        else {
            throw (New-SimError -Message ('msDS-AllowedToActOnBehalfOfOtherIdentity takes a security descriptor (byte[] or ActiveDirectorySecurity), not ' + $Value.GetType().FullName) -ErrorId 'ActiveDirectoryCmdlet:System.ArgumentException' -Category 'InvalidArgument')
        }
        $Value = $descriptor.GetSecurityDescriptorSddlForm([System.Security.AccessControl.AccessControlSections]::All)
    }
    $o[$key] = $Value
    Register-SimChange -Area 'ad' -Target ([string]$o.distinguishedName + ' ' + $Name) -Detail ([string]$before + ' -> ' + [string]$Value)
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/ActiveDirectory/Set-ADObject.md
function Set-ADObject {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'Identity')][hashtable]$Add,
        [ValidateSet('Negotiate', 'Basic')][string]$AuthType,
        [Parameter(ParameterSetName = 'Identity')][string[]]$Clear,
        [pscredential]$Credential,
        [Parameter(ParameterSetName = 'Identity')][string]$Description,
        [Parameter(ParameterSetName = 'Identity')][string]$DisplayName,
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object]$Identity,
        [Parameter(ParameterSetName = 'Instance', Mandatory = $true)][object]$Instance,
        [Parameter(ParameterSetName = 'Identity')][string]$Partition,
        [switch]$PassThru,
        [Parameter(ParameterSetName = 'Identity')][System.Nullable[bool]]$ProtectedFromAccidentalDeletion,
        [Parameter(ParameterSetName = 'Identity')][hashtable]$Remove,
        [Parameter(ParameterSetName = 'Identity')][hashtable]$Replace,
        [string]$Server
    )
    Assert-SimCommand -Name 'Set-ADObject' -Arguments $PSBoundParameters
    if ($PSCmdlet.ParameterSetName -eq 'Instance') {
        throw (New-SimError -Message 'Set-ADObject -Instance is not simulated: the generated scripts use -Identity.' -ErrorId 'NotSimulated')
    }
    $domain = Resolve-SimAdDomain -Server $Server
    $entry = Find-SimAdIdentity -Identity $Identity -Domain $domain -Classes @('computer', 'user') -Cmdlet 'SetADObject'
    if ($PSCmdlet.ShouldProcess([string]$entry.Object.distinguishedName, 'Set')) {
        foreach ($name in @($Clear)) {
            if ($null -ne $name) {
                Set-SimAdAttribute -Entry $entry -Name $name -Value $null -Domain $domain.name
            }
        }
        if ($null -ne $Replace) {
            foreach ($name in @($Replace.Keys)) {
                Set-SimAdAttribute -Entry $entry -Name ([string]$name) -Value $Replace[$name] -Domain $domain.name
            }
        }
        foreach ($table in @($Add, $Remove)) {
            if ($null -ne $table) {
                foreach ($name in @($table.Keys)) {
                    $current = @(Get-SimAdAttribute -Object $entry.Object -Name ([string]$name) -Class $entry.Class)
                    if ([object]::ReferenceEquals($table, $Add)) {
                        $new = @($current) + @($table[$name])
                    }
                    else {
                        $new = @(foreach ($v in $current) { if (@($table[$name]) -notcontains $v) { $v } })
                    }
                    Set-SimAdAttribute -Entry $entry -Name ([string]$name) -Value $new -Domain $domain.name
                }
            }
        }
        if ($PassThru) {
            return (ConvertTo-SimAdObject -Entry $entry -Kind 'object')
        }
    }
}

function Set-SimAccountControlFlag {
    param($Entry, [int]$Flag, [bool]$On, [string]$Name)
    $o = $Entry.Object
    $before = [int](Get-SimValue -Table $o -Key 'userAccountControl')
    $after = $before -band (-bnot $Flag)
    if ($On) {
        $after = $after -bor $Flag
    }
    if ($after -ne $before) {
        $o[(Get-SimKey -Table $o -Key 'userAccountControl')] = $after
    }
    # Writing the same value is still a write, as it is against a domain controller.
    Register-SimChange -Area 'ad' -Target ([string]$o.distinguishedName + ' ' + $Name) -Detail ('userAccountControl 0x' + $before.ToString('x') + ' -> 0x' + $after.ToString('x'))
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/ActiveDirectory/Set-ADAccountControl.md
function Set-ADAccountControl {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [System.Nullable[bool]]$AccountNotDelegated,
        [System.Nullable[bool]]$AllowReversiblePasswordEncryption,
        [ValidateSet('Negotiate', 'Basic')][string]$AuthType,
        [System.Nullable[bool]]$CannotChangePassword,
        [pscredential]$Credential,
        [System.Nullable[bool]]$DoesNotRequirePreAuth,
        [System.Nullable[bool]]$Enabled,
        [System.Nullable[bool]]$HomedirRequired,
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object]$Identity,
        [System.Nullable[bool]]$MNSLogonAccount,
        [string]$Partition,
        [switch]$PassThru,
        [System.Nullable[bool]]$PasswordNeverExpires,
        [System.Nullable[bool]]$PasswordNotRequired,
        [string]$Server,
        [System.Nullable[bool]]$TrustedForDelegation,
        [System.Nullable[bool]]$TrustedToAuthForDelegation,
        [System.Nullable[bool]]$UseDESKeyOnly
    )
    Assert-SimCommand -Name 'Set-ADAccountControl' -Arguments $PSBoundParameters
    $domain = Resolve-SimAdDomain -Server $Server
    $entry = Find-SimAdIdentity -Identity $Identity -Domain $domain -Classes @('computer', 'user') -Cmdlet 'SetADAccountControl'
    $flags = [ordered]@{ TrustedForDelegation = 0x80000; TrustedToAuthForDelegation = 0x1000000; AccountNotDelegated = 0x100000; UseDESKeyOnly = 0x200000; DoesNotRequirePreAuth = 0x400000; PasswordNeverExpires = 0x10000; PasswordNotRequired = 0x20; MNSLogonAccount = 0x20000; HomedirRequired = 0x8; AllowReversiblePasswordEncryption = 0x80 }
    if ($PSCmdlet.ShouldProcess([string]$entry.Object.distinguishedName, 'Set')) {
        foreach ($name in $flags.Keys) {
            if ($PSBoundParameters.ContainsKey($name)) {
                Set-SimAccountControlFlag -Entry $entry -Flag $flags[$name] -On ([bool]$PSBoundParameters[$name]) -Name $name
            }
        }
        if ($PSBoundParameters.ContainsKey('Enabled')) {
            Set-SimAccountControlFlag -Entry $entry -Flag 0x2 -On (-not $Enabled) -Name 'Enabled'
        }
        if ($PSBoundParameters.ContainsKey('CannotChangePassword')) {
            throw (New-SimError -Message 'CannotChangePassword is an ACL change, not simulated.' -ErrorId 'NotSimulated')
        }
        if ($PassThru) {
            return (ConvertTo-SimAdObject -Entry $entry -Kind $entry.Class)
        }
    }
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/ActiveDirectory/Set-ADComputer.md
# Only the Identity set with the delegation-related parameters the scripts could use is simulated;
# every other documented parameter of Set-ADComputer is declared and refused as not simulated.
function Set-ADComputer {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object]$Identity,
        [Parameter(ParameterSetName = 'Instance', Mandatory = $true)][object]$Instance,
        [Parameter(ParameterSetName = 'Identity')][hashtable]$Add,
        [Parameter(ParameterSetName = 'Identity')][hashtable]$Remove,
        [Parameter(ParameterSetName = 'Identity')][hashtable]$Replace,
        [Parameter(ParameterSetName = 'Identity')][string[]]$Clear,
        [Parameter(ParameterSetName = 'Identity')][object[]]$PrincipalsAllowedToDelegateToAccount,
        [Parameter(ParameterSetName = 'Identity')][hashtable]$ServicePrincipalNames,
        [Parameter(ParameterSetName = 'Identity')][System.Nullable[bool]]$TrustedForDelegation,
        [Parameter(ParameterSetName = 'Identity')][System.Nullable[bool]]$AccountNotDelegated,
        [Parameter(ParameterSetName = 'Identity')][ValidateSet('None', 'DES', 'RC4', 'AES128', 'AES256')][string[]]$KerberosEncryptionType,
        [Parameter(ParameterSetName = 'Identity')][string]$Description,
        [Parameter(ParameterSetName = 'Identity')][string]$DNSHostName,
        [Parameter(ParameterSetName = 'Identity')][string]$Partition,
        [ValidateSet('Negotiate', 'Basic')][string]$AuthType,
        [pscredential]$Credential,
        [switch]$PassThru,
        [string]$Server
    )
    Assert-SimCommand -Name 'Set-ADComputer' -Arguments $PSBoundParameters
    if ($PSCmdlet.ParameterSetName -eq 'Instance') {
        throw (New-SimError -Message 'Set-ADComputer -Instance is not simulated.' -ErrorId 'NotSimulated')
    }
    $domain = Resolve-SimAdDomain -Server $Server
    $entry = Find-SimAdIdentity -Identity $Identity -Domain $domain -Classes @('computer') -Cmdlet 'SetADComputer'
    if (-not $PSCmdlet.ShouldProcess([string]$entry.Object.distinguishedName, 'Set')) {
        return
    }
    foreach ($name in @('TrustedForDelegation', 'AccountNotDelegated')) {
        if ($PSBoundParameters.ContainsKey($name)) {
            $flag = @{ TrustedForDelegation = 0x80000; AccountNotDelegated = 0x100000 }[$name]
            Set-SimAccountControlFlag -Entry $entry -Flag $flag -On ([bool]$PSBoundParameters[$name]) -Name $name
        }
    }
    if ($PSBoundParameters.ContainsKey('PrincipalsAllowedToDelegateToAccount')) {
        # Replaces the whole list (Microsoft: the parameter overwrites the existing value).
        $descriptor = New-Object -TypeName 'System.DirectoryServices.ActiveDirectorySecurity'
        $descriptor.SetSecurityDescriptorSddlForm('O:BAD:')
        foreach ($principal in @($PrincipalsAllowedToDelegateToAccount)) {
            if ($null -eq $principal) {
                continue
            }
            $sid = $principal
            if ($null -ne $principal.PSObject.Properties['SID']) {
                $sid = $principal.SID
            }
            $descriptor.AddAccessRule((New-Object -TypeName 'System.DirectoryServices.ActiveDirectoryAccessRule' -ArgumentList @((New-SimSid -Value ([string]$sid)), [System.DirectoryServices.ActiveDirectoryRights]::GenericAll, [System.Security.AccessControl.AccessControlType]::Allow)))
        }
        Set-SimAdAttribute -Entry $entry -Name 'msDS-AllowedToActOnBehalfOfOtherIdentity' -Value $descriptor -Domain $domain.name
    }
    if ($PSBoundParameters.ContainsKey('KerberosEncryptionType')) {
        $bits = @{ None = 0; DES = 0x3; RC4 = 0x4; AES128 = 0x8; AES256 = 0x10 }
        $value = 0
        foreach ($t in $KerberosEncryptionType) { $value = $value -bor $bits[$t] }
        Set-SimAdAttribute -Entry $entry -Name 'msDS-SupportedEncryptionTypes' -Value $value -Domain $domain.name
    }
    foreach ($name in @('Add', 'Remove', 'Replace', 'Clear', 'ServicePrincipalNames', 'Description', 'DNSHostName', 'Partition')) {
        if ($PSBoundParameters.ContainsKey($name)) {
            throw (New-SimError -Message ('Set-ADComputer -' + $name + ' is not simulated: no generated script uses it.') -ErrorId 'NotSimulated')
        }
    }
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/ActiveDirectory/Get-ADTrust.md
function Get-ADTrust {
    [CmdletBinding(DefaultParameterSetName = 'Filter')]
    param(
        [ValidateSet('Negotiate', 'Basic')][string]$AuthType,
        [pscredential]$Credential,
        [Parameter(ParameterSetName = 'Filter', Mandatory = $true)][string]$Filter,
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object]$Identity,
        [Parameter(ParameterSetName = 'InputObject', Mandatory = $true)][object]$InputObject,
        [Parameter(ParameterSetName = 'LdapFilter', Mandatory = $true)][string]$LDAPFilter,
        [Alias('Property')][string[]]$Properties,
        [string]$Server
    )
    Assert-SimCommand -Name 'Get-ADTrust' -Arguments $PSBoundParameters
    $domain = Resolve-SimAdDomain -Server $Server
    $ad = Get-SimAdDirectory
    $tree = $null
    switch ($PSCmdlet.ParameterSetName) {
        'LdapFilter' { $tree = ConvertFrom-SimLdapFilter -Filter $LDAPFilter }
        'Filter' {
            if ($Filter -ne '*') {
                throw (New-SimError -Message ('-Filter ' + $Filter + ' is not simulated; the generated scripts use -LDAPFilter.') -ErrorId 'NotSimulated')
            }
            $tree = @{ kind = 'present'; attribute = 'trustPartner' }
        }
        default {
            $name = [string]$Identity
            if ($PSCmdlet.ParameterSetName -eq 'InputObject') {
                $name = [string]$InputObject.Target
            }
            $tree = @{ kind = 'eq'; attribute = 'trustPartner'; value = $name }
        }
    }
    $found = [System.Collections.Generic.List[object]]::new()
    foreach ($trust in @($ad.trusts)) {
        if (($null -eq $trust) -or ([string]$trust.domain -ine [string]$domain.name)) {
            continue
        }
        if (Test-SimLdapMatch -Node $tree -Object $trust -Class 'trustedDomain') {
            $attributes = [int]$trust.trustAttributes
            $found.Add([pscustomobject][ordered]@{
                    Name                  = [string]$trust.trustPartner
                    Target                = [string]$trust.trustPartner
                    Source                = ((@(foreach ($part in ([string]$domain.name).Split('.')) { 'DC=' + $part })) -join ',')
                    Direction             = [string]$trust.direction
                    TrustType             = [string](Get-SimValue -Table $trust -Key 'trustType')
                    TrustAttributes       = $attributes
                    ForestTransitive      = (($attributes -band 0x8) -ne 0)
                    TGTDelegation         = (($attributes -band 0x800) -ne 0)
                    SelectiveAuthentication = (($attributes -band 0x10) -ne 0)
                    DistinguishedName     = ('CN=' + [string]$trust.trustPartner + ',CN=System,' + ((@(foreach ($part in ([string]$domain.name).Split('.')) { 'DC=' + $part })) -join ','))
                    ObjectClass           = 'trustedDomain'
                })
        }
    }
    if (($PSCmdlet.ParameterSetName -eq 'Identity' -or $PSCmdlet.ParameterSetName -eq 'InputObject') -and $found.Count -eq 0) {
        throw (New-SimError -Message ("Cannot find an object with identity: '" + [string]$Identity + "'") -ErrorId 'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException,Microsoft.ActiveDirectory.Management.Commands.GetADTrust' -Category 'ObjectNotFound')
    }
    return $found
}
