# Local groups, the Microsoft.PowerShell.LocalAccounts cmdlets (Windows Server 2016 and later)
# and the NTAccount / SecurityIdentifier translations the scripts make.
# State: localGroups = { '<group name>': { sid, members: [ { name, sid } ] } };
# accounts = { '<DOMAIN\sam or user@dns or dns\user>': '<SID>' } (what the domain resolves).

function Find-SimLocalGroup {
    <# A local group by name or SID: { Name, Sid, Group } (Group is the state entry), or $null. #>
    param([string]$Name, [string]$Sid)
    foreach ($key in @($global:SimState.localGroups.Keys)) {
        $group = $global:SimState.localGroups[$key]
        if ((($Sid -ne '') -and ([string]$group.sid -eq $Sid)) -or (($Name -ne '') -and ([string]$key -ieq $Name))) {
            if (-not $group.ContainsKey('members') -or ($null -eq $group.members)) {
                $group.members = @()
            }
            return [pscustomobject]@{ Name = [string]$key; Sid = [string]$group.sid; Group = $group }
        }
    }
    return $null
}

function Test-SimLocalGroup {
    <# Whether the host has the local group with this SID (Remote Management Users came with 2012). #>
    param([Parameter(Mandatory = $true)][string]$Sid)
    return ($null -ne (Find-SimLocalGroup -Name '' -Sid $Sid))
}

function Resolve-SimAccountSid {
    <# The SID an account name resolves to, or $null. #>
    param([Parameter(Mandatory = $true)][string]$Account)
    if ($Account -match '^S-1-[0-9-]+$') {
        return $Account
    }
    $sid = Get-SimValue -Table $global:SimState.accounts -Key $Account
    if ($null -ne $sid) {
        return [string]$sid
    }
    $group = Find-SimLocalGroup -Name ($Account -replace '^(?i)BUILTIN\\', '') -Sid ''
    if (($null -ne $group) -and ($Account -match '^(?i)BUILTIN\\')) {
        return $group.Sid
    }
    return $null
}

function Resolve-SimSidName {
    param([Parameter(Mandatory = $true)][string]$Sid)
    $group = Find-SimLocalGroup -Name '' -Sid $Sid
    if ($null -ne $group) {
        return 'BUILTIN\' + $group.Name
    }
    foreach ($key in @($global:SimState.accounts.Keys)) {
        if (([string]$global:SimState.accounts[$key] -eq $Sid) -and ($key -match '^[^\\@.]+\\[^\\]+$')) {
            return [string]$key
        }
    }
    return $null
}

function New-SimIdentityNotMapped {
    $exception = New-Object -TypeName 'System.Security.Principal.IdentityNotMappedException' -ArgumentList 'Some or all identity references could not be translated.'
    return $exception
}

