# The HKLM: drive (the execution policy is in winrm.ps1).
# State: registry = { '<HKLM:\key>': { '<value name>': { type: 'DWord'|'String'|..., value } } }
# (key paths as the scripts write them, compared case-insensitively).

function Get-SimRegistryKey {
    param([Parameter(Mandatory = $true)][string]$Key, [switch]$Create)
    $normalized = 'HKLM:\' + (($Key -replace '^(?i)HKLM:\\?', '').Trim('\'))
    $found = Get-SimKey -Table $global:SimState.registry -Key $normalized
    if ($null -ne $found) {
        return $global:SimState.registry[$found]
    }
    if ($Create) {
        $global:SimState.registry[$normalized] = [ordered]@{}
        Register-SimChange -Area 'registry' -Target $normalized -Detail 'key created'
        return $global:SimState.registry[$normalized]
    }
    return $null
}

function Get-SimRegistryValue {
    <# A registry value's data, or $null when the key or value does not exist. #>
    param([Parameter(Mandatory = $true)][string]$Key, [Parameter(Mandatory = $true)][string]$Name)
    $table = Get-SimRegistryKey -Key $Key
    $entry = Get-SimValue -Table $table -Key $Name
    if ($null -eq $entry) {
        return $null
    }
    return $entry.value
}

