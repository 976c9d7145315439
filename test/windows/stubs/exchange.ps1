# Exchange Management Shell cmdlets for the simulated host: Get-ExchangeServer and the PowerShell
# virtual directory cmdlets. They exist only where the host runs the Exchange Management Shell
# (an Exchange host whose state does not list them in host.missingCommands).
#
# State: $global:SimState.exchange =
#   servers: [ { name, fqdn, version ('exchange-2016' ...), admindisplayVersion, serverRole, site } ]
#   virtualDirectories: [ { server (name), name ('PowerShell (Default Web Site)'), location
#       ('Default Web Site/PowerShell': the IIS location its settings live in), backEnd (bool),
#       internalUrl, externalUrl } ]
# The authentication and SSL settings are read from and written to the IIS location (state iis),
# as Exchange does through the IIS metabase; -ADPropertiesOnly is not simulated.

function Get-SimExchangeState {
    $exchange = $global:SimState.exchange
    if ($null -eq $exchange) {
        throw (New-SimError -Message 'No Exchange server is installed on this host.' -ErrorId 'NotExchange')
    }
    return $exchange
}

function Find-SimExchangeServer {
    param([string]$Identity)
    $exchange = Get-SimExchangeState
    foreach ($server in @($exchange.servers)) {
        if (($null -ne $server) -and (([string]$server.name -ieq $Identity) -or ([string]$server.fqdn -ieq $Identity))) {
            return $server
        }
    }
    return $null
}

function Get-SimIisLocationValue {
    # The effective IIS value at a location, read without going through the WebAdministration stub.
    param([string]$Location, [string]$Section, [string]$Attribute)
    $steps = Split-SimIisFilter -Filter $Section
    $items = @()
    $root = Get-SimIisRoot -Location $Location
    if ($null -ne $root) {
        $items = @(Find-SimIisNodes -Root $root -Steps $steps)
    }
    if ($items.Count -eq 0) {
        $items = @(@{ node = $null; element = $steps[$steps.Count - 1].tag; parent = $steps[$steps.Count - 2].tag; path = '/' + $Section })
    }
    return (Get-SimIisAttributeValue -Item $items[0] -Attribute $Attribute -Steps $steps -Location $Location).value
}

