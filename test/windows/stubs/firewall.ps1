# Windows Firewall: the NetSecurity cmdlets (Windows Server 2012 and later) and the
# HNetCfg.FwPolicy2 COM object that older releases read rules through.
# State: firewall.rules = [ { Name, DisplayName, Group, Direction, Protocol, LocalPort: [..],
#   RemoteAddress: [..] (as the spec writes them: 10.0.0.5, 10.0.0.0/24, Any), Action,
#   Profile: 'Domain' | 'Domain, Private' | 'Any', Enabled: 'True'|'False' } ].

function Find-SimFirewallRule {
    param([Parameter(Mandatory = $true)][string]$Name)
    foreach ($rule in @($global:SimState.firewall.rules)) {
        if (($null -ne $rule) -and ([string]$rule.Name -eq $Name)) {
            return $rule
        }
    }
    return $null
}

function Add-SimFirewallRule {
    param([Parameter(Mandatory = $true)]$Rule)
    $global:SimState.firewall.rules = @(@($global:SimState.firewall.rules | Where-Object { $null -ne $_ }) + $Rule)
    Register-SimChange -Area 'firewall' -Target ([string]$Rule.Name) -Detail ('created: ' + (Get-SimFirewallSummary -Rule $Rule))
}

function Enable-SimBuiltInWinRMRules {
    <#
    What Enable-PSRemoting does to Windows Firewall on a server: the built-in "Windows Remote Management
    (HTTP-In)" rules for TCP 5985, enabled; the Public one limited to the local subnet (Enable-PSRemoting.md).
    #>
    param([bool]$SkipNetworkProfileCheck)
    $wanted = @(
        [ordered]@{ Name = 'WINRM-HTTP-In-TCP'; DisplayName = 'Windows Remote Management (HTTP-In)'; Group = 'Windows Remote Management'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = @('5985'); RemoteAddress = @('Any'); Action = 'Allow'; Profile = 'Domain, Private'; Enabled = 'True' }
        [ordered]@{ Name = 'WINRM-HTTP-In-TCP-PUBLIC'; DisplayName = 'Windows Remote Management (HTTP-In)'; Group = 'Windows Remote Management'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = @('5985'); RemoteAddress = @('LocalSubnet'); Action = 'Allow'; Profile = 'Public'; Enabled = 'True' }
    )
    if (-not $global:SimState.firewall.ContainsKey('rules')) {
        $global:SimState.firewall.rules = @()
    }
    foreach ($rule in $wanted) {
        $existing = Find-SimFirewallRule -Name $rule.Name
        if ($null -eq $existing) {
            Add-SimFirewallRule -Rule $rule
        }
        elseif ([string]$existing.Enabled -ne 'True') {
            Register-SimChange -Area 'firewall' -Target ([string]$existing.Name) -Detail ('enabled ' + $existing.Enabled + ' -> True')
            $existing.Enabled = 'True'
        }
    }
}

function Get-SimFirewallSummary {
    param($Rule)
    return ([string]$Rule.Direction + ' ' + [string]$Rule.Protocol + ' ' + (@($Rule.LocalPort) -join ',') + ' from ' + (@($Rule.RemoteAddress) -join ',') + ' ' + [string]$Rule.Action + ' profile ' + [string]$Rule.Profile + ' enabled ' + [string]$Rule.Enabled)
}

function ConvertTo-SimFirewallAddress {
    <# The address filter as the firewall API reports it: 10.0.0.0/24 becomes 10.0.0.0/255.255.255.0. #>
    param([Parameter(Mandatory = $true)][string]$Address)
    if ($Address -match '^([0-9.]+)/([0-9]+)$') {
        $bits = [int]$Matches[2]
        if ($bits -eq 32) {
            return $Matches[1]
        }
        # 0xFFFFFFFF is the Int32 -1 in PowerShell: the mask is built in UInt64.
        $all = ([uint64]1 -shl 32) - 1
        $mask = [uint64]0
        if ($bits -gt 0) {
            $mask = $all -bxor (([uint64]1 -shl (32 - $bits)) - 1)
        }
        $octets = @((($mask -shr 24) -band 255), (($mask -shr 16) -band 255), (($mask -shr 8) -band 255), ($mask -band 255))
        return $Matches[1] + '/' + ($octets -join '.')
    }
    return $Address
}