function Set-SimRegistryValue {
    param([string]$Key, [string]$Name, $Value, [string]$Type)
    $table = Get-SimRegistryKey -Key $Key
    if ($null -eq $table) {
        throw (New-SimError -Message ("Cannot find path '" + $Key + "' because it does not exist.") -ErrorId 'PathNotFound' -Category 'ObjectNotFound' -ExceptionType 'System.Management.Automation.ItemNotFoundException')
    }
    $existingName = Get-SimKey -Table $table -Key $Name
    $data = $Value
    if (@('DWord', 'QWord') -contains $Type) {
        $data = [long]$Value
    }
    elseif (@('String', 'ExpandString') -contains $Type) {
        $data = [string]$Value
    }
    $before = '(none)'
    if ($null -ne $existingName) {
        $before = [string]$table[$existingName].value
        if (($before -ceq [string]$data) -and ([string]$table[$existingName].type -eq $Type)) {
            return
        }
        $table.Remove($existingName)
    }
    $table[$Name] = [ordered]@{ type = $Type; value = $data }
    Register-SimChange -Area 'registry' -Target ($Key + '\' + $Name) -Detail ($before + ' -> ' + [string]$data)
}

Register-SimProvider -Drive 'HKLM' -Handlers @{
    TestPath        = {
        param($Path, $Bound)
        $Path = $Path -replace '^[A-Za-z]+:\\?', ''
        return ($null -ne (Get-SimRegistryKey -Key $Path))
    }
    GetItem         = {
        param($Path, $Bound)
        $Path = $Path -replace '^[A-Za-z]+:\\?', ''
        $table = Get-SimRegistryKey -Key $Path
        if ($null -eq $table) {
            throw (New-SimError -Message ("Cannot find path 'HKLM:\" + $Path + "' because it does not exist.") -ErrorId 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand' -Category 'ObjectNotFound' -ExceptionType 'System.Management.Automation.ItemNotFoundException')
        }
        return [pscustomobject]@{ Name = ('HKEY_LOCAL_MACHINE\' + $Path); Property = @($table.Keys) }
    }
    NewItem         = {
        param($Path, $Bound)
        $Path = $Path -replace '^[A-Za-z]+:\\?', ''
        if (($null -ne (Get-SimRegistryKey -Key $Path)) -and (-not $Bound.ContainsKey('Force'))) {
            throw (New-SimError -Message 'A key at this path already exists.' -ErrorId 'System.IO.IOException,Microsoft.PowerShell.Commands.NewItemCommand' -Category 'ResourceExists')
        }
        $null = Get-SimRegistryKey -Key $Path -Create
        return [pscustomobject]@{ Name = ('HKEY_LOCAL_MACHINE\' + $Path) }
    }
    GetItemProperty = {
        param($Path, $Bound)
        $Path = $Path -replace '^[A-Za-z]+:\\?', ''
        $table = Get-SimRegistryKey -Key $Path
        if ($null -eq $table) {
            throw (New-SimError -Message ("Cannot find path 'HKLM:\" + $Path + "' because it does not exist.") -ErrorId 'PathNotFound,Microsoft.PowerShell.Commands.GetItemPropertyCommand' -Category 'ObjectNotFound' -ExceptionType 'System.Management.Automation.ItemNotFoundException')
        }
        $result = [ordered]@{}
        $names = @($table.Keys)
        if ($Bound.ContainsKey('Name')) {
            $names = @($Bound['Name'])
        }
        foreach ($name in $names) {
            $key = Get-SimKey -Table $table -Key $name
            if ($null -eq $key) {
                throw (New-SimError -Message ('Property ' + $name + ' does not exist at path HKEY_LOCAL_MACHINE\' + $Path + '.') -ErrorId 'System.Management.Automation.PSArgumentException,Microsoft.PowerShell.Commands.GetItemPropertyCommand' -Category 'InvalidArgument' -ExceptionType 'System.Management.Automation.PSArgumentException')
            }
            $result[$key] = $table[$key].value
        }
        $result['PSPath'] = 'Microsoft.PowerShell.Core\Registry::HKEY_LOCAL_MACHINE\' + $Path
        return [pscustomobject]$result
    }
    NewItemProperty = {
        param($Path, $Bound)
        $Path = $Path -replace '^[A-Za-z]+:\\?', ''
        $table = Get-SimRegistryKey -Key $Path
        $type = 'String'
        if ($Bound.ContainsKey('PropertyType')) {
            $type = [string]$Bound['PropertyType']
        }
        if (@('String', 'ExpandString', 'Binary', 'DWord', 'MultiString', 'QWord') -notcontains $type) {
            throw (New-SimError -Message ('The PropertyType ' + $type + ' is not a registry value kind.') -ErrorId 'ArgumentException')
        }
        if (($null -ne $table) -and ($null -ne (Get-SimKey -Table $table -Key $Bound['Name'])) -and (-not $Bound.ContainsKey('Force'))) {
            throw (New-SimError -Message 'The property already exists.' -ErrorId 'System.IO.IOException,Microsoft.PowerShell.Commands.NewItemPropertyCommand' -Category 'ResourceExists')
        }
        Set-SimRegistryValue -Key ('HKLM:\' + $Path) -Name $Bound['Name'] -Value $Bound['Value'] -Type $type
    }
    SetItemProperty = {
        param($Path, $Bound)
        $Path = $Path -replace '^[A-Za-z]+:\\?', ''
        $table = Get-SimRegistryKey -Key $Path
        $type = 'String'
        $existing = $null
        if ($null -ne $table) {
            $existing = Get-SimValue -Table $table -Key $Bound['Name']
        }
        if ($null -ne $existing) {
            $type = [string]$existing.type
        }
        elseif ($Bound['Value'] -is [int]) {
            $type = 'DWord'
        }
        if ($Bound.ContainsKey('Type')) {
            $type = [string]$Bound['Type']
        }
        Set-SimRegistryValue -Key ('HKLM:\' + $Path) -Name $Bound['Name'] -Value $Bound['Value'] -Type $type
    }
    RemoveItem      = {
        param($Path, $Bound)
        $Path = $Path -replace '^[A-Za-z]+:\\?', ''
        $normalized = 'HKLM:\' + $Path
        $found = Get-SimKey -Table $global:SimState.registry -Key $normalized
        if ($null -eq $found) {
            throw (New-SimError -Message ("Cannot find path '" + $normalized + "' because it does not exist.") -ErrorId 'PathNotFound' -Category 'ObjectNotFound' -ExceptionType 'System.Management.Automation.ItemNotFoundException')
        }
        $global:SimState.registry.Remove($found)
        Register-SimChange -Area 'registry' -Target $normalized -Detail 'key removed'
    }
}

function Set-SimLocalAccountTokenFilterPolicy {
    # Enable-PSRemoting on a server sets LocalAccountTokenFilterPolicy = 1 (remote administration by local accounts).
    $key = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System'
    $null = Get-SimRegistryKey -Key $key -Create
    Set-SimRegistryValue -Key $key -Name 'LocalAccountTokenFilterPolicy' -Value 1 -Type 'DWord'
}
