# WinRM on the simulated host: services, the WSMan: drive, the WS-Management cmdlets,
# PowerShell remoting (Enable-/Disable-PSRemoting, session configurations), execution policy,
# Import-Module for Windows modules, and the client side of remote sessions.
# State: host, services, wsman, sessionConfigurations, registry (policies), executionPolicy, remote.

# ---------------------------------------------------------------- helpers

function Get-SimService {
    param([string]$Name)
    if (-not $global:SimState.ContainsKey('services')) { $global:SimState.services = @{} }
    foreach ($k in $global:SimState.services.Keys) { if ($k -eq $Name) { return $global:SimState.services[$k] } }
    return $null
}

function Test-SimWinRMRunning {
    $s = Get-SimService -Name 'WinRM'
    return ($null -ne $s -and $s.status -eq 'Running')
}

function Assert-SimWinRMRunning {
    if (-not (Test-SimWinRMRunning)) {
        throw [System.InvalidOperationException]::new('The client cannot connect to the destination specified in the request. Verify that the service on the destination is running and is accepting requests. WinRM cannot complete the operation: the WinRM service is not running.')
    }
}

# WSMan setting (below localhost\) -> Group Policy value that overrides it
# (Windows Components > Windows Remote Management, HKLM:\SOFTWARE\Policies\Microsoft\Windows\WinRM\...).
$global:SimWSManPolicies = @{
    'Service\Auth\Basic'        = @('Service', 'AllowBasic', 'bool')
    'Service\Auth\Kerberos'     = @('Service', 'AllowKerberos', 'bool')
    'Service\Auth\Negotiate'    = @('Service', 'AllowNegotiate', 'bool')
    'Service\Auth\CredSSP'      = @('Service', 'AllowCredSSP', 'bool')
    'Service\Auth\CbtHardeningLevel' = @('Service', 'CBTHardeningLevelStatus', 'cbt')
    'Service\AllowUnencrypted'  = @('Service', 'AllowUnencryptedTraffic', 'bool')
    'Service\IPv4Filter'        = @('Service', 'IPv4Filter', 'autoconfig')
    'Service\IPv6Filter'        = @('Service', 'IPv6Filter', 'autoconfig')
    'Client\Auth\Basic'         = @('Client', 'AllowBasic', 'bool')
    'Client\Auth\Digest'        = @('Client', 'AllowDigest', 'bool')
    'Client\Auth\Kerberos'      = @('Client', 'AllowKerberos', 'bool')
    'Client\Auth\Negotiate'     = @('Client', 'AllowNegotiate', 'bool')
    'Client\Auth\CredSSP'       = @('Client', 'AllowCredSSP', 'bool')
    'Client\AllowUnencrypted'   = @('Client', 'AllowUnencryptedTraffic', 'bool')
    'Client\TrustedHosts'       = @('Client', 'TrustedHosts', 'trustedhosts')
}

function Get-SimWSManPolicy {
    # The policy value for a WSMan setting, or $null when Group Policy leaves it Not Configured.
    param([string]$Setting)
    $p = $global:SimWSManPolicies[$Setting]
    if ($null -eq $p) { return $null }
    $key = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WinRM\' + $p[0]
    $v = Get-SimRegistryValue -Key $key -Name $p[1]
    if ($null -eq $v) { return $null }
    switch ($p[2]) {
        'bool' { return ([string]([int]$v -ne 0)).ToLowerInvariant() }
        'autoconfig' {
            # The filters are elements of "Allow remote server management through WinRM" (AllowAutoConfig):
            # they govern the setting only while that policy is enabled (policy-csp-remotemanagement).
            $enabled = Get-SimRegistryValue -Key $key -Name 'AllowAutoConfig'
            if ($null -eq $enabled -or [int]$enabled -eq 0) { return $null }
            return [string]$v
        }
        'cbt' {
            # CBTHardeningLevelStatus 1 = enabled, with the level in CbtHardeningLevel; 0 = disabled (local value applies).
            if ([int]$v -eq 0) { return $null }
            return [string](Get-SimRegistryValue -Key $key -Name 'CbtHardeningLevel')
        }
        'trustedhosts' {
            if ([int]$v -eq 0) { return $null }
            return [string](Get-SimRegistryValue -Key $key -Name 'TrustedHostsList')
        }
    }
}