function ConvertTo-SimProfileText {
    param($Profile)
    $list = @(@($Profile) | ForEach-Object { ([string]$_).Split(',') } | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' })
    if (($list -contains 'Any') -or ($list.Count -eq 0)) {
        return 'Any'
    }
    $order = @('Domain', 'Private', 'Public')
    return (@($order | Where-Object { $list -contains $_ }) -join ', ')
}

function ConvertTo-SimFirewallRuleObject {
    param($Rule)
    return [pscustomobject]@{
        PSTypeName  = 'SimNetFirewallRule'
        Name        = [string]$Rule.Name
        DisplayName = [string]$Rule.DisplayName
        Group       = [string]$Rule.Group
        Direction   = [string]$Rule.Direction
        Action      = [string]$Rule.Action
        Profile     = ConvertTo-SimProfileText -Profile $Rule.Profile
        Enabled     = [string]$Rule.Enabled
        SimRule     = $Rule
    }
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/netsecurity/Get-NetFirewallRule.md
function Get-NetFirewallRule {
    [CmdletBinding(DefaultParameterSetName = 'All')]
    param(
        [Parameter(ParameterSetName = 'All')][switch]$All,
        [Parameter(ParameterSetName = 'ByName', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('ID')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByDisplayName', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][string[]]$DisplayName,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$Group,
        [Parameter(ParameterSetName = 'ByQuery')][string[]]$DisplayGroup,
        [Parameter(ParameterSetName = 'ByQuery')][ValidateSet('True', 'False')][string[]]$Enabled,
        [Parameter(ParameterSetName = 'ByQuery')][ValidateSet('Inbound', 'Outbound')][string[]]$Direction,
        [string]$PolicyStore
    )
    Assert-SimCommand -Name 'Get-NetFirewallRule' -Arguments $PSBoundParameters
    $rules = @($global:SimState.firewall.rules | Where-Object { $null -ne $_ })
    switch ($PSCmdlet.ParameterSetName) {
        'ByName' {
            foreach ($one in $Name) {
                $rule = Find-SimFirewallRule -Name $one
                if ($null -eq $rule) {
                    $record = New-SimError -Message ("No MSFT_NetFirewallRule objects found with property 'InstanceID' equal to '" + $one + "'.  Verify the value of the property and retry.") -ErrorId 'CmdletizationQuery_NotFound_InstanceID,Get-NetFirewallRule' -Category 'ObjectNotFound'
                    if (-not (Test-SimErrorActionSilent -Bound $PSBoundParameters)) {
                        $PSCmdlet.WriteError($record)
                    }
                    continue
                }
                ConvertTo-SimFirewallRuleObject -Rule $rule
            }
        }
        'ByDisplayName' {
            foreach ($rule in $rules) {
                if ($DisplayName -contains [string]$rule.DisplayName) {
                    ConvertTo-SimFirewallRuleObject -Rule $rule
                }
            }
        }
        default {
            foreach ($rule in $rules) {
                $keep = $true
                if ($PSBoundParameters.ContainsKey('Group') -and ($Group -notcontains [string]$rule.Group)) {
                    $keep = $false
                }
                if ($PSBoundParameters.ContainsKey('DisplayGroup') -and ($DisplayGroup -notcontains [string]$rule.Group)) {
                    $keep = $false
                }
                if ($PSBoundParameters.ContainsKey('Enabled') -and ($Enabled -notcontains [string]$rule.Enabled)) {
                    $keep = $false
                }
                if ($PSBoundParameters.ContainsKey('Direction') -and ($Direction -notcontains [string]$rule.Direction)) {
                    $keep = $false
                }
                if ($keep) {
                    ConvertTo-SimFirewallRuleObject -Rule $rule
                }
            }
        }
    }
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/netsecurity/Get-NetFirewallPortFilter.md
function Get-NetFirewallPortFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory = $true, ValueFromPipeline = $true)][object]$AssociatedNetFirewallRule,
        [string]$PolicyStore
    )
    process {
        Assert-SimCommand -Name 'Get-NetFirewallPortFilter' -Arguments $PSBoundParameters
        $rule = $AssociatedNetFirewallRule.SimRule
        [pscustomobject]@{ Protocol = [string]$rule.Protocol; LocalPort = @(@($rule.LocalPort) | ForEach-Object { [string]$_ }); RemotePort = 'Any' }
    }
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/netsecurity/Get-NetFirewallAddressFilter.md
function Get-NetFirewallAddressFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')][switch]$All,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory = $true, ValueFromPipeline = $true)][object]$AssociatedNetFirewallRule,
        [string]$PolicyStore
    )
    process {
        Assert-SimCommand -Name 'Get-NetFirewallAddressFilter' -Arguments $PSBoundParameters
        $rule = $AssociatedNetFirewallRule.SimRule
        [pscustomobject]@{ LocalAddress = 'Any'; RemoteAddress = @(foreach ($address in @($rule.RemoteAddress)) { ConvertTo-SimFirewallAddress -Address ([string]$address) }) }
    }
}

