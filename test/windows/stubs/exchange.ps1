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