function Get-SimWSManNode {
    # Resolves 'Service\Auth\Basic' to @{ Parent = <hashtable>; Name = 'Basic' } in $SimState.wsman.
    param([string]$Setting)
    $parts = $Setting.Split('\')
    $node = $global:SimState.wsman
    for ($i = 0; $i -lt $parts.Count - 1; $i++) {
        $next = $null
        foreach ($k in $node.Keys) { if ($k -eq $parts[$i]) { $next = $node[$k] } }
        if ($null -eq $next -or -not ($next -is [System.Collections.IDictionary])) { return $null }
        $node = $next
    }
    foreach ($k in $node.Keys) { if ($k -eq $parts[-1]) { return @{ Parent = $node; Name = $k } } }
    return $null
}

function ConvertTo-SimWSManSetting {
    param([string]$Path)
    if ($Path -notmatch '^(?:Microsoft\.WSMan\.Management\\WSMan::|WSMan:)\\?localhost\\?(.*)$') {
        throw [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$Path' because it does not exist.")
    }
    return $Matches[1].TrimEnd('\')
}

function New-SimWSManElement {
    param([string]$Name, [object]$Value, [string]$Setting)
    $type = if ($Value -is [System.Collections.IDictionary]) { 'Container' } else { 'System.String' }
    $source = if ($null -ne (Get-SimWSManPolicy -Setting $Setting)) { 'GPO' } else { $null }
    [pscustomobject]@{ PSPath = ('Microsoft.WSMan.Management\WSMan::localhost\' + $Setting); Name = $Name; Value = $Value; Type = $type; SourceOfValue = $source }
}

function Get-SimListenerName {
    param($Listener)
    # The provider names a listener Listener_<hash>; the hash is stable per address and transport.
    $text = ([string]$Listener.Transport + '+' + [string]$Listener.Address).ToUpperInvariant()
    $sum = 0
    foreach ($ch in $text.ToCharArray()) { $sum = ($sum * 31 + [int]$ch) % 2147483647 }
    return 'Listener_' + $sum
}

function ConvertTo-SimListenerObject {
    param($Listener)
    $o = [ordered]@{
        Address = [string]$Listener.Address; Transport = [string]$Listener.Transport; Port = [string]$Listener.Port
        Hostname = [string]$Listener.Hostname; Enabled = ([string]$Listener.Enabled).ToLowerInvariant(); URLPrefix = [string]$Listener.URLPrefix
        CertificateThumbprint = [string]$Listener.CertificateThumbprint
        ListeningOn = @('127.0.0.1', '::1')
    }
    if ($Listener.ContainsKey('Source') -and $Listener.Source) { $o.Source = [string]$Listener.Source }
    return [pscustomobject]$o
}

function Get-SimListeners {
    if (-not $global:SimState.wsman.ContainsKey('listeners') -or $null -eq $global:SimState.wsman.listeners) { $global:SimState.wsman.listeners = @() }
    return @($global:SimState.wsman.listeners)
}

function Add-SimListener {
    param([hashtable]$Listener)
    $global:SimState.wsman.listeners = @(Get-SimListeners) + @($Listener)
    Register-SimChange -Area 'wsman' -Target ('listener ' + $Listener.Transport + ' ' + $Listener.Address) -Detail ('(none) -> port ' + $Listener.Port + ', hostname ' + $Listener.Hostname + ', thumbprint ' + $Listener.CertificateThumbprint)
}

# ---------------------------------------------------------------- WSMan: drive

Register-SimProvider -Drive 'WSMan' -Handlers @{
    GetItem = {
        param($Path, $Bound)
        Assert-SimWinRMRunning
        $setting = ConvertTo-SimWSManSetting -Path $Path
        if ($setting -eq '') { return [pscustomobject]@{ Name = 'localhost'; Type = 'Container' } }
        $node = Get-SimWSManNode -Setting $setting
        if ($null -eq $node) { throw [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$Path' because it does not exist.") }
        $value = $node.Parent[$node.Name]
        $policy = Get-SimWSManPolicy -Setting $setting
        if ($null -ne $policy) { $value = $policy }
        New-SimWSManElement -Name $node.Name -Value $value -Setting $setting
    }
    TestPath = {
        param($Path, $Bound)
        if (-not (Test-SimWinRMRunning)) { return $false }
        try { $setting = ConvertTo-SimWSManSetting -Path $Path } catch { return $false }
        if ($setting -eq '') { return $true }
        if ($setting -match '^Listener\\(.+)$') { return @(Get-SimListeners | Where-Object { (Get-SimListenerName $_) -eq $Matches[1] }).Count -gt 0 }
        return $null -ne (Get-SimWSManNode -Setting $setting)
    }
    SetItem = {
        param($Path, $Bound)
        Assert-SimWinRMRunning
        $setting = ConvertTo-SimWSManSetting -Path $Path
        $node = Get-SimWSManNode -Setting $setting
        if ($null -eq $node -or $node.Parent[$node.Name] -is [System.Collections.IDictionary]) {
            throw [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$Path' because it does not exist.")
        }
        if ($null -ne (Get-SimWSManPolicy -Setting $setting)) {
            throw [System.InvalidOperationException]::new("The config setting $($node.Name) cannot be changed because is controlled by policies. The policy would need to be set to `"Not Configured`" in order to change the config setting.")
        }
        $new = [string]$Bound.Value
        if ($Bound.ContainsKey('Concatenate') -and $Bound.Concatenate) {
            $old = [string]$node.Parent[$node.Name]
            if ($old -ne '') { $new = $old + ',' + $new }
        }
        if ($new -eq 'True' -or $new -eq 'False') { $new = $new.ToLowerInvariant() }
        if ($setting -match 'Auth\\(Basic|Kerberos|Negotiate|Certificate|CredSSP|Digest)$|AllowUnencrypted$' -and $new -notin @('true', 'false')) {
            throw [System.InvalidOperationException]::new("WinRM cannot process the request: the value '$new' is not valid for $($node.Name); use true or false.")
        }
        if ($setting -match 'CbtHardeningLevel$' -and $new -notin @('None', 'Relaxed', 'Strict')) {
            throw [System.InvalidOperationException]::new("The value '$new' is not valid for CbtHardeningLevel.")
        }
        if ($Bound.ContainsKey('WhatIf') -and $Bound.WhatIf) { Write-Host -Object ("What if: Set-Item $Path to $new"); return }
        $old = [string]$node.Parent[$node.Name]
        if ($old -ne $new) {
            $node.Parent[$node.Name] = $new
            Register-SimChange -Area 'wsman' -Target $setting -Detail ("'" + $old + "' -> '" + $new + "'")
        }
    }
    GetChildItem = {
        param($Path, $Bound)
        Assert-SimWinRMRunning
        $setting = ConvertTo-SimWSManSetting -Path $Path
        if ($setting -eq 'Listener') {
            foreach ($l in Get-SimListeners) {
                [pscustomobject]@{ Name = (Get-SimListenerName $l); Type = 'Container'; Keys = @('Transport=' + $l.Transport, 'Address=' + $l.Address) }
            }
            return
        }
        $container = if ($setting -eq '') { $global:SimState.wsman } else { $n = Get-SimWSManNode -Setting $setting; if ($null -eq $n) { $null } else { $n.Parent[$n.Name] } }
        if ($null -eq $container -or -not ($container -is [System.Collections.IDictionary])) {
            throw [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$Path' because it does not exist.")
        }
        foreach ($k in $container.Keys) {
            if ($k -eq 'listeners') { continue }
            $s = if ($setting -eq '') { $k } else { $setting + '\' + $k }
            New-SimWSManElement -Name $k -Value $container[$k] -Setting $s
        }
    }
    NewItem = {
        param($Path, $Bound)
        Assert-SimWinRMRunning
        $setting = ConvertTo-SimWSManSetting -Path $Path
        if ($setting -ne 'Listener') { throw [System.Management.Automation.PSNotSupportedException]::new("New-Item on $Path is not modelled.") }
        foreach ($required in @('Transport', 'Address')) {
            if (-not $Bound.ContainsKey($required)) { throw [System.Management.Automation.PSArgumentException]::new("New-Item on WSMan:\localhost\Listener needs -$required.") }
        }
        $transport = ([string]$Bound.Transport).ToUpperInvariant()
        if ($transport -notin @('HTTP', 'HTTPS')) { throw [System.Management.Automation.PSArgumentException]::new("Transport must be HTTP or HTTPS, not $transport.") }
        if ($transport -eq 'HTTPS' -and -not $Bound.CertificateThumbprint) {
            throw [System.InvalidOperationException]::new('The WS-Management service cannot create the resource because the HTTPS listener requires a certificate thumbprint.')
        }
        if ($transport -eq 'HTTPS') {
            $cert = Find-SimCertificate -Store 'My' -Thumbprint ([string]$Bound.CertificateThumbprint)
            if ($null -eq $cert) { throw [System.InvalidOperationException]::new('The WS-Management service cannot find the certificate that was requested.') }
            if ($Bound.HostName -and -not (Test-SimCertificateName -Certificate $cert -Name ([string]$Bound.HostName))) {
                throw [System.InvalidOperationException]::new('The WinRM client cannot process the request. The certificate CN and the hostname that were provided do not match.')
            }
        }
        $address = [string]$Bound.Address
        # A Compatibility listener (ports 80/443, from the EnableCompatibilityHttp(s)Listener settings) does not take the keys.
        if (@(Get-SimListeners | Where-Object { $_.Transport -eq $transport -and $_.Address -eq $address -and $_.Source -ne 'Compatibility' }).Count -gt 0) {
            throw [System.InvalidOperationException]::new('The WS-Management service cannot create the resource because it already exists.')
        }
        $port = if ($Bound.ContainsKey('Port')) { [int]$Bound.Port } elseif ($transport -eq 'HTTPS') { 5986 } else { 5985 }
        if ($Bound.ContainsKey('WhatIf') -and $Bound.WhatIf) { Write-Host -Object ("What if: New-Item listener $transport $address"); return }
        $l = @{ Address = $address; Transport = $transport; Port = $port; Hostname = [string]$Bound.HostName; Enabled = 'true'
            URLPrefix = if ($Bound.URLPrefix) { [string]$Bound.URLPrefix } else { 'wsman' }; CertificateThumbprint = [string]$Bound.CertificateThumbprint }
        Add-SimListener -Listener $l
        [pscustomobject]@{ Name = (Get-SimListenerName $l); Type = 'Container' }
    }
    RemoveItem = {
        param($Path, $Bound)
        Assert-SimWinRMRunning
        $setting = ConvertTo-SimWSManSetting -Path $Path
        if ($setting -notmatch '^Listener\\(.+)$') { throw [System.Management.Automation.PSNotSupportedException]::new("Remove-Item on $Path is not modelled.") }
        $name = $Matches[1]
        $keep = @(Get-SimListeners | Where-Object { (Get-SimListenerName $_) -ne $name })
        if ($keep.Count -eq @(Get-SimListeners).Count) { throw [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$Path' because it does not exist.") }
        $global:SimState.wsman.listeners = $keep
        Register-SimChange -Area 'wsman' -Target ('listener ' + $name) -Detail 'present -> removed'
    }
}

# ---------------------------------------------------------------- WS-Management cmdlets

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.WSMan.Management/Get-WSManInstance.md
function Get-WSManInstance {
    [CmdletBinding(DefaultParameterSetName = 'GetInstance')]
    param(
        [Parameter(ParameterSetName = 'GetInstance', Mandatory = $true, Position = 0)]
        [Parameter(ParameterSetName = 'Enumerate', Mandatory = $true, Position = 0)]
        [Alias('RURI')][uri]$ResourceURI,
        [Parameter(ParameterSetName = 'GetInstance')][Parameter(ParameterSetName = 'Enumerate')][string]$ApplicationName,
        [Parameter(ParameterSetName = 'GetInstance')][Parameter(ParameterSetName = 'Enumerate')][Alias('CN')][string]$ComputerName,
        [Parameter(ParameterSetName = 'GetInstance')][Parameter(ParameterSetName = 'Enumerate')][Alias('CURI', 'CU')][uri]$ConnectionURI,
        [Parameter(ParameterSetName = 'GetInstance')][Parameter(ParameterSetName = 'Enumerate')][uri]$Dialect,
        [Parameter(ParameterSetName = 'Enumerate', Mandatory = $true)][switch]$Enumerate,
        [Parameter(ParameterSetName = 'Enumerate')][string]$Filter,
        [Parameter(ParameterSetName = 'GetInstance')][string]$Fragment,
        [Parameter(ParameterSetName = 'GetInstance')][Parameter(ParameterSetName = 'Enumerate')][Alias('OS')][hashtable]$OptionSet,
        [Parameter(ParameterSetName = 'GetInstance')][Parameter(ParameterSetName = 'Enumerate')][int]$Port,
        [Parameter(ParameterSetName = 'Enumerate')][switch]$Associations,
        [Parameter(ParameterSetName = 'Enumerate')][Alias('RT')][string]$ReturnType,
        [Parameter(ParameterSetName = 'GetInstance')][hashtable]$SelectorSet,
        [Parameter(ParameterSetName = 'GetInstance')][Parameter(ParameterSetName = 'Enumerate')][Alias('SO')][object]$SessionOption,
        [Parameter(ParameterSetName = 'Enumerate')][switch]$Shallow,
        [Parameter(ParameterSetName = 'Enumerate')][Alias('UBPO', 'Base')][switch]$BasePropertiesOnly,
        [Parameter(ParameterSetName = 'GetInstance')][Parameter(ParameterSetName = 'Enumerate')][Alias('SSL')][switch]$UseSSL,
        [Parameter(ParameterSetName = 'GetInstance')][Parameter(ParameterSetName = 'Enumerate')][pscredential]$Credential,
        [Parameter(ParameterSetName = 'GetInstance')][Parameter(ParameterSetName = 'Enumerate')][Alias('auth', 'am')][string]$Authentication,
        [Parameter(ParameterSetName = 'GetInstance')][Parameter(ParameterSetName = 'Enumerate')][string]$CertificateThumbprint
    )
    Assert-SimCommand -Name 'Get-WSManInstance' -Arguments $PSBoundParameters
    Assert-SimWinRMRunning
    $uri = ([string]$ResourceURI).TrimEnd('/')
    if ($uri -notmatch '(^|/)winrm/config/Listener$') {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new("The simulated host models only winrm/config/Listener, not $uri."), 'WsManError', 'NotImplemented', $uri))
    }
    $listeners = @(Get-SimListeners)
    if ($PSCmdlet.ParameterSetName -eq 'GetInstance') {
        if ($null -eq $SelectorSet) {
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new('The WS-Management service cannot process the request because the request contained invalid selectors for the resource.'), 'WsManError', 'InvalidArgument', $uri))
        }
        $listeners = @($listeners | Where-Object { $_.Address -eq $SelectorSet.Address -and $_.Transport -eq $SelectorSet.Transport })
        if ($listeners.Count -eq 0) {
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new('The WS-Management service cannot process the request. The service cannot find the resource identified by the resource URI and selectors.'), 'WsManError', 'ObjectNotFound', $uri))
        }
    }
    foreach ($l in $listeners) { ConvertTo-SimListenerObject -Listener $l }
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.WSMan.Management/Set-WSManInstance.md
function Set-WSManInstance {
    [CmdletBinding(DefaultParameterSetName = 'ComputerName')]
    param(
        [Parameter(ParameterSetName = 'ComputerName')][string]$ApplicationName,
        [Parameter(ParameterSetName = 'ComputerName')][Alias('CN')][string]$ComputerName,
        [Parameter(ParameterSetName = 'URI')][Alias('CURI', 'CU')][uri]$ConnectionURI,
        [uri]$Dialect,
        [Alias('Path')][string]$FilePath,
        [string]$Fragment,
        [Alias('OS')][hashtable]$OptionSet,
        [Parameter(ParameterSetName = 'ComputerName')][int]$Port,
        [Parameter(Mandatory = $true, Position = 0)][Alias('RURI')][uri]$ResourceURI,
        [Parameter(Position = 1, ValueFromPipeline = $true)][hashtable]$SelectorSet,
        [Alias('SO')][object]$SessionOption,
        [Parameter(ParameterSetName = 'ComputerName')][Alias('SSL')][switch]$UseSSL,
        [hashtable]$ValueSet,
        [pscredential]$Credential,
        [Alias('auth', 'am')][string]$Authentication,
        [string]$CertificateThumbprint
    )
    Assert-SimCommand -Name 'Set-WSManInstance' -Arguments $PSBoundParameters
    Assert-SimWinRMRunning
    $uri = ([string]$ResourceURI).TrimEnd('/')
    if ($uri -notmatch '(^|/)winrm/config/Listener$') {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new("The simulated host models only winrm/config/Listener, not $uri."), 'WsManError', 'NotImplemented', $uri))
    }
    $target = $null
    foreach ($l in Get-SimListeners) { if ($l.Address -eq $SelectorSet.Address -and $l.Transport -eq $SelectorSet.Transport -and $l.Source -ne 'Compatibility') { $target = $l } }
    if ($null -eq $target) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new('The WS-Management service cannot process the request. The service cannot find the resource identified by the resource URI and selectors.'), 'WsManError', 'ObjectNotFound', $uri))
    }
    if ($target.ContainsKey('Source') -and $target.Source -eq 'GPO') {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new('The WS-Management service cannot process the request because the listener is controlled by Group Policy.'), 'WsManError', 'PermissionDenied', $uri))
    }
    foreach ($k in $ValueSet.Keys) {
        if ($k -notin @('Port', 'Hostname', 'CertificateThumbprint', 'Enabled', 'URLPrefix')) {
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new("The WS-Management service cannot process the request: $k is not a listener property."), 'WsManError', 'InvalidArgument', $k))
        }
        if ($k -eq 'CertificateThumbprint' -and $null -eq (Find-SimCertificate -Store 'My' -Thumbprint ([string]$ValueSet[$k]))) {
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new('The WS-Management service cannot find the certificate that was requested.'), 'WsManError', 'ObjectNotFound', $k))
        }
    }
    foreach ($k in $ValueSet.Keys) {
        $old = [string]$target[$k]
        $new = [string]$ValueSet[$k]
        if ($k -eq 'Port') { $new = [string][int]$new }
        if ($old -ne $new) {
            $target[$k] = if ($k -eq 'Port') { [int]$new } else { $new }
            Register-SimChange -Area 'wsman' -Target ('listener ' + $target.Transport + ' ' + $target.Address + ' ' + $k) -Detail ("'" + $old + "' -> '" + $new + "'")
        }
    }
    ConvertTo-SimListenerObject -Listener $target
}

function Get-SimRemote {
    # What the network gives for a remote host name: the entry in $SimState.remote, or $null.
    param([string]$Name)
    if (-not $global:SimState.ContainsKey('remote') -or $null -eq $global:SimState.remote) { return $null }
    foreach ($k in $global:SimState.remote.Keys) { if ($k -eq $Name) { return $global:SimState.remote[$k] } }
    return $null
}

function Get-SimConnectFailure {
    # The error WinRM's client gives for a connection, or $null when it succeeds. $Target is the
    # remote entry; $Endpoint the listener or virtual directory key ('HTTPS:5986', 'https:443/PowerShell').
    param($Target, [string]$HostName, [string]$Endpoint, [string]$Authentication, [bool]$UseSsl, [bool]$SkipCACheck)
    if ($null -eq $Target) {
        return "Connecting to remote server $HostName failed with the following error message : The WinRM client cannot process the request because the server name cannot be resolved."
    }
    $ep = $null
    if ($Target.ContainsKey('endpoints')) { foreach ($k in $Target.endpoints.Keys) { if ($k -eq $Endpoint) { $ep = $Target.endpoints[$k] } } }
    if ($null -eq $ep) {
        return "Connecting to remote server $HostName failed with the following error message : WinRM cannot complete the operation. Verify that the specified computer name is valid, that the computer is accessible over the network, and that a firewall exception for the WinRM service is enabled and allows access from this computer. The connection was refused or timed out ($Endpoint)."
    }
    if ($UseSsl -and -not $SkipCACheck -and $ep.ContainsKey('trusted') -and -not $ep.trusted) {
        # The client trusts the certificate when its thumbprint is in this host's Root store.
        $inRoot = $ep.ContainsKey('thumbprint') -and $null -ne (Find-SimCertificate -Store 'Root' -Thumbprint ([string]$ep.thumbprint))
        if (-not $inRoot) {
            return "Connecting to remote server $HostName failed with the following error message : The server certificate on the destination computer ($HostName) has the following errors: The SSL certificate is signed by an unknown certificate authority."
        }
    }
    if ($Authentication -and $Authentication -ne 'Default') {
        $offered = @($ep.auth)
        $want = $Authentication
        if ($want -eq 'Negotiate' -and ($offered -contains 'Kerberos')) { $want = 'Kerberos' }
        if (-not ($offered -contains $Authentication -or $offered -contains $want)) {
            return "Connecting to remote server $HostName failed with the following error message : Access is denied. The WinRM client cannot process the request: the authentication mechanism requested by the client ($Authentication) is not supported by the server."
        }
        if ($Authentication -eq 'Basic' -and -not $UseSsl -and -not ($ep.ContainsKey('allowUnencrypted') -and $ep.allowUnencrypted)) {
            return "Connecting to remote server $HostName failed with the following error message : The WinRM client cannot process the request. Unencrypted traffic is currently disabled in the client configuration."
        }
    }
    if ($ep.ContainsKey('denied') -and $ep.denied) {
        return "Connecting to remote server $HostName failed with the following error message : Access is denied."
    }
    if ($ep.ContainsKey('error') -and $ep.error) { return "Connecting to remote server $HostName failed with the following error message : " + $ep.error }
    return $null
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.WSMan.Management/Test-WSMan.md
function Test-WSMan {
    [CmdletBinding(DefaultParameterSetName = 'ComputerName')]
    param(
        [Parameter(Position = 0, ValueFromPipeline = $true)][Alias('CN')][string]$ComputerName,
        [Parameter(ParameterSetName = 'ComputerName')][Alias('auth', 'am')][string]$Authentication = 'None',
        [Parameter(ParameterSetName = 'ComputerName')][int]$Port,
        [Parameter(ParameterSetName = 'ComputerName')][switch]$UseSSL,
        [Parameter(ParameterSetName = 'ComputerName')][string]$ApplicationName,
        [Parameter(ParameterSetName = 'ComputerName')][pscredential]$Credential,
        [Parameter(ParameterSetName = 'ComputerName')][string]$CertificateThumbprint
    )
    Assert-SimCommand -Name 'Test-WSMan' -Arguments $PSBoundParameters
    $name = if ($ComputerName) { $ComputerName } else { 'localhost' }
    $local = @('localhost', '127.0.0.1', '::1', [string]$global:SimState.host.computerName, [string]$global:SimState.host.fqdn) + @(Get-SimOwnNames)
    $port = if ($PSBoundParameters.ContainsKey('Port')) { $Port } elseif ($UseSSL) { 5986 } else { 5985 }
    $transport = if ($UseSSL) { 'HTTPS' } else { 'HTTP' }
    $failure = $null
    if ($local -contains $name) {
        if (-not (Test-SimWinRMRunning)) { $failure = 'The client cannot connect to the destination specified in the request. Verify that the service on the destination is running and is accepting requests.' }
        elseif (@(Get-SimListeners | Where-Object { $_.Transport -eq $transport -and [int]$_.Port -eq $port -and ([string]$_.Enabled) -eq 'true' }).Count -eq 0) {
            $failure = "WinRM cannot complete the operation. Verify that the specified computer name is valid, that the computer is accessible over the network: no $transport listener on port $port."
        }
        elseif ($UseSSL) {
            $l = @(Get-SimListeners | Where-Object { $_.Transport -eq 'HTTPS' -and [int]$_.Port -eq $port })[0]
            $cert = Find-SimCertificate -Store 'My' -Thumbprint ([string]$l.CertificateThumbprint)
            if ($null -eq $cert) { $failure = 'The server certificate on the destination computer has the following errors: the certificate is not installed.' }
            elseif (-not (Test-SimCertificateName -Certificate $cert -Name $name)) { $failure = "The server certificate on the destination computer ($name) has the following errors: The SSL certificate contains a common name (CN) that does not match the hostname." }
            elseif ($cert.issuer -eq $cert.subject -and $null -eq (Find-SimCertificate -Store 'Root' -Thumbprint ([string]$cert.thumbprint))) {
                $failure = "The server certificate on the destination computer ($name) has the following errors: The SSL certificate is signed by an unknown certificate authority."
            }
        }
    }
    else {
        $failure = Get-SimConnectFailure -Target (Get-SimRemote -Name $name) -HostName $name -Endpoint ($transport + ':' + $port) -Authentication $(if ($Authentication -eq 'None') { '' } else { $Authentication }) -UseSsl $UseSSL.IsPresent -SkipCACheck $false
    }
    if ($null -ne $failure) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new($failure), 'WsManError', 'InvalidOperation', $name))
    }
    [pscustomobject]@{ wsmid = 'http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd'; ProtocolVersion = 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd'; ProductVendor = 'Microsoft Corporation'; ProductVersion = 'OS: 0.0.0 SP: 0.0 Stack: 3.0' }
}

# ---------------------------------------------------------------- services

function New-SimServiceObject {
    param([string]$Name, $Service)
    [pscustomobject]@{ Name = $Name; ServiceName = $Name; DisplayName = [string]$Service.displayName; Status = [string]$Service.status; StartType = [string]$Service.startMode }
}

function Get-SimServiceOrFail {
    param($Cmdlet, [string]$Name)
    $s = Get-SimService -Name $Name
    if ($null -eq $s) {
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([Microsoft.PowerShell.Commands.ServiceCommandException]::new("Cannot find any service with service name '$Name'."), 'NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand', 'ObjectNotFound', $Name))
    }
    return $s
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/Get-Service.md
function Get-Service {
    [CmdletBinding(DefaultParameterSetName = 'Default')]
    param(
        [Parameter(ParameterSetName = 'Default', Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][Alias('ServiceName')][string[]]$Name,
        [Alias('Cn')][string[]]$ComputerName,
        [Alias('DS')][switch]$DependentServices,
        [Alias('SDO', 'ServicesDependedOn')][switch]$RequiredServices,
        [Parameter(ParameterSetName = 'DisplayName', Mandatory = $true)][string[]]$DisplayName,
        [string[]]$Include,
        [string[]]$Exclude,
        [Parameter(ParameterSetName = 'InputObject', ValueFromPipeline = $true)][object[]]$InputObject
    )
    Assert-SimCommand -Name 'Get-Service' -Arguments $PSBoundParameters
    foreach ($n in @($Name)) {
        $s = Get-SimService -Name $n
        if ($null -eq $s) {
            $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new("Cannot find any service with service name '$n'."), 'NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand', 'ObjectNotFound', $n))
            continue
        }
        New-SimServiceObject -Name $n -Service $s
    }
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/Set-Service.md
function Set-Service {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('ServiceName', 'SN')][string]$Name,
        [Parameter(ParameterSetName = 'InputObject', ValueFromPipeline = $true)][object]$InputObject,
        [Alias('cn')][string[]]$ComputerName,
        [string]$DisplayName,
        [string]$Description,
        [Alias('StartMode', 'SM', 'ST')][ValidateSet('Automatic', 'Manual', 'Disabled')][string]$StartupType,
        [ValidateSet('Running', 'Stopped', 'Paused')][string]$Status,
        [switch]$PassThru
    )
    Assert-SimCommand -Name 'Set-Service' -Arguments $PSBoundParameters
    $s = Get-SimServiceOrFail -Cmdlet $PSCmdlet -Name $Name
    if ($StartupType) {
        $mode = @{ Automatic = 'Auto'; Manual = 'Manual'; Disabled = 'Disabled' }[$StartupType]
        if ($s.startMode -ne $mode -and $PSCmdlet.ShouldProcess($Name, 'Set-Service')) {
            Register-SimChange -Area 'services' -Target ($Name + ' startMode') -Detail ($s.startMode + ' -> ' + $mode)
            $s.startMode = $mode
        }
    }
    if ($Status -and $s.status -ne $Status -and $PSCmdlet.ShouldProcess($Name, 'Set-Service')) {
        Register-SimChange -Area 'services' -Target ($Name + ' status') -Detail ($s.status + ' -> ' + $Status)
        $s.status = $Status
    }
    if ($PassThru) { New-SimServiceObject -Name $Name -Service $s }
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/Start-Service.md
function Start-Service {
    [CmdletBinding(DefaultParameterSetName = 'InputObject', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'InputObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object[]]$InputObject,
        [Parameter(ParameterSetName = 'Default', Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][Alias('ServiceName')][string[]]$Name,
        [Parameter(ParameterSetName = 'DisplayName', Mandatory = $true)][string[]]$DisplayName,
        [switch]$PassThru,
        [string[]]$Include,
        [string[]]$Exclude
    )
    Assert-SimCommand -Name 'Start-Service' -Arguments $PSBoundParameters
    $names = if ($PSCmdlet.ParameterSetName -eq 'Default') { $Name } else { @($InputObject | ForEach-Object { $_.Name }) }
    foreach ($n in $names) {
        $s = Get-SimServiceOrFail -Cmdlet $PSCmdlet -Name $n
        if ($s.startMode -eq 'Disabled') {
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new("Service '$n' cannot be started due to the following error: Cannot start service $n on computer '.'. The service is disabled."), 'CouldNotStartService,Microsoft.PowerShell.Commands.StartServiceCommand', 'OpenError', $n))
        }
        if ($s.status -ne 'Running' -and $PSCmdlet.ShouldProcess($n, 'Start-Service')) {
            Register-SimChange -Area 'services' -Target ($n + ' status') -Detail ($s.status + ' -> Running')
            $s.status = 'Running'
        }
        if ($PassThru) { New-SimServiceObject -Name $n -Service $s }
    }
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/Restart-Service.md
function Restart-Service {
    [CmdletBinding(DefaultParameterSetName = 'InputObject', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'InputObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object[]]$InputObject,
        [Parameter(ParameterSetName = 'Default', Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][Alias('ServiceName')][string[]]$Name,
        [Parameter(ParameterSetName = 'DisplayName', Mandatory = $true)][string[]]$DisplayName,
        [switch]$Force,
        [switch]$PassThru,
        [string[]]$Include,
        [string[]]$Exclude
    )
    Assert-SimCommand -Name 'Restart-Service' -Arguments $PSBoundParameters
    $names = if ($PSCmdlet.ParameterSetName -eq 'Default') { $Name } else { @($InputObject | ForEach-Object { $_.Name }) }
    foreach ($n in $names) {
        $s = Get-SimServiceOrFail -Cmdlet $PSCmdlet -Name $n
        if ($PSCmdlet.ShouldProcess($n, 'Restart-Service')) {
            Register-SimChange -Area 'services' -Target ($n + ' restart') -Detail ($s.status + ' -> Running')
            $s.status = 'Running'
        }
    }
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/CimCmdlets/Get-CimInstance.md
function Get-CimInstance {
    [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet')]
    param(
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Mandatory = $true, Position = 0)][Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory = $true, Position = 0)][string]$ClassName,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][string]$Filter,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][string]$Namespace,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Alias('CN', 'ServerName')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory = $true)][object[]]$CimSession,
        [Alias('SelectProperties')][string[]]$Property,
        [Alias('OT')][uint32]$OperationTimeoutSec,
        [switch]$Shallow,
        [switch]$KeyOnly,
        [Parameter(ParameterSetName = 'QueryComputerSet', Mandatory = $true)][string]$Query,
        [Parameter(ParameterSetName = 'QueryComputerSet')][string]$QueryDialect
    )
    Assert-SimCommand -Name 'Get-CimInstance' -Arguments $PSBoundParameters
    Get-SimWin32Instance -Cmdlet $PSCmdlet -ClassName $ClassName -Filter $Filter
}

function Get-SimWin32Instance {
    # The WMI classes the scripts read, as Get-CimInstance and Get-WmiObject return them.
    param($Cmdlet, [string]$ClassName, [string]$Filter)
    if ($ClassName -eq 'Win32_OperatingSystem') {
        # The release's version (profiles/<os>.json): 6.1.7601 for 2008 R2 ... 10.0.26100 for 2025.
        return [pscustomobject]@{ Caption = 'Microsoft ' + [string]$global:SimProfile.release; Version = [string]$global:SimProfile.version; CSName = [string]$global:SimState.host.computerName; OSArchitecture = '64-bit' }
    }
    if (($ClassName -ne 'Win32_Service') -and ($ClassName -ne 'Win32_Process')) {
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new("The simulated host models only Win32_Service, Win32_Process and Win32_OperatingSystem, not $ClassName."), 'HRESULT 0x80041010', 'MetadataError', $ClassName))
    }
    $wanted = $null
    if ($Filter) {
        if ($Filter -notmatch "^Name\s*=\s*'([^']+)'$") { $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new("Invalid query: $Filter"), 'HRESULT 0x80041017', 'InvalidArgument', $Filter)) }
        $wanted = $Matches[1]
    }
    if ($ClassName -eq 'Win32_Process') {
        # state processes; CreationDate as each cmdlet returns it: a DateTime from Get-CimInstance, a
        # DMTF string (yyyyMMddHHmmss.ffffff+UUU, UTC here) from Get-WmiObject.
        $wmi = $Cmdlet.MyInvocation.MyCommand.Name -eq 'Get-WmiObject'
        foreach ($p in @(Get-SimValue -Table $global:SimState -Key 'processes')) {
            if ($null -eq $p) { continue }
            if (($null -ne $wanted) -and ([string]$p.Name -ine $wanted)) { continue }
            $created = ConvertTo-SimDate -Text ([string]$p.CreationDate)
            $creation = if ($wmi) { $created.ToString('yyyyMMddHHmmss.ffffff', [System.Globalization.CultureInfo]::InvariantCulture) + '+000' } else { $created.ToLocalTime() }
            [pscustomobject]@{ Name = [string]$p.Name; ProcessId = [uint32]$p.ProcessId; CommandLine = [string]$p.CommandLine; CreationDate = $creation }
        }
        return
    }
    foreach ($k in $global:SimState.services.Keys) {
        if ($null -ne $wanted -and $k -ne $wanted) { continue }
        $s = $global:SimState.services[$k]
        [pscustomobject]@{ Name = $k; DisplayName = [string]$s.displayName; State = [string]$s.status; StartMode = [string]$s.startMode; Started = ($s.status -eq 'Running') }
    }
}

# ---------------------------------------------------------------- session configurations and remoting

$global:SimWellKnownSddl = @{ 'S-1-5-2' = 'NU'; 'S-1-5-32-544' = 'BA'; 'S-1-5-32-580' = 'RM'; 'S-1-5-4' = 'IU'; 'S-1-5-18' = 'SY'; 'S-1-5-11' = 'AU' }

function ConvertTo-SimSddl {
    param($Permissions)
    $aces = foreach ($p in @($Permissions)) {
        $sid = [string]$p.sid
        $abbrev = if ($global:SimWellKnownSddl.ContainsKey($sid)) { $global:SimWellKnownSddl[$sid] } else { $sid }
        $type = if ($p.access -eq 'AccessDenied') { 'D' } else { 'A' }
        '(' + $type + ';;GA;;;' + $abbrev + ')'
    }
    return 'O:NSG:BAD:P' + ($aces -join '') + 'S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)'
}

function ConvertFrom-SimSddl {
    param([string]$Sddl)
    $reverse = @{}; foreach ($k in $global:SimWellKnownSddl.Keys) { $reverse[$global:SimWellKnownSddl[$k]] = $k }
    $dacl = ($Sddl -split 'S:')[0]
    foreach ($m in [regex]::Matches($dacl, '\((A|D);[^;]*;[^;]*;[^;]*;[^;]*;([^)]+)\)')) {
        $sidText = $m.Groups[2].Value
        $sid = if ($reverse.ContainsKey($sidText)) { $reverse[$sidText] } else { $sidText }
        @{ sid = $sid; account = (Resolve-SimSidName -Sid $sid); access = $(if ($m.Groups[1].Value -eq 'D') { 'AccessDenied' } else { 'AccessAllowed' }) }
    }
}

function New-SimSessionConfigurationObject {
    param([string]$Name, $Configuration)
    $perms = @($Configuration.permissions)
    [pscustomobject]@{
        Name = $Name
        PSVersion = [string]$global:SimState.host.psVersion
        Enabled = [bool]$Configuration.enabled
        Permission = ((@($perms | ForEach-Object { [string]$_.account + ' ' + [string]$_.access })) -join ', ')
        SecurityDescriptorSddl = (ConvertTo-SimSddl -Permissions $perms)
        lang = 'en-US'
        Architecture = '64'
    }
}

function Get-SimSessionConfigurations {
    if (-not $global:SimState.ContainsKey('sessionConfigurations') -or $null -eq $global:SimState.sessionConfigurations) { $global:SimState.sessionConfigurations = @{} }
    return $global:SimState.sessionConfigurations
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Core/Get-PSSessionConfiguration.md
function Get-PSSessionConfiguration {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, Mandatory = $false)][string[]]$Name,
        [switch]$Force
    )
    Assert-SimCommand -Name 'Get-PSSessionConfiguration' -Arguments $PSBoundParameters
    Assert-SimWinRMRunning
    $configs = Get-SimSessionConfigurations
    $names = if ($Name) { $Name } else { @($configs.Keys) }
    foreach ($n in $names) {
        $found = $null
        foreach ($k in $configs.Keys) { if ($k -like $n) { $found = $k; New-SimSessionConfigurationObject -Name $k -Configuration $configs[$k] } }
        if ($null -eq $found) {
            $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([System.ArgumentException]::new("No session configuration matches criteria `"$n`"."), 'Microsoft.PowerShell.Commands.WriteErrorException', 'ObjectNotFound', $n))
        }
    }
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Core/Set-PSSessionConfiguration.md
function Set-PSSessionConfiguration {
    [CmdletBinding(DefaultParameterSetName = 'NameParameterSet', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string]$Name,
        [Parameter(ParameterSetName = 'AssemblyNameParameterSet', Mandatory = $true, Position = 1)][string]$AssemblyName,
        [Parameter(ParameterSetName = 'AssemblyNameParameterSet')][string]$ApplicationBase,
        [Parameter(ParameterSetName = 'AssemblyNameParameterSet', Mandatory = $true, Position = 2)][string]$ConfigurationTypeName,
        [string]$RunAsCredentialString,
        [System.Threading.ApartmentState]$ThreadApartmentState,
        [System.Management.Automation.Runspaces.PSThreadOptions]$ThreadOptions,
        [System.Management.Automation.Runspaces.PSSessionConfigurationAccessMode]$AccessMode,
        [switch]$UseSharedProcess,
        [string]$StartupScript,
        [AllowNull()][System.Nullable[double]]$MaximumReceivedDataSizePerCommandMB,
        [AllowNull()][System.Nullable[double]]$MaximumReceivedObjectSizeMB,
        [string]$SecurityDescriptorSddl,
        [switch]$ShowSecurityDescriptorUI,
        [switch]$Force,
        [switch]$NoServiceRestart,
        [version]$PSVersion,
        [object]$SessionTypeOption,
        [object]$TransportOption,
        [object]$ModulesToImport,
        [Parameter(ParameterSetName = 'SessionConfigurationFile', Mandatory = $true)][string]$Path
    )
    Assert-SimCommand -Name 'Set-PSSessionConfiguration' -Arguments $PSBoundParameters
    Assert-SimWinRMRunning
    $configs = Get-SimSessionConfigurations
    $c = $null; foreach ($k in $configs.Keys) { if ($k -eq $Name) { $c = $configs[$k] } }
    if ($null -eq $c) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.ArgumentException]::new("No session configuration matches criteria `"$Name`"."), 'Microsoft.PowerShell.Commands.WriteErrorException', 'ObjectNotFound', $Name))
    }
    if (-not $PSCmdlet.ShouldProcess($Name, 'Set-PSSessionConfiguration')) { return }
    if ($SecurityDescriptorSddl) {
        $old = ConvertTo-SimSddl -Permissions $c.permissions
        $c.permissions = @(ConvertFrom-SimSddl -Sddl $SecurityDescriptorSddl)
        $new = ConvertTo-SimSddl -Permissions $c.permissions
        if ($old -ne $new) { Register-SimChange -Area 'sessionConfigurations' -Target ($Name + ' SDDL') -Detail ($old + ' -> ' + $new) }
    }
    if ($PSBoundParameters.ContainsKey('AccessMode')) {
        $enable = [string]$AccessMode -ne 'Disabled'
        $network = [string]$AccessMode -eq 'Remote'
        Set-SimSessionAccess -Name $Name -Configuration $c -Enabled $enable -Network $network
    }
}

function Set-SimSessionAccess {
    param([string]$Name, $Configuration, [bool]$Enabled, [bool]$Network)
    if ([bool]$Configuration.enabled -ne $Enabled) {
        Register-SimChange -Area 'sessionConfigurations' -Target ($Name + ' Enabled') -Detail ([string][bool]$Configuration.enabled + ' -> ' + $Enabled)
        $Configuration.enabled = $Enabled
    }
    $perms = @($Configuration.permissions)
    $hasDeny = @($perms | Where-Object { $_.sid -eq 'S-1-5-2' -and $_.access -eq 'AccessDenied' }).Count -gt 0
    if ($Network -and $hasDeny) {
        $Configuration.permissions = @($perms | Where-Object { -not ($_.sid -eq 'S-1-5-2' -and $_.access -eq 'AccessDenied') })
        Register-SimChange -Area 'sessionConfigurations' -Target ($Name + ' NETWORK deny') -Detail 'present -> removed'
    }
    elseif (-not $Network -and -not $hasDeny) {
        $Configuration.permissions = @(@{ sid = 'S-1-5-2'; account = 'NT AUTHORITY\NETWORK'; access = 'AccessDenied' }) + $perms
        Register-SimChange -Area 'sessionConfigurations' -Target ($Name + ' NETWORK deny') -Detail 'absent -> added'
    }
}

function Get-SimDefaultSessionConfigurations {
    $perms = @(
        @{ sid = 'S-1-5-4'; account = 'NT AUTHORITY\INTERACTIVE'; access = 'AccessAllowed' }
        @{ sid = 'S-1-5-32-544'; account = 'BUILTIN\Administrators'; access = 'AccessAllowed' }
    )
    if (Test-SimLocalGroup -Sid 'S-1-5-32-580') { $perms += @{ sid = 'S-1-5-32-580'; account = 'BUILTIN\Remote Management Users'; access = 'AccessAllowed' } }
    $names = @('microsoft.powershell', 'microsoft.powershell.workflow', 'microsoft.powershell32')
    if ([string]$global:SimState.host.os -eq 'windows-server-2008-r2') { $names = @('microsoft.powershell', 'microsoft.powershell32') }
    $result = [ordered]@{}
    foreach ($n in $names) { $result[$n] = @{ enabled = $true; permissions = @($perms | ForEach-Object { @{} + $_ }) } }
    return $result
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Core/Enable-PSRemoting.md
function Enable-PSRemoting {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [switch]$Force,
        [switch]$SkipNetworkProfileCheck
    )
    Assert-SimCommand -Name 'Enable-PSRemoting' -Arguments $PSBoundParameters
    if (-not $PSCmdlet.ShouldProcess($env:COMPUTERNAME, 'Enable-PSRemoting')) { return }
    if (-not $Force -and -not $PSCmdlet.ShouldContinue('Enable PowerShell remoting?', 'Enable-PSRemoting')) { return }
    # Set-WSManQuickConfig: service automatic and running, an HTTP listener on all addresses,
    # the firewall exception; then every session configuration enabled for remote access.
    $s = Get-SimService -Name 'WinRM'
    if ($s.startMode -ne 'Auto') { Register-SimChange -Area 'services' -Target 'WinRM startMode' -Detail ($s.startMode + ' -> Auto'); $s.startMode = 'Auto' }
    if ($s.status -ne 'Running') { Register-SimChange -Area 'services' -Target 'WinRM status' -Detail ($s.status + ' -> Running'); $s.status = 'Running' }
    if (@(Get-SimListeners | Where-Object { $_.Transport -eq 'HTTP' -and $_.Address -eq '*' -and $_.Source -ne 'Compatibility' }).Count -eq 0) {
        Add-SimListener -Listener @{ Address = '*'; Transport = 'HTTP'; Port = 5985; Hostname = ''; Enabled = 'true'; URLPrefix = 'wsman'; CertificateThumbprint = '' }
    }
    Enable-SimBuiltInWinRMRules -SkipNetworkProfileCheck $SkipNetworkProfileCheck.IsPresent
    $configs = Get-SimSessionConfigurations
    if ($configs.Count -eq 0) {
        $defaults = Get-SimDefaultSessionConfigurations
        foreach ($k in $defaults.Keys) { $configs[$k] = $defaults[$k]; Register-SimChange -Area 'sessionConfigurations' -Target $k -Detail '(none) -> registered' }
    }
    foreach ($k in @($configs.Keys)) { Set-SimSessionAccess -Name $k -Configuration $configs[$k] -Enabled $true -Network $true }
    if ($null -ne (Get-Command -Name 'Set-SimLocalAccountTokenFilterPolicy' -ErrorAction SilentlyContinue)) { Set-SimLocalAccountTokenFilterPolicy }
    Register-SimChange -Area 'services' -Target 'WinRM restart' -Detail 'Running -> Running (restarted)'
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Core/Disable-PSRemoting.md
function Disable-PSRemoting {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param([switch]$Force)
    Assert-SimCommand -Name 'Disable-PSRemoting' -Arguments $PSBoundParameters
    if (-not $PSCmdlet.ShouldProcess($env:COMPUTERNAME, 'Disable-PSRemoting')) { return }
    # Adds a deny for NETWORK to every session configuration; Enabled stays true, and the
    # listeners, firewall rules and service are left as they are (Microsoft's reference page).
    $configs = Get-SimSessionConfigurations
    foreach ($k in @($configs.Keys)) { Set-SimSessionAccess -Name $k -Configuration $configs[$k] -Enabled $true -Network $false }
}

# ---------------------------------------------------------------- execution policy

$global:SimPolicyScopes = @('MachinePolicy', 'UserPolicy', 'Process', 'CurrentUser', 'LocalMachine')

function Get-SimExecutionPolicyScope {
    param([string]$Scope)
    if (-not $global:SimState.ContainsKey('executionPolicy') -or $null -eq $global:SimState.executionPolicy) { $global:SimState.executionPolicy = @{} }
    $v = $global:SimState.executionPolicy[$Scope]
    if ($null -eq $v -or $v -eq '') { return 'Undefined' }
    return [string]$v
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Security/Get-ExecutionPolicy.md
function Get-ExecutionPolicy {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][Microsoft.PowerShell.ExecutionPolicyScope]$Scope,
        [switch]$List
    )
    Assert-SimCommand -Name 'Get-ExecutionPolicy' -Arguments $PSBoundParameters
    if ($List) {
        foreach ($s in $global:SimPolicyScopes) { [pscustomobject]@{ Scope = $s; ExecutionPolicy = [Microsoft.PowerShell.ExecutionPolicy](Get-SimExecutionPolicyScope -Scope $s) } }
        return
    }
    if ($PSBoundParameters.ContainsKey('Scope')) { return [Microsoft.PowerShell.ExecutionPolicy](Get-SimExecutionPolicyScope -Scope ([string]$Scope)) }
    foreach ($s in $global:SimPolicyScopes) {
        $v = Get-SimExecutionPolicyScope -Scope $s
        if ($v -ne 'Undefined') { return [Microsoft.PowerShell.ExecutionPolicy]$v }
    }
    return [Microsoft.PowerShell.ExecutionPolicy]'RemoteSigned'
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Security/Set-ExecutionPolicy.md
function Set-ExecutionPolicy {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Microsoft.PowerShell.ExecutionPolicy]$ExecutionPolicy,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)][Microsoft.PowerShell.ExecutionPolicyScope]$Scope = 'LocalMachine',
        [switch]$Force
    )
    Assert-SimCommand -Name 'Set-ExecutionPolicy' -Arguments $PSBoundParameters
    $scopeName = [string]$Scope
    if ($scopeName -in @('MachinePolicy', 'UserPolicy')) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.ArgumentException]::new("Cannot set execution policy for the $scopeName scope: it is set by Group Policy."), 'CantSetGroupPolicy,Microsoft.PowerShell.Commands.SetExecutionPolicyCommand', 'InvalidOperation', $scopeName))
    }
    if (-not [bool]$global:SimState.host.is64BitProcess -and $scopeName -eq 'LocalMachine') {
        # 32-bit PowerShell on 64-bit Windows writes the WOW6432Node key, which 64-bit PowerShell does not read.
        $scopeName = 'LocalMachine32'
    }
    if (-not $PSCmdlet.ShouldProcess($scopeName, 'Set-ExecutionPolicy ' + $ExecutionPolicy)) { return }
    $old = Get-SimExecutionPolicyScope -Scope $scopeName
    if ($old -ne [string]$ExecutionPolicy) {
        $global:SimState.executionPolicy[$scopeName] = [string]$ExecutionPolicy
        Register-SimChange -Area 'executionPolicy' -Target $scopeName -Detail ($old + ' -> ' + $ExecutionPolicy)
    }
    foreach ($s in @('MachinePolicy', 'UserPolicy', 'Process', 'CurrentUser')) {
        if ($s -eq $scopeName) { break }
        $v = Get-SimExecutionPolicyScope -Scope $s
        if ($v -ne 'Undefined' -and $v -ne [string]$ExecutionPolicy) {
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.Security.SecurityException]::new("Windows PowerShell updated your execution policy successfully, but the setting is overridden by a policy defined at a more specific scope ($s = $v)."), 'ExecutionPolicyOverride,Microsoft.PowerShell.Commands.SetExecutionPolicyCommand', 'PermissionDenied', $s))
        }
    }
}

# ---------------------------------------------------------------- modules

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Core/Import-Module.md
# Windows modules (WebAdministration, ActiveDirectory, SecretManagement, ...) are already present as
# stubs: importing one the host has (OS profile `modules`, or host.modules) succeeds and changes nothing;
# one it lacks fails as on Windows. Any other module is imported for real.
$simImportMetadata = [System.Management.Automation.CommandMetadata]::new((Microsoft.PowerShell.Core\Get-Command -Name 'Microsoft.PowerShell.Core\Import-Module' -CommandType Cmdlet))
$simImportBody = @"
$([System.Management.Automation.ProxyCommand]::GetCmdletBindingAttribute($simImportMetadata))
param($([System.Management.Automation.ProxyCommand]::GetParamBlock($simImportMetadata)))
`$bound = @{} + `$PSBoundParameters
if (`$bound.ContainsKey('Name')) {
    `$simulated = @(Get-SimWindowsModules)
    `$installed = @(`$global:SimProfile.modules) + @(`$global:SimState.host.modules)
    `$rest = @()
    foreach (`$n in @(`$bound.Name)) {
        if (`$simulated -contains [string]`$n) {
            Assert-SimCommand -Name 'Import-Module' -Arguments $PSBoundParameters
            if (-not (`$installed -contains [string]`$n)) {
                `$ex = [System.IO.FileNotFoundException]::new("The specified module '`$n' was not loaded because no valid module file was found in any module directory.")
                `$PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(`$ex, 'Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand', 'ResourceUnavailable', `$n))
            }
        }
        else { `$rest += `$n }
    }
    if (`$rest.Count -eq 0) { return }
    `$bound.Name = [string[]]`$rest
}
Microsoft.PowerShell.Core\Import-Module @bound
"@
Set-Item -Path 'function:global:Import-Module' -Value ([scriptblock]::Create($simImportBody))
Remove-Variable -Name simImportMetadata, simImportBody

function Get-SimWindowsModules {
    return @('WebAdministration', 'IISAdministration', 'ActiveDirectory', 'ServerManager', 'NetSecurity', 'Microsoft.PowerShell.LocalAccounts',
        'Microsoft.PowerShell.SecretManagement', 'DnsClient', 'PKI', 'NetTCPIP', 'GroupPolicy')
}

# ---------------------------------------------------------------- client side of remote sessions

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Core/New-PSSessionOption.md
function New-PSSessionOption {
    [CmdletBinding()]
    param(
        [int]$MaximumRedirection, [switch]$NoCompression, [switch]$NoMachineProfile, [System.Globalization.CultureInfo]$Culture,
        [System.Globalization.CultureInfo]$UICulture, [int]$MaximumReceivedDataSizePerCommand, [int]$MaximumReceivedObjectSize,
        [System.Management.Automation.PSPrimitiveDictionary]$ApplicationArguments, [Alias('OpenTimeoutMSec')][int]$OpenTimeout,
        [Alias('CancelTimeoutMSec')][int]$CancelTimeout, [int]$IdleTimeout, [object]$ProxyAccessType,
        [object]$ProxyAuthentication, [pscredential]$ProxyCredential, [switch]$SkipCACheck, [switch]$SkipCNCheck,
        [switch]$SkipRevocationCheck, [Alias('OperationTimeoutMSec')][int]$OperationTimeout, [switch]$NoEncryption, [switch]$UseUTF16,
        [switch]$IncludePortInSPN, [int]$MaxConnectionRetryCount, [int]$OutputBufferingMode
    )
    Assert-SimCommand -Name 'New-PSSessionOption' -Arguments $PSBoundParameters
    [pscustomobject]@{ PSTypeName = 'SimPSSessionOption'; SkipCACheck = $SkipCACheck.IsPresent; SkipCNCheck = $SkipCNCheck.IsPresent; SkipRevocationCheck = $SkipRevocationCheck.IsPresent; IncludePortInSPN = $IncludePortInSPN.IsPresent }
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Security/Get-Credential.md
function Get-Credential {
    [CmdletBinding(DefaultParameterSetName = 'CredentialSet')]
    param(
        # [Credential()] turns a user name into a prompt for its password: the simulated operator answers it.
        [Parameter(ParameterSetName = 'CredentialSet', Position = 0)][object]$Credential,
        [Parameter(ParameterSetName = 'MessageSet')][string]$Message,
        [Parameter(ParameterSetName = 'MessageSet', Position = 0)][string]$UserName,
        [Parameter(ParameterSetName = 'MessageSet')][string]$Title
    )
    Assert-SimCommand -Name 'Get-Credential' -Arguments $PSBoundParameters
    # The operator types the password at the prompt; the simulated operator always answers.
    if ($Credential -is [pscredential]) { return $Credential }
    if ($null -ne $Credential) { $UserName = [string]$Credential }
    return [pscredential]::new($UserName, (ConvertTo-SecureString -String 'simulated' -AsPlainText -Force))
}

# Signature: learn.microsoft.com/powershell/module/microsoft.powershell.secretmanagement/get-secret (SecretManagement 1.1)
function Get-Secret {
    [CmdletBinding(DefaultParameterSetName = 'NameParameterSet')]
    param(
        [Parameter(ParameterSetName = 'NameParameterSet', Mandatory = $true, Position = 0)][string]$Name,
        [Parameter(ParameterSetName = 'NameParameterSet', Position = 1)][string]$Vault,
        [Parameter(ParameterSetName = 'InfoParameterSet', Mandatory = $true, ValueFromPipeline = $true)][object]$InputObject,
        [switch]$AsPlainText
    )
    Assert-SimCommand -Name 'Get-Secret' -Arguments $PSBoundParameters
    $secrets = if ($global:SimState.ContainsKey('secrets')) { $global:SimState.secrets } else { @{} }
    $key = [string]$Vault + '/' + $Name
    if ($null -eq $secrets -or -not $secrets.ContainsKey($key)) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.Management.Automation.ItemNotFoundException]::new("Get-Secret : The secret $Name was not found."), 'GetSecretNotFound,Microsoft.PowerShell.SecretManagement.GetSecretCommand', 'ObjectNotFound', $Name))
    }
    $s = $secrets[$key]
    return [pscredential]::new([string]$s.userName, (ConvertTo-SecureString -String 'simulated' -AsPlainText -Force))
}

function Get-SimOwnNames {
    <# Names in directory.dns that resolve to one of this host's own addresses (an alias such as a listener's host name). #>
    $records = $global:SimState.directory.dns.records
    if ($null -eq $records) {
        return @()
    }
    $own = Get-SimValue -Table $records -Key ([string]$global:SimState.host.fqdn)
    if ($null -eq $own) {
        return @()
    }
    $addresses = @(@($own.A) + @($own.AAAA) | Where-Object { $null -ne $_ })
    $names = @()
    foreach ($name in @($records.Keys)) {
        $record = $records[$name]
        foreach ($address in @(@($record.A) + @($record.AAAA))) {
            if (($null -ne $address) -and ($addresses -contains $address)) {
                $names += [string]$name
            }
        }
    }
    return $names
}

function Resolve-SimSessionTarget {
    # @{ Host; Endpoint } for a connection URI or a computer name, as New-PSSession connects.
    param([string]$ConnectionUri, [string]$ComputerName, [int]$Port, [bool]$UseSsl)
    if ($ConnectionUri) {
        $u = [uri]$ConnectionUri
        $path = $u.AbsolutePath.TrimEnd('/')
        $scheme = $u.Scheme.ToLowerInvariant()
        if ($path -eq '' -or $path -eq '/wsman') { return @{ Host = $u.Host; Endpoint = ($scheme.ToUpperInvariant() + ':' + $u.Port); UseSsl = ($scheme -eq 'https') } }
        return @{ Host = $u.Host; Endpoint = ($scheme + ':' + $u.Port + $path); UseSsl = ($scheme -eq 'https') }
    }
    $p = if ($Port) { $Port } elseif ($UseSsl) { 5986 } else { 5985 }
    $t = if ($UseSsl) { 'HTTPS' } else { 'HTTP' }
    return @{ Host = $ComputerName; Endpoint = ($t + ':' + $p); UseSsl = $UseSsl }
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Core/New-PSSession.md
function New-PSSession {
    [CmdletBinding(DefaultParameterSetName = 'ComputerName')]
    param(
        [Parameter(ParameterSetName = 'ComputerName', Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][Alias('Cn')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'Uri', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('URI', 'CU')][uri[]]$ConnectionUri,
        [string]$ConfigurationName,
        [Parameter(ParameterSetName = 'ComputerName')][string]$ApplicationName,
        [Parameter(ParameterSetName = 'ComputerName')][ValidateRange(1, 65535)][int]$Port,
        [Parameter(ParameterSetName = 'ComputerName')][switch]$UseSSL,
        [Parameter(ParameterSetName = 'Uri')][switch]$AllowRedirection,
        [System.Management.Automation.Runspaces.AuthenticationMechanism]$Authentication,
        [string]$CertificateThumbprint,
        [System.Management.Automation.CredentialAttribute()][pscredential]$Credential,
        [string[]]$Name,
        [object]$SessionOption,
        [int]$ThrottleLimit,
        [switch]$EnableNetworkAccess
    )
    Assert-SimCommand -Name 'New-PSSession' -Arguments $PSBoundParameters
    $t = Resolve-SimSessionTarget -ConnectionUri ([string]@($ConnectionUri)[0]) -ComputerName ([string]@($ComputerName)[0]) -Port $Port -UseSsl $UseSSL.IsPresent
    $skipCA = ($null -ne $SessionOption -and $SessionOption.SkipCACheck)
    $auth = if ($PSBoundParameters.ContainsKey('Authentication')) { [string]$Authentication } else { '' }
    $remote = Get-SimRemote -Name $t.Host
    $failure = Get-SimConnectFailure -Target $remote -HostName $t.Host -Endpoint $t.Endpoint -Authentication $auth -UseSsl $t.UseSsl -SkipCACheck $skipCA
    if ($null -eq $failure -and $ConfigurationName) {
        $ep = $remote.endpoints[$t.Endpoint]
        $configs = if ($ep.ContainsKey('configurations')) { @($ep.configurations) } else { @('Microsoft.PowerShell') }
        if (-not ($configs -contains $ConfigurationName)) { $failure = "Connecting to remote server $($t.Host) failed with the following error message : The WS-Management service cannot process the request. Cannot find the $ConfigurationName session configuration in the WSMan: drive on the $($t.Host) computer." }
    }
    if ($null -ne $failure) {
        $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([System.Management.Automation.Remoting.PSRemotingTransportException]::new($failure), 'PSSessionOpenFailed', 'OpenError', $t.Host))
        return
    }
    [pscustomobject]@{ PSTypeName = 'SimPSSession'; Id = 1; Name = 'WinRM1'; ComputerName = $t.Host; Endpoint = $t.Endpoint; ConfigurationName = $(if ($ConfigurationName) { $ConfigurationName } else { 'Microsoft.PowerShell' }); State = 'Opened'; Availability = 'Available' }
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Core/Remove-PSSession.md
function Remove-PSSession {
    [CmdletBinding(DefaultParameterSetName = 'Id', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Id', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][int[]]$Id,
        [Parameter(ParameterSetName = 'Session', Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][object[]]$Session,
        [Parameter(ParameterSetName = 'InstanceId', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][guid[]]$InstanceId,
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][string[]]$Name,
        [Parameter(ParameterSetName = 'ComputerName', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('Cn')][string[]]$ComputerName
    )
    Assert-SimCommand -Name 'Remove-PSSession' -Arguments $PSBoundParameters
    foreach ($s in @($Session)) { if ($null -ne $s) { $s.State = 'Closed' } }
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Core/Invoke-Command.md
function Invoke-Command {
    [CmdletBinding(DefaultParameterSetName = 'InProcess')]
    param(
        [Parameter(ParameterSetName = 'Session', Position = 0)][object[]]$Session,
        [Parameter(ParameterSetName = 'ComputerName', Position = 0)][Alias('Cn')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'InProcess', Mandatory = $true, Position = 0)][Parameter(ParameterSetName = 'Session', Mandatory = $true, Position = 1)][Parameter(ParameterSetName = 'ComputerName', Mandatory = $true, Position = 1)][Alias('Command')][scriptblock]$ScriptBlock,
        [Alias('Args')][object[]]$ArgumentList,
        [Parameter(ValueFromPipeline = $true)][psobject]$InputObject,
        [Parameter(ParameterSetName = 'Session')][Parameter(ParameterSetName = 'ComputerName')][switch]$HideComputerName,
        [Parameter(ParameterSetName = 'Session')][Parameter(ParameterSetName = 'ComputerName')][switch]$AsJob,
        [Parameter(ParameterSetName = 'ComputerName')][System.Management.Automation.CredentialAttribute()][pscredential]$Credential,
        [Parameter(ParameterSetName = 'ComputerName')][object]$Authentication,
        [Parameter(ParameterSetName = 'ComputerName')][switch]$UseSSL,
        [Parameter(ParameterSetName = 'ComputerName')][int]$Port,
        [Parameter(ParameterSetName = 'ComputerName')][string]$ConfigurationName,
        [Parameter(ParameterSetName = 'InProcess')][switch]$NoNewScope
    )
    Assert-SimCommand -Name 'Invoke-Command' -Arguments $PSBoundParameters
    if ($PSCmdlet.ParameterSetName -eq 'InProcess') { return (& $ScriptBlock @ArgumentList) }
    $target = if ($PSCmdlet.ParameterSetName -eq 'Session') { @($Session)[0].ComputerName } else { @($ComputerName)[0] }
    $remote = Get-SimRemote -Name $target
    # The remote end answers the commands the scripts send: its machine name, and what its state lists.
    $text = $ScriptBlock.ToString().Trim()
    if ($text -match 'MachineName') { return [string]$remote.computerName }
    if ($remote.ContainsKey('commands')) { foreach ($k in $remote.commands.Keys) { if ($text -like ('*' + $k + '*')) { return $remote.commands[$k] } } }
    $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new("The simulated remote end $target does not model the command { $text }."), 'SimRemoteCommand', 'NotImplemented', $target))
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Utility/Import-PSSession.md
function Import-PSSession {
    [CmdletBinding()]
    param(
        [string]$Prefix, [switch]$DisableNameChecking,
        [Parameter(Position = 2)][Alias('Name')][string[]]$CommandName,
        [switch]$AllowClobber, [Alias('Args')][object[]]$ArgumentList,
        [string[]]$CommandType, [string[]]$Module, [object[]]$FullyQualifiedModule,
        [Parameter(Position = 3)][string[]]$FormatTypeName, [object]$Certificate,
        [Parameter(Mandatory = $true, Position = 0)][object]$Session
    )
    Assert-SimCommand -Name 'Import-PSSession' -Arguments $PSBoundParameters
    $remote = Get-SimRemote -Name ([string]$Session.ComputerName)
    $servers = @(); if ($remote.ContainsKey('exchangeServers')) { $servers = @($remote.exchangeServers) }
    $available = @('Get-ExchangeServer'); if ($remote.ContainsKey('importableCommands')) { $available = @($remote.importableCommands) }
    # Without -CommandName every command the session offers is imported.
    $wanted = @(); if ($PSBoundParameters.ContainsKey('CommandName')) { $wanted = @($CommandName) }
    foreach ($c in $wanted) {
        if (-not ($available -contains $c)) {
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.ArgumentException]::new("Running the Get-Command command in a remote session reported the following error: The term '$c' is not recognized."), 'ErrorFromRemoteCommand,Microsoft.PowerShell.Commands.ImportPSSessionCommand', 'InvalidResult', $c))
        }
    }
    $imported = New-Module -Name ('tmp_' + [guid]::NewGuid().ToString('N').Substring(0, 8)) -ArgumentList (, $servers) -ScriptBlock {
        param($Servers)
        function Get-ExchangeServer { foreach ($s in $Servers) { [pscustomobject]@{ Name = [string]$s; Fqdn = [string]$s } } }
        Export-ModuleMember -Function 'Get-ExchangeServer'
    }
    $null = Microsoft.PowerShell.Core\Import-Module -ModuleInfo $imported -Global -DisableNameChecking -Force
    # Not $module: that is the typed -Module parameter ([string[]]), which would turn the module into its name.
    return $imported
}