function Test-SimFirewallPort {
    param([string[]]$LocalPort)
    foreach ($port in $LocalPort) {
        if ($port -notmatch '^([0-9]+(-[0-9]+)?|Any|RPC|RPCEPMap|IPHTTPSIn|IPHTTPSOut|PlayToDiscovery)$') {
            throw (New-SimError -Message ('The port ' + $port + ' is not valid.') -ErrorId 'HRESULT 0x80070057' -Category 'InvalidArgument')
        }
    }
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/netsecurity/New-NetFirewallRule.md
function New-NetFirewallRule {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [string]$Name,
        [Parameter(Mandatory = $true)][string]$DisplayName,
        [string]$Description,
        [string]$Group,
        [ValidateSet('True', 'False')][string]$Enabled = 'True',
        [ValidateSet('Any', 'Domain', 'Private', 'Public', 'NotApplicable')][string[]]$Profile = @('Any'),
        [ValidateSet('Inbound', 'Outbound')][string]$Direction = 'Inbound',
        [ValidateSet('NotConfigured', 'Allow', 'Block')][string]$Action = 'Allow',
        [string[]]$LocalAddress,
        [string[]]$RemoteAddress = @('Any'),
        [string]$Protocol = 'Any',
        [string[]]$LocalPort,
        [string[]]$RemotePort,
        [string]$Program,
        [string]$Service,
        [string]$PolicyStore
    )
    Assert-SimCommand -Name 'New-NetFirewallRule' -Arguments $PSBoundParameters
    Test-SimFirewallPort -LocalPort $LocalPort
    if ($Name -eq '') {
        $Name = [guid]::NewGuid().ToString('B')
    }
    if ($null -ne (Find-SimFirewallRule -Name $Name)) {
        throw (New-SimError -Message ('Cannot create a file when that file already exists. (rule ' + $Name + ')') -ErrorId 'Windows System Error 183,New-NetFirewallRule' -Category 'ResourceExists')
    }
    if (-not $PSCmdlet.ShouldProcess($Name, 'New-NetFirewallRule')) {
        return
    }
    $rule = [ordered]@{ Name = $Name; DisplayName = $DisplayName; Group = $Group; Direction = $Direction; Protocol = $Protocol.ToUpperInvariant(); LocalPort = @($LocalPort); RemoteAddress = @($RemoteAddress); Action = $Action; Profile = (ConvertTo-SimProfileText -Profile $Profile); Enabled = $Enabled }
    Add-SimFirewallRule -Rule $rule
    return (ConvertTo-SimFirewallRuleObject -Rule $rule)
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/netsecurity/Set-NetFirewallRule.md
function Set-NetFirewallRule {
    [CmdletBinding(DefaultParameterSetName = 'GetByName', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'GetByName', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('ID')][string[]]$Name,
        [Parameter(ParameterSetName = 'GetByDisplayName', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][string[]]$DisplayName,
        [string]$NewDisplayName,
        [string]$Description,
        [ValidateSet('True', 'False')][string]$Enabled,
        [ValidateSet('Any', 'Domain', 'Private', 'Public', 'NotApplicable')][string[]]$Profile,
        [ValidateSet('Inbound', 'Outbound')][string]$Direction,
        [ValidateSet('NotConfigured', 'Allow', 'Block')][string]$Action,
        [string[]]$LocalAddress,
        [string[]]$RemoteAddress,
        [string]$Protocol,
        [string[]]$LocalPort,
        [string[]]$RemotePort,
        [string]$PolicyStore,
        [switch]$PassThru
    )
    Assert-SimCommand -Name 'Set-NetFirewallRule' -Arguments $PSBoundParameters
    if ($PSBoundParameters.ContainsKey('LocalPort')) {
        Test-SimFirewallPort -LocalPort $LocalPort
    }
    $targets = @()
    if ($PSCmdlet.ParameterSetName -eq 'GetByName') {
        foreach ($one in $Name) {
            $rule = Find-SimFirewallRule -Name $one
            if ($null -eq $rule) {
                throw (New-SimError -Message ("No MSFT_NetFirewallRule objects found with property 'InstanceID' equal to '" + $one + "'.") -ErrorId 'CmdletizationQuery_NotFound_InstanceID,Set-NetFirewallRule' -Category 'ObjectNotFound')
            }
            $targets += $rule
        }
    }
    else {
        $targets = @($global:SimState.firewall.rules | Where-Object { $DisplayName -contains [string]$_.DisplayName })
    }
    foreach ($rule in $targets) {
        if (-not $PSCmdlet.ShouldProcess([string]$rule.Name, 'Set-NetFirewallRule')) {
            continue
        }
        $before = Get-SimFirewallSummary -Rule $rule
        if ($PSBoundParameters.ContainsKey('NewDisplayName')) { $rule.DisplayName = $NewDisplayName }
        if ($PSBoundParameters.ContainsKey('Enabled')) { $rule.Enabled = $Enabled }
        if ($PSBoundParameters.ContainsKey('Profile')) { $rule.Profile = ConvertTo-SimProfileText -Profile $Profile }
        if ($PSBoundParameters.ContainsKey('Direction')) { $rule.Direction = $Direction }
        if ($PSBoundParameters.ContainsKey('Action')) { $rule.Action = $Action }
        if ($PSBoundParameters.ContainsKey('RemoteAddress')) { $rule.RemoteAddress = @($RemoteAddress) }
        if ($PSBoundParameters.ContainsKey('Protocol')) { $rule.Protocol = $Protocol.ToUpperInvariant() }
        if ($PSBoundParameters.ContainsKey('LocalPort')) { $rule.LocalPort = @($LocalPort) }
        $after = Get-SimFirewallSummary -Rule $rule
        if ($before -ne $after) {
            Register-SimChange -Area 'firewall' -Target ([string]$rule.Name) -Detail ($before + ' -> ' + $after)
        }
    }
}

function Set-SimFirewallRuleEnabled {
    param([string[]]$Name, [string[]]$DisplayGroup, [string]$Value, $Cmdlet, [string]$Command)
    foreach ($rule in @($global:SimState.firewall.rules | Where-Object { ($Name -contains [string]$_.Name) -or ($DisplayGroup -contains [string]$_.Group) })) {
        if (([string]$rule.Enabled -ne $Value) -and $Cmdlet.ShouldProcess([string]$rule.Name, $Command)) {
            Register-SimChange -Area 'firewall' -Target ([string]$rule.Name) -Detail ('enabled ' + $rule.Enabled + ' -> ' + $Value)
            $rule.Enabled = $Value
        }
    }
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/netsecurity/Disable-NetFirewallRule.md
function Disable-NetFirewallRule {
    [CmdletBinding(DefaultParameterSetName = 'GetByName', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'GetByName', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('ID')][string[]]$Name,
        [Parameter(ParameterSetName = 'GetByQuery')][string[]]$DisplayGroup,
        [switch]$PassThru
    )
    Assert-SimCommand -Name 'Disable-NetFirewallRule' -Arguments $PSBoundParameters
    Set-SimFirewallRuleEnabled -Name $Name -DisplayGroup $DisplayGroup -Value 'False' -Cmdlet $PSCmdlet -Command 'Disable-NetFirewallRule'
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/netsecurity/Enable-NetFirewallRule.md
function Enable-NetFirewallRule {
    [CmdletBinding(DefaultParameterSetName = 'GetByName', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'GetByName', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('ID')][string[]]$Name,
        [Parameter(ParameterSetName = 'GetByQuery')][string[]]$DisplayGroup,
        [switch]$PassThru
    )
    Assert-SimCommand -Name 'Enable-NetFirewallRule' -Arguments $PSBoundParameters
    Set-SimFirewallRuleEnabled -Name $Name -DisplayGroup $DisplayGroup -Value 'True' -Cmdlet $PSCmdlet -Command 'Enable-NetFirewallRule'
}

# The firewall COM API (INetFwPolicy2), present on every release: Rules with the INetFwRule
# properties the scripts read. Profiles is a bit mask (1 domain, 2 private, 4 public).
Register-SimType -TypeName 'COM:HNetCfg.FwPolicy2' -Factory {
    param($ArgumentList)
    $rules = @(foreach ($rule in @($global:SimState.firewall.rules | Where-Object { $null -ne $_ })) {
            $profileText = ConvertTo-SimProfileText -Profile $rule.Profile
            $mask = 0
            if ($profileText -eq 'Any') { $mask = 0x7FFFFFFF }
            if ($profileText -match 'Domain') { $mask = $mask -bor 1 }
            if ($profileText -match 'Private') { $mask = $mask -bor 2 }
            if ($profileText -match 'Public') { $mask = $mask -bor 4 }
            $remote = @(foreach ($address in @($rule.RemoteAddress)) {
                    $text = ConvertTo-SimFirewallAddress -Address ([string]$address)
                    if ($text -match '^[0-9.]+$') { $text + '/255.255.255.255' } elseif ($text -eq 'Any') { '*' } else { $text }
                })
            [pscustomobject]@{
                Name            = [string]$rule.Name
                RemoteAddresses = ($remote -join ',')
                LocalPorts      = (@($rule.LocalPort) -join ',')
                Profiles        = $mask
                Enabled         = ([string]$rule.Enabled -eq 'True')
                Action          = if ([string]$rule.Action -eq 'Allow') { 1 } else { 0 }
                Direction       = if ([string]$rule.Direction -eq 'Inbound') { 1 } else { 2 }
                Protocol        = if ([string]$rule.Protocol -eq 'TCP') { 6 } elseif ([string]$rule.Protocol -eq 'UDP') { 17 } else { 256 }
            }
        })
    return [pscustomobject]@{ Rules = $rules }
}