function ConvertTo-SimVirtualDirectoryObject {
    param($Directory)
    $location = [string]$Directory.location
    $flags = @(([string](Get-SimIisLocationValue -Location $location -Section 'system.webServer/security/access' -Attribute 'sslFlags')).Split(',') | ForEach-Object { $_.Trim() })
    $server = Find-SimExchangeServer -Identity ([string]$Directory.server)
    $object = [pscustomobject][ordered]@{
        Name                      = [string]$Directory.name
        Server                    = [string]$Directory.server
        Identity                  = ([string]$Directory.server + '\' + [string]$Directory.name)
        BasicAuthentication       = [bool](Get-SimIisLocationValue -Location $location -Section 'system.webServer/security/authentication/basicAuthentication' -Attribute 'enabled')
        WindowsAuthentication     = [bool](Get-SimIisLocationValue -Location $location -Section 'system.webServer/security/authentication/windowsAuthentication' -Attribute 'enabled')
        CertificateAuthentication = [bool](Get-SimIisLocationValue -Location $location -Section 'system.webServer/security/authentication/clientCertificateMappingAuthentication' -Attribute 'enabled')
        RequireSSL                = ($flags -contains 'Ssl')
        InternalUrl               = Get-SimValue -Table $Directory -Key 'internalUrl'
        ExternalUrl               = Get-SimValue -Table $Directory -Key 'externalUrl'
        MetabasePath              = ('IIS://' + [string]$server.fqdn + '/W3SVC/1/ROOT/PowerShell')
        WebSite                   = ($location.Split('/')[0])
    }
    $object.PSObject.TypeNames.Insert(0, 'Microsoft.Exchange.Data.Directory.SystemConfiguration.ADPowerShellVirtualDirectory')
    return $object
}

function Find-SimVirtualDirectory {
    param([string]$Identity, [string]$Server, [switch]$BackEnd)
    $exchange = Get-SimExchangeState
    $found = [System.Collections.Generic.List[object]]::new()
    foreach ($directory in @($exchange.virtualDirectories)) {
        if ($null -eq $directory) {
            continue
        }
        if ([bool](Get-SimValue -Table $directory -Key 'backEnd') -and (-not $BackEnd)) {
            continue
        }
        if (-not [string]::IsNullOrEmpty($Server)) {
            $serverObject = Find-SimExchangeServer -Identity $Server
            if (($null -eq $serverObject) -or ([string]$serverObject.name -ine [string]$directory.server)) {
                continue
            }
        }
        if (-not [string]::IsNullOrEmpty($Identity)) {
            # Name, or Server\Name; the Name may end in a wildcard (PowerShell*).
            $name = $Identity
            if ($Identity.Contains('\')) {
                $serverPart = $Identity.Split('\')[0]
                $name = $Identity.Substring($Identity.IndexOf('\') + 1)
                $serverObject = Find-SimExchangeServer -Identity $serverPart
                if (($null -eq $serverObject) -or ([string]$serverObject.name -ine [string]$directory.server)) {
                    continue
                }
            }
            if ([string]$directory.name -notlike $name) {
                continue
            }
        }
        $found.Add($directory)
    }
    return $found
}

# Signature: MicrosoftDocs/office-docs-powershell/exchange/exchange-ps/ExchangePowerShell/Get-ExchangeServer.md
function Get-ExchangeServer {
    [CmdletBinding(DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'Identity', Position = 0, ValueFromPipeline = $true)][object]$Identity,
        [Parameter(ParameterSetName = 'Domain', Mandatory = $true)][string]$Domain,
        [string]$DomainController,
        [switch]$Status
    )
    Assert-SimCommand -Name 'Get-ExchangeServer' -Arguments $PSBoundParameters
    $exchange = Get-SimExchangeState
    foreach ($server in @($exchange.servers)) {
        if ($null -eq $server) { continue }
        if ($PSBoundParameters.ContainsKey('Identity') -and ([string]$server.name -notlike [string]$Identity) -and ([string]$server.fqdn -notlike [string]$Identity)) { continue }
        if ($PSBoundParameters.ContainsKey('Domain') -and -not ([string]$server.fqdn).EndsWith('.' + $Domain, [System.StringComparison]::OrdinalIgnoreCase)) { continue }
        [pscustomobject][ordered]@{
            Name                = [string]$server.name
            Fqdn                = [string]$server.fqdn
            ServerRole          = [string](Get-SimValue -Table $server -Key 'serverRole')
            Edition             = 'Standard'
            AdminDisplayVersion = [string](Get-SimValue -Table $server -Key 'admindisplayVersion')
            Site                = [string](Get-SimValue -Table $server -Key 'site')
        }
    }
}

# Signature: MicrosoftDocs/office-docs-powershell/exchange/exchange-ps/ExchangePowerShell/Get-PowerShellVirtualDirectory.md
function Get-PowerShellVirtualDirectory {
    [CmdletBinding(DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'Server', Mandatory = $true)][object]$Server,
        [Parameter(ParameterSetName = 'Identity', Position = 0, ValueFromPipeline = $true)][object]$Identity,
        [switch]$ADPropertiesOnly,
        [string]$DomainController,
        [switch]$ShowMailboxVirtualDirectories
    )
    Assert-SimCommand -Name 'Get-PowerShellVirtualDirectory' -Arguments $PSBoundParameters
    if ($ADPropertiesOnly) {
        throw (New-SimError -Message 'Get-PowerShellVirtualDirectory -ADPropertiesOnly is not simulated.' -ErrorId 'NotSimulated')
    }
    if ($PSCmdlet.ParameterSetName -eq 'Server') {
        if ($null -eq (Find-SimExchangeServer -Identity ([string]$Server))) {
            throw (New-SimError -Message ("The operation couldn't be performed because object '" + [string]$Server + "' couldn't be found on '" + [string]$global:SimState.host.fqdn + "'.") -ErrorId 'ManagementObjectNotFoundException' -Category 'ObjectNotFound')
        }
        $directories = Find-SimVirtualDirectory -Server ([string]$Server) -BackEnd:$ShowMailboxVirtualDirectories
    }
    else {
        $text = ''
        if ($null -ne $Identity) {
            $text = [string]$Identity
        }
        $directories = Find-SimVirtualDirectory -Identity $text -BackEnd:$ShowMailboxVirtualDirectories
        if (($text -ne '') -and ($directories.Count -eq 0)) {
            throw (New-SimError -Message ("The operation couldn't be performed because object '" + $text + "' couldn't be found on '" + [string]$global:SimState.host.fqdn + "'.") -ErrorId 'ManagementObjectNotFoundException' -Category 'ObjectNotFound')
        }
    }
    foreach ($directory in $directories) {
        ConvertTo-SimVirtualDirectoryObject -Directory $directory
    }
}

# Signature: MicrosoftDocs/office-docs-powershell/exchange/exchange-ps/ExchangePowerShell/Set-PowerShellVirtualDirectory.md
function Set-PowerShellVirtualDirectory {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object]$Identity,
        [System.Nullable[bool]]$BasicAuthentication,
        [System.Nullable[bool]]$CertificateAuthentication,
        [string]$DomainController,
        [object]$ExtendedProtectionFlags,
        [object]$ExtendedProtectionSPNList,
        [ValidateSet('None', 'Allow', 'Require')][string]$ExtendedProtectionTokenChecking,
        [uri]$ExternalUrl,
        [uri]$InternalUrl,
        [System.Nullable[bool]]$RequireSSL,
        [System.Nullable[bool]]$WindowsAuthentication
    )
    Assert-SimCommand -Name 'Set-PowerShellVirtualDirectory' -Arguments $PSBoundParameters
    foreach ($unsupported in @('ExtendedProtectionFlags', 'ExtendedProtectionSPNList', 'ExtendedProtectionTokenChecking')) {
        if ($PSBoundParameters.ContainsKey($unsupported)) {
            throw (New-SimError -Message ('Set-PowerShellVirtualDirectory -' + $unsupported + ' is not simulated.') -ErrorId 'NotSimulated')
        }
    }
    $text = [string]$Identity
    if ($null -ne $Identity.PSObject.Properties['Identity']) {
        $text = [string]$Identity.Identity
    }
    $directories = @(Find-SimVirtualDirectory -Identity $text -BackEnd)
    if ($directories.Count -ne 1) {
        throw (New-SimError -Message ("The operation couldn't be performed because object '" + $text + "' couldn't be found on '" + [string]$global:SimState.host.fqdn + "'.") -ErrorId 'ManagementObjectNotFoundException' -Category 'ObjectNotFound')
    }
    $directory = $directories[0]
    $location = [string]$directory.location
    if (-not $PSCmdlet.ShouldProcess(([string]$directory.server + '\' + [string]$directory.name), 'Set PowerShell virtual directory')) {
        return
    }
    $sections = [ordered]@{
        BasicAuthentication       = 'system.webServer/security/authentication/basicAuthentication'
        WindowsAuthentication     = 'system.webServer/security/authentication/windowsAuthentication'
        CertificateAuthentication = 'system.webServer/security/authentication/clientCertificateMappingAuthentication'
    }
    foreach ($name in $sections.Keys) {
        if ($PSBoundParameters.ContainsKey($name)) {
            $items = @(Find-SimIisNodes -Root (Get-SimIisRoot -Location $location -Create) -Steps (Split-SimIisFilter -Filter $sections[$name]) -Create)
            Set-SimIisAttribute -Item $items[0] -Attribute 'enabled' -Value ([bool]$PSBoundParameters[$name]) -Where ('Set-PowerShellVirtualDirectory ' + $location)
        }
    }
    if ($PSBoundParameters.ContainsKey('RequireSSL')) {
        $current = [string](Get-SimIisLocationValue -Location $location -Section 'system.webServer/security/access' -Attribute 'sslFlags')
        $flags = @(foreach ($f in $current.Split(',')) { $t = $f.Trim(); if (($t -ne '') -and ($t -ne 'None') -and ($t -ne 'Ssl') -and ($t -ne 'Ssl128')) { $t } })
        if ($RequireSSL) {
            $flags = @('Ssl') + $flags + @('Ssl128')
        }
        $value = 'None'
        if ($flags.Count -gt 0) {
            $value = $flags -join ','
        }
        $items = @(Find-SimIisNodes -Root (Get-SimIisRoot -Location $location -Create) -Steps (Split-SimIisFilter -Filter 'system.webServer/security/access') -Create)
        Set-SimIisAttribute -Item $items[0] -Attribute 'sslFlags' -Value $value -Where ('Set-PowerShellVirtualDirectory ' + $location)
    }
    foreach ($name in @('InternalUrl', 'ExternalUrl')) {
        if ($PSBoundParameters.ContainsKey($name)) {
            $key = $name.Substring(0, 1).ToLowerInvariant() + $name.Substring(1)
            $before = [string](Get-SimValue -Table $directory -Key $key)
            $directory[$key] = [string]$PSBoundParameters[$name]
            Register-SimChange -Area 'exchange' -Target ([string]$directory.server + '\' + [string]$directory.name + ' ' + $name) -Detail ($before + ' -> ' + [string]$PSBoundParameters[$name])
        }
    }
}

# Get-User, Get-AuthConfig and Get-ExchangeCertificate, as verify.ps1 reads them:
#   users: the shared directory's AD users (directory.ad.users) of this Exchange organization's
#     forest, each with remotePowerShellEnabled (absent: True, as Exchange creates users);
#   $global:SimState.exchange.authConfig = { currentCertificateThumbprint, previousCertificateThumbprint,
#     nextCertificateThumbprint, nextCertificateEffectiveDate, serviceName, realm } (Exchange 2013 and later);
#   certificates: this server's Cert:\LocalMachine\My (state certificates.My), each with optional services.

function Test-SimSameForest {
    <# A domain of this host's forest: the host's domain, a parent or a child of it. #>
    param([string]$Domain)
    $own = ([string]$global:SimState.host.domain).ToLowerInvariant()
    $other = $Domain.ToLowerInvariant()
    return ($own -eq $other) -or $own.EndsWith('.' + $other) -or $other.EndsWith('.' + $own)
}

function ConvertFrom-SimOpathFilter {
    <# The one OPATH form simulated: "<Property> -eq '<value>'", '' inside the value for a quote. #>
    param([string]$Filter)
    $match = [regex]::Match($Filter, "^\s*(SamAccountName|UserPrincipalName|Name)\s+-eq\s+'((?:[^']|'')*)'\s*$", 'IgnoreCase')
    if (-not $match.Success) {
        throw (New-SimError -Message ('The filter ' + $Filter + ' is not simulated.') -ErrorId 'NotSimulated')
    }
    return @{ Property = $match.Groups[1].Value; Value = $match.Groups[2].Value.Replace("''", "'") }
}

# Signature: MicrosoftDocs/office-docs-powershell/exchange/exchange-ps/ExchangePowerShell/Get-User.md
function Get-User {
    [CmdletBinding(DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'AnrSet')][string]$Anr,
        [Parameter(ParameterSetName = 'Identity', Position = 0, ValueFromPipeline = $true)][object]$Identity,
        [switch]$Arbitration,
        [switch]$AuditLog,
        [switch]$AuxAuditLog,
        [pscredential]$Credential,
        [string]$DomainController,
        [string]$Filter,
        [switch]$IgnoreDefaultScope,
        [switch]$IncludeDirectReportsWithDisplayNames,
        [switch]$IncludeManagerWithDisplayName,
        [switch]$IsVIP,
        [object]$OrganizationalUnit,
        [switch]$PublicFolder,
        [switch]$ReadFromDomainController,
        [object[]]$RecipientTypeDetails,
        [object]$ResultSize,
        [string]$Sortby,
        [switch]$SupervisoryReviewPolicy
    )
    Assert-SimCommand -Name 'Get-User' -Arguments $PSBoundParameters
    $null = Get-SimExchangeState
    if ($IgnoreDefaultScope -and $PSBoundParameters.ContainsKey('DomainController')) {
        throw (New-SimError -Message 'The DomainController parameter cannot be used with IgnoreDefaultScope.' -ErrorId 'ParameterConflict' -Category 'InvalidArgument')
    }
    foreach ($unsupported in @('Anr', 'OrganizationalUnit', 'RecipientTypeDetails', 'Sortby')) {
        if ($PSBoundParameters.ContainsKey($unsupported)) {
            throw (New-SimError -Message ('Get-User -' + $unsupported + ' is not simulated.') -ErrorId 'NotSimulated')
        }
    }
    $condition = $null
    if ($PSBoundParameters.ContainsKey('Filter')) {
        $condition = ConvertFrom-SimOpathFilter -Filter $Filter
    }
    $ad = Get-SimAdDirectory
    $found = [System.Collections.Generic.List[object]]::new()
    foreach ($user in @(Get-SimValue -Table $ad -Key 'users')) {
        if ($null -eq $user) { continue }
        $domain = [string]$user.domain
        # The default recipient scope is the host's domain; -IgnoreDefaultScope widens it to the forest.
        if ($IgnoreDefaultScope) {
            if (-not (Test-SimSameForest -Domain $domain)) { continue }
        }
        elseif ($domain -ine [string]$global:SimState.host.domain) { continue }
        $values = @{
            SamAccountName    = [string](Get-SimValue -Table $user -Key 'sAMAccountName')
            UserPrincipalName = [string](Get-SimValue -Table $user -Key 'userPrincipalName')
            Name              = [string]$user.name
        }
        if (($null -ne $condition) -and ($values[$condition.Property] -ine $condition.Value)) { continue }
        if ($null -ne $Identity) {
            $text = [string]$Identity
            if (($text -ine $values.Name) -and ($text -ine $values.UserPrincipalName) -and ($text -ine [string]$user.distinguishedName) -and ($text -ine [string](Get-SimValue -Table $user -Key 'objectGUID'))) { continue }
        }
        $enabled = Get-SimValue -Table $user -Key 'remotePowerShellEnabled'
        $found.Add([pscustomobject][ordered]@{
            Identity                = $domain + '/Users/' + $values.Name
            Name                    = $values.Name
            SamAccountName          = $values.SamAccountName
            UserPrincipalName       = $values.UserPrincipalName
            DistinguishedName       = [string]$user.distinguishedName
            Guid                    = [guid](Get-SimValue -Table $user -Key 'objectGUID')
            Sid                     = New-SimSid -Value ([string]$user.objectSid)
            RecipientTypeDetails    = 'User'
            RemotePowerShellEnabled = ($null -eq $enabled) -or ($enabled -eq $true) -or ([string]$enabled -eq 'True')
        })
    }
    if (($null -ne $Identity) -and ($found.Count -eq 0)) {
        throw (New-SimError -Message ("The operation couldn't be performed because object '" + [string]$Identity + "' couldn't be found on '" + [string]$global:SimState.host.fqdn + "'.") -ErrorId 'ManagementObjectNotFoundException' -Category 'ObjectNotFound')
    }
    return $found
}

# Signature: MicrosoftDocs/office-docs-powershell/exchange/exchange-ps/ExchangePowerShell/Get-AuthConfig.md
function Get-AuthConfig {
    [CmdletBinding()]
    param([string]$DomainController)
    Assert-SimCommand -Name 'Get-AuthConfig' -Arguments $PSBoundParameters
    $exchange = Get-SimExchangeState
    $config = Get-SimValue -Table $exchange -Key 'authConfig'
    if ($null -eq $config) {
        $config = @{}
    }
    $date = Get-SimValue -Table $config -Key 'nextCertificateEffectiveDate'
    [pscustomobject][ordered]@{
        Name                           = 'Auth Configuration'
        CurrentCertificateThumbprint   = [string](Get-SimValue -Table $config -Key 'currentCertificateThumbprint')
        PreviousCertificateThumbprint  = [string](Get-SimValue -Table $config -Key 'previousCertificateThumbprint')
        NextCertificateThumbprint      = [string](Get-SimValue -Table $config -Key 'nextCertificateThumbprint')
        NextCertificateEffectiveDate   = $(if ($null -eq $date) { $null } else { ConvertTo-SimDate -Text ([string]$date) })
        ServiceName                    = [string](Get-SimValue -Table $config -Key 'serviceName')
        Realm                          = [string](Get-SimValue -Table $config -Key 'realm')
    }
}

# Signature: MicrosoftDocs/office-docs-powershell/exchange/exchange-ps/ExchangePowerShell/Get-ExchangeCertificate.md
function Get-ExchangeCertificate {
    [CmdletBinding(DefaultParameterSetName = 'Thumbprint')]
    param(
        [Parameter(ParameterSetName = 'Identity', Position = 0)][object]$Identity,
        [Parameter(ParameterSetName = 'Instance', ValueFromPipeline = $true)][object]$Instance,
        [Parameter(ParameterSetName = 'Thumbprint', Position = 0, ValueFromPipeline = $true)][string]$Thumbprint,
        [string]$DomainController,
        [object]$DomainName,
        [Parameter(ParameterSetName = 'Instance')][Parameter(ParameterSetName = 'Thumbprint')][object]$Server
    )
    Assert-SimCommand -Name 'Get-ExchangeCertificate' -Arguments $PSBoundParameters
    $null = Get-SimExchangeState
    if ($PSBoundParameters.ContainsKey('Instance') -or $PSBoundParameters.ContainsKey('DomainName')) {
        throw (New-SimError -Message 'Get-ExchangeCertificate -Instance and -DomainName are not simulated.' -ErrorId 'NotSimulated')
    }
    if ($PSBoundParameters.ContainsKey('Server') -and ($null -eq (Find-SimExchangeServer -Identity ([string]$Server)))) {
        throw (New-SimError -Message ("The operation couldn't be performed because object '" + [string]$Server + "' couldn't be found on '" + [string]$global:SimState.host.fqdn + "'.") -ErrorId 'ManagementObjectNotFoundException' -Category 'ObjectNotFound')
    }
    $wanted = ''
    if ($PSBoundParameters.ContainsKey('Thumbprint')) { $wanted = $Thumbprint }
    if ($PSBoundParameters.ContainsKey('Identity')) { $wanted = ([string]$Identity).Split('\')[-1] }
    $found = [System.Collections.Generic.List[object]]::new()
    $store = Get-SimValue -Table $global:SimState.certificates -Key 'My'
    foreach ($certificate in @($store)) {
        if ($null -eq $certificate) { continue }
        if (($wanted -ne '') -and ([string]$certificate.Thumbprint -ine $wanted)) { continue }
        $services = Get-SimValue -Table $certificate -Key 'services'
        $found.Add([pscustomobject][ordered]@{
            Thumbprint         = ([string]$certificate.Thumbprint).ToUpperInvariant()
            Services           = $(if ($null -eq $services) { 'None' } else { [string]$services })
            Subject            = [string]$certificate.Subject
            Issuer             = [string]$certificate.Issuer
            NotBefore          = ConvertTo-SimDate -Text ([string]$certificate.NotBefore)
            NotAfter           = ConvertTo-SimDate -Text ([string]$certificate.NotAfter)
            CertificateDomains = @(Get-SimCertificateNames -Certificate $certificate)
            HasPrivateKey      = [bool]$certificate.HasPrivateKey
            IsSelfSigned       = ([string]$certificate.Subject -eq [string]$certificate.Issuer)
            Identity           = [string]$global:SimState.host.fqdn + '\' + ([string]$certificate.Thumbprint).ToUpperInvariant()
        })
    }
    if (($wanted -ne '') -and ($found.Count -eq 0)) {
        throw (New-SimError -Message ('The certificate with thumbprint ' + $wanted + ' was not found on ' + [string]$global:SimState.host.fqdn + '.') -ErrorId 'ManagementObjectNotFoundException' -Category 'ObjectNotFound')
    }
    return $found
}
