# The GroupPolicy module (RSAT) on the computer a domain admin runs the exceptions script from.
# State: groupPolicy.gpos { '<display name>': { values: { '<HKLM\key>\<value name>': { type, value } } } }.
# Only the ByName parameter sets are simulated; a GUID form is refused as not simulated.

function Get-SimGpo {
    param([string]$Name)
    if (-not $global:SimState.ContainsKey('groupPolicy') -or $null -eq $global:SimState.groupPolicy) { $global:SimState.groupPolicy = @{ gpos = @{} } }
    if ($null -eq $global:SimState.groupPolicy.gpos) { $global:SimState.groupPolicy.gpos = @{} }
    foreach ($k in $global:SimState.groupPolicy.gpos.Keys) { if ($k -eq $Name) { return $global:SimState.groupPolicy.gpos[$k] } }
    return $null
}

function Assert-SimGpoByName {
    param($Cmdlet, [string]$Name)
    if ($Cmdlet.ParameterSetName -notlike '*Name') {
        $Cmdlet.ThrowTerminatingError((New-SimError -Message ('The simulated host models only the ByName form of ' + $Cmdlet.MyInvocation.MyCommand.Name + '.') -ErrorId 'NotSimulated' -Category 'NotImplemented' -ExceptionType 'System.NotSupportedException'))
    }
    $gpo = Get-SimGpo -Name $Name
    if ($null -eq $gpo) {
        $Cmdlet.ThrowTerminatingError((New-SimError -Message ('A GPO with the name ' + $Name + ' was not found in the domain.') -ErrorId 'GpoWithNameNotFound,Microsoft.GroupPolicy.Commands.GetGpoCommand' -Category 'ObjectNotFound' -ExceptionType 'System.ArgumentException' -Target $Name))
    }
    if ($null -eq $gpo.values) { $gpo.values = @{} }
    return $gpo
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/grouppolicy/Get-GPO.md
function Get-GPO {
    [CmdletBinding(DefaultParameterSetName = 'ByGUID')]
    param(
        [Parameter(ParameterSetName = 'ByGUID', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('Id')][guid]$Guid,
        [Parameter(ParameterSetName = 'ByName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Alias('DisplayName')][string]$Name,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)][Alias('DomainName')][string]$Domain,
        [Parameter(Position = 2)][Alias('DC')][string]$Server,
        [Parameter(ParameterSetName = 'GetAll')][switch]$All
    )
    Assert-SimCommand -Name 'Get-GPO' -Arguments $PSBoundParameters
    $null = Assert-SimGpoByName -Cmdlet $PSCmdlet -Name $Name
    return [pscustomobject]@{ DisplayName = $Name; DomainName = [string]$global:SimState.host.domain; GpoStatus = 'AllSettingsEnabled' }
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/grouppolicy/Get-GPRegistryValue.md
function Get-GPRegistryValue {
    [CmdletBinding(DefaultParameterSetName = 'GetByGUID')]
    param(
        [Parameter(ParameterSetName = 'GetByGUID', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('Id')][guid]$Guid,
        [Parameter(ParameterSetName = 'GetByName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Alias('DisplayName')][string]$Name,
        [Parameter(Mandatory = $true)][Alias('FullKeyPath')][string]$Key,
        [string]$ValueName,
        [Parameter(ValueFromPipelineByPropertyName = $true)][Alias('DomainName')][string]$Domain,
        [Alias('DC')][string]$Server
    )
    Assert-SimCommand -Name 'Get-GPRegistryValue' -Arguments $PSBoundParameters
    $gpo = Assert-SimGpoByName -Cmdlet $PSCmdlet -Name $Name
    $id = $Key + '\' + $ValueName
    foreach ($k in $gpo.values.Keys) {
        if ($k -eq $id) {
            $v = $gpo.values[$k]
            return [pscustomobject]@{ FullKeyPath = $Key; ValueName = $ValueName; PolicyState = 'Set'; Type = [string]$v.type; Value = $v.value; HasValue = $true }
        }
    }
    $PSCmdlet.WriteError((New-SimError -Message ('The following Group Policy registry setting was not found: "' + $id + '".') -ErrorId 'UnableToRetrievePolicyRegistryItem,Microsoft.GroupPolicy.Commands.GetGPRegistryValueCommand' -Category 'InvalidData' -ExceptionType 'System.ArgumentException' -Target $id))
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/grouppolicy/Set-GPRegistryValue.md
function Set-GPRegistryValue {
    [CmdletBinding(DefaultParameterSetName = 'ByGUID', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'ByGUID', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('Id')][guid]$Guid,
        [Parameter(ParameterSetName = 'ByName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Alias('DisplayName')][string]$Name,
        [Parameter(Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('FullKeyPath')][string]$Key,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string[]]$ValueName,
        [Parameter(ValueFromPipelineByPropertyName = $true)][psobject]$Value,
        [Parameter(ValueFromPipelineByPropertyName = $true)][Microsoft.Win32.RegistryValueKind]$Type,
        [Parameter(ValueFromPipelineByPropertyName = $true)][Alias('DomainName')][string]$Domain,
        [Alias('DC')][string]$Server,
        [switch]$Additive,
        [switch]$Disable,
        [string]$ValuePrefix
    )
    Assert-SimCommand -Name 'Set-GPRegistryValue' -Arguments $PSBoundParameters
    $gpo = Assert-SimGpoByName -Cmdlet $PSCmdlet -Name $Name
    if ($Disable -or $Additive -or $PSBoundParameters.ContainsKey('ValuePrefix') -or @($ValueName).Count -ne 1) {
        $PSCmdlet.ThrowTerminatingError((New-SimError -Message 'The simulated host models only one value name with -Key -ValueName -Type -Value.' -ErrorId 'NotSimulated' -Category 'NotImplemented' -ExceptionType 'System.NotSupportedException'))
    }
    if (-not $PSBoundParameters.ContainsKey('Type') -or -not $PSBoundParameters.ContainsKey('Value')) {
        $PSCmdlet.ThrowTerminatingError((New-SimError -Message 'You must specify the Type and Value parameters to set a registry value.' -ErrorId 'InvalidParameters' -Category 'InvalidArgument' -ExceptionType 'System.ArgumentException'))
    }
    if ($Key -notmatch '^(HKLM|HKEY_LOCAL_MACHINE|HKCU|HKEY_CURRENT_USER)\\') {
        $PSCmdlet.ThrowTerminatingError((New-SimError -Message ('The registry key ' + $Key + ' is not in HKLM or HKCU.') -ErrorId 'InvalidKey' -Category 'InvalidArgument' -ExceptionType 'System.ArgumentException' -Target $Key))
    }
    $raw = $Value
    if ($raw -is [psobject]) { $raw = $raw.PSObject.BaseObject }
    if ([string]$Type -eq 'DWord' -and -not ($raw -is [int] -or $raw -is [long] -or $raw -is [uint32])) {
        $PSCmdlet.ThrowTerminatingError((New-SimError -Message ('The value ' + [string]$raw + ' is not a DWord.') -ErrorId 'InvalidValue' -Category 'InvalidArgument' -ExceptionType 'System.ArgumentException'))
    }
    if (-not $PSCmdlet.ShouldProcess($Name, 'Set ' + $Key + '\' + $ValueName[0])) { return }
    $id = $Key + '\' + $ValueName[0]
    $old = $null
    foreach ($k in @($gpo.values.Keys)) { if ($k -eq $id) { $old = $gpo.values[$k]; $gpo.values.Remove($k) } }
    $gpo.values[$id] = @{ type = [string]$Type; value = $raw }
    $before = if ($null -eq $old) { '(not set)' } else { [string]$old.value }
    # Group Policy rewrites the GPO on every call, as a DC writes the attribute: a change is logged even for the same data.
    Register-SimChange -Area 'gpo' -Target ($Name + ' ' + $id) -Detail ($before + ' -> ' + [string]$raw)
    return [pscustomobject]@{ DisplayName = $Name; GpoStatus = 'AllSettingsEnabled' }
}