Register-SimType -TypeName 'System.Security.Principal.NTAccount' -Factory {
    param($ArgumentList)
    $name = [string](@($ArgumentList) -join '\')
    $account = [pscustomobject]@{ Value = $name }
    $account | Add-Member -MemberType 'ScriptMethod' -Name 'Translate' -Value {
        param($type)
        $sid = Resolve-SimAccountSid -Account $this.Value
        if ($null -eq $sid) {
            throw (New-SimIdentityNotMapped)
        }
        return [pscustomobject]@{ Value = $sid }
    }
    return $account
}

Register-SimType -TypeName 'System.Security.Principal.SecurityIdentifier' -Factory {
    param($ArgumentList)
    $sid = [string]@($ArgumentList)[0]
    $identifier = [pscustomobject]@{ Value = $sid }
    $identifier | Add-Member -MemberType 'ScriptMethod' -Name 'Translate' -Value {
        param($type)
        $name = Resolve-SimSidName -Sid $this.Value
        if ($null -eq $name) {
            throw (New-SimIdentityNotMapped)
        }
        return [pscustomobject]@{ Value = $name }
    }
    return $identifier
}

function Get-SimGroupTarget {
    param($Bound)
    $group = $null
    if ($Bound.ContainsKey('SID')) {
        $group = Find-SimLocalGroup -Name '' -Sid ([string]$Bound['SID'])
    }
    elseif ($Bound.ContainsKey('Group')) {
        $group = Find-SimLocalGroup -Name ([string]$Bound['Group']) -Sid ''
    }
    elseif ($Bound.ContainsKey('Name')) {
        $group = Find-SimLocalGroup -Name ([string]$Bound['Name']) -Sid ''
    }
    if ($null -eq $group) {
        throw (New-SimError -Message 'Group was not found.' -ErrorId 'GroupNotFound,Microsoft.PowerShell.Commands.GetLocalGroupMemberCommand' -Category 'ObjectNotFound')
    }
    return $group
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.LocalAccounts/Get-LocalGroupMember.md
function Get-LocalGroupMember {
    [CmdletBinding(DefaultParameterSetName = 'Default')]
    param(
        [Parameter(ParameterSetName = 'Group', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object]$Group,
        [Parameter(ParameterSetName = 'Default', Mandatory = $true, Position = 0)][string]$Name,
        [Parameter(ParameterSetName = 'SecurityIdentifier', Mandatory = $true, Position = 0)][string]$SID,
        [Parameter(Position = 1)][string]$Member
    )
    Assert-SimCommand -Name 'Get-LocalGroupMember' -Arguments $PSBoundParameters
    $target = Get-SimGroupTarget -Bound $PSBoundParameters
    foreach ($entry in @($target.Group.members)) {
        if ($null -eq $entry) {
            continue
        }
        [pscustomobject]@{ Name = [string]$entry.name; SID = [pscustomobject]@{ Value = [string]$entry.sid }; PrincipalSource = 'ActiveDirectory'; ObjectClass = 'User' }
    }
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.LocalAccounts/Add-LocalGroupMember.md
function Add-LocalGroupMember {
    [CmdletBinding(DefaultParameterSetName = 'Default', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Group', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object]$Group,
        [Parameter(ParameterSetName = 'Default', Mandatory = $true, Position = 0)][string]$Name,
        [Parameter(ParameterSetName = 'SecurityIdentifier', Mandatory = $true, Position = 0)][string]$SID,
        [Parameter(Mandatory = $true, Position = 1, ValueFromPipeline = $true)][object[]]$Member
    )
    Assert-SimCommand -Name 'Add-LocalGroupMember' -Arguments $PSBoundParameters
    $target = Get-SimGroupTarget -Bound $PSBoundParameters
    foreach ($one in $Member) {
        $text = [string]$one
        $sid = Resolve-SimAccountSid -Account $text
        if ($null -eq $sid) {
            throw (New-SimError -Message ('Principal ' + $text + ' was not found.') -ErrorId 'PrincipalNotFound,Microsoft.PowerShell.Commands.AddLocalGroupMemberCommand' -Category 'ObjectNotFound')
        }
        if (@($target.Group.members | Where-Object { ($null -ne $_) -and ([string]$_.sid -eq $sid) }).Count -gt 0) {
            throw (New-SimError -Message ($text + ' is already a member of group ' + $target.Name + '.') -ErrorId 'MemberExists,Microsoft.PowerShell.Commands.AddLocalGroupMemberCommand' -Category 'ResourceExists')
        }
        if ($PSCmdlet.ShouldProcess($target.Name, 'Add member ' + $text)) {
            $display = Resolve-SimSidName -Sid $sid
            if ($null -eq $display) {
                $display = $text
            }
            $target.Group.members = @(@($target.Group.members | Where-Object { $null -ne $_ }) + [ordered]@{ name = $display; sid = $sid })
            Register-SimChange -Area 'localGroup' -Target ($target.Name) -Detail ('+ ' + $display + ' (' + $sid + ')')
        }
    }
}
