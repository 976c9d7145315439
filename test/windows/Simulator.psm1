<#
The simulated Windows host: state, change log, command availability per OS profile, and the
provider and type registries the stubs plug into. Stubs (stubs/*.ps1) are dot-sourced into the
global scope next to this module, so a generated script finds them before any real cmdlet.
State lives in $global:SimState (see README.md for its keys); every stub that changes it calls
Register-SimChange, so a test can assert that a run changed nothing.
#>
# Strict mode stays off here: stubs read state keys that may be absent, and see $null for them.

$script:Providers = @{}
$script:Types = @{}

function Get-SimState {
    return $global:SimState
}

function ConvertTo-SimTable {
    <# JSON values as the stubs read them: every object a case-insensitive hashtable (as @{} is), every array an object[]. #>
    param($Value)
    if ($Value -is [System.Collections.IDictionary]) {
        $table = @{}
        foreach ($key in @($Value.Keys)) {
            $table[[string]$key] = ConvertTo-SimTable -Value $Value[$key]
        }
        return $table
    }
    if (($Value -is [System.Collections.IList]) -and ($Value -isnot [string])) {
        $items = New-Object -TypeName 'System.Collections.Generic.List[object]'
        foreach ($item in $Value) {
            $items.Add((ConvertTo-SimTable -Value $item))
        }
        return , $items.ToArray()
    }
    return $Value
}

function Initialize-SimState {
    <#
    Loads the state (a hashtable, a JSON text or the path of a JSON file) into $global:SimState as a
    deep, case-insensitive copy, reads the host's OS profile (profiles/<host.os>.json) into
    $global:SimProfile, and starts the change log ($global:SimState.changes) and the call log
    ($global:SimCalls: every stub call with its bound arguments).
    #>
    param([Parameter(Mandatory = $true)]$State)
    $json = $State
    if ($State -isnot [string]) {
        $json = $State | ConvertTo-Json -Depth 64 -Compress
    }
    elseif (Test-Path -LiteralPath $State) {
        $json = Get-Content -LiteralPath $State -Raw
    }
    $global:SimState = ConvertTo-SimTable -Value (ConvertFrom-Json -InputObject $json -AsHashtable -Depth 64)
    foreach ($key in @('host', 'services', 'wsman', 'registry', 'firewall', 'certificates', 'network', 'remote', 'accounts', 'localGroups', 'kerberos', 'secrets', 'prefixPolicies', 'executionPolicy', 'directory', 'sessionConfigurations', 'groupPolicy')) {
        if (-not $global:SimState.ContainsKey($key) -or ($null -eq $global:SimState[$key])) {
            $global:SimState[$key] = @{}
        }
    }
    $global:SimState.changes = New-Object -TypeName 'System.Collections.Generic.List[object]'
    $global:SimState.calls = New-Object -TypeName 'System.Collections.Generic.List[string]'
    $global:SimState.failingCall = $null
    $global:SimState.lastError = $null
    $global:SimCalls = New-Object -TypeName 'System.Collections.Generic.List[object]'
    $profilePath = Join-Path -Path $PSScriptRoot -ChildPath ('profiles/' + [string]$global:SimState.host.os + '.json')
    if (-not (Test-Path -LiteralPath $profilePath)) {
        throw ('No OS profile ''' + [string]$global:SimState.host.os + ''' in test/windows/profiles/ for host ''' + [string]$global:SimState.host.fqdn + ''' (state keys: ' + (@($global:SimState.Keys) -join ', ') + ').')
    }
    $global:SimProfile = ConvertTo-SimTable -Value (ConvertFrom-Json -InputObject (Get-Content -LiteralPath $profilePath -Raw) -AsHashtable)
    # The Windows PowerShell the host runs (host.psVersion): profiles/powershell-<version>.json lists
    # what that version lacks; 5.1 has no profile (the stubs are written from the 5.1 reference).
    $global:SimPowerShell = $null
    $psVersion = [string]$global:SimState.host.psVersion
    if (($psVersion -ne '') -and ($psVersion -ne '5.1')) {
        $psProfilePath = Join-Path -Path $PSScriptRoot -ChildPath ('profiles/powershell-' + $psVersion + '.json')
        if (-not (Test-Path -LiteralPath $psProfilePath)) {
            throw ('No PowerShell profile ''' + $psVersion + ''' in test/windows/profiles/ for host ''' + [string]$global:SimState.host.fqdn + '''.')
        }
        $global:SimPowerShell = ConvertTo-SimTable -Value (ConvertFrom-Json -InputObject (Get-Content -LiteralPath $psProfilePath -Raw) -AsHashtable)
    }
}

function Register-SimChange {
    <# Appends one state change to the change log ($global:SimState.changes). #>
    param(
        [Parameter(Mandatory = $true)][string]$Area,
        [Parameter(Mandatory = $true)][string]$Target,
        [AllowEmptyString()][string]$Detail = ''
    )
    $global:SimState.changes.Add([pscustomobject]@{ area = $Area; target = $Target; detail = $Detail })
    # IIS and Exchange's virtual directory settings live in applicationHost.config: a write there is
    # the file's new LastWriteTime (iis.configWritten, the host's clock); an app pool recycle is not.
    if ((($Area -eq 'iis') -and ($Target -notlike 'application pool *')) -or ($Area -eq 'exchange')) {
        if ($global:SimState.iis -is [System.Collections.IDictionary]) {
            $global:SimState.iis['configWritten'] = [string]$global:SimState.host.now
        }
    }
}

function Register-SimCall {
    <# Records a stub call (name and bound parameters) so a failure can name the call that threw. #>
    param([Parameter(Mandatory = $true)][string]$Name, $Arguments)
    $text = @()
    $copy = @{}
    if ($Arguments -is [System.Collections.IDictionary]) {
        foreach ($key in @($Arguments.Keys)) {
            if ($null -eq $key) {
                continue
            }
            $value = $Arguments[$key]
            $copy[[string]$key] = $value
            if ($value -is [System.Collections.IDictionary]) {
                $value = '@{' + (@(foreach ($k in $value.Keys) { [string]$k + '=' + [string]$value[$k] }) -join '; ') + '}'
            }
            elseif (($value -is [array]) -or ($value -is [System.Collections.IList])) {
                $value = (@($value) -join ',')
            }
            $text += ('-' + $key + ' ' + [string]$value)
        }
    }
    elseif ($null -ne $Arguments) {
        $copy['args'] = (@($Arguments) -join ' ')
        $text += $copy['args']
    }
    $global:SimCurrentCall = ($Name + ' ' + ($text -join ' ')).Trim()
    $global:SimState.calls.Add($global:SimCurrentCall)
    $global:SimCalls.Add([pscustomobject]@{ name = $Name; arguments = $copy; text = $global:SimCurrentCall })
}

function Get-SimProfile {
    return $global:SimProfile
}

function Test-SimCommandAvailable {
    param([Parameter(Mandatory = $true)][string]$Name)
    $profile = $global:SimProfile
    if ($null -eq $profile) {
        return $true
    }
    foreach ($missing in @($profile.missingCommands)) {
        if ($missing -eq $Name) {
            return $false
        }
    }
    foreach ($missing in @($global:SimState.host.missingCommands)) {
        if ($missing -eq $Name) {
            return $false
        }
    }
    if ($null -ne $global:SimPowerShell) {
        foreach ($missing in @($global:SimPowerShell.missingCommands)) {
            if ($missing -eq $Name) {
                return $false
            }
        }
    }
    return $true
}

function Get-SimMissingParameter {
    <# The first bound parameter the host's Windows PowerShell version lacks for this command, or $null. #>
    param([Parameter(Mandatory = $true)][string]$Name, $Arguments)
    if (($null -eq $global:SimPowerShell) -or ($Arguments -isnot [System.Collections.IDictionary])) {
        return $null
    }
    $table = $global:SimPowerShell.missingParameters
    if (($null -eq $table) -or (-not $table.ContainsKey($Name))) {
        return $null
    }
    foreach ($parameter in @($table[$Name])) {
        if (@($Arguments.Keys) -contains $parameter) {
            return $parameter
        }
    }
    return $null
}

function Test-SimCommand {
    <# Whether the host's OS profile has the command (native sub-commands are named as 'klist.exe get'). #>
    param([Parameter(Mandatory = $true)][string]$Name)
    return (Test-SimCommandAvailable -Name $Name)
}

function New-SimCommandNotFound {
    param([Parameter(Mandatory = $true)][string]$Name)
    $message = "The term '" + $Name + "' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again."
    $exception = New-Object -TypeName 'System.Management.Automation.CommandNotFoundException' -ArgumentList $message
    return New-Object -TypeName 'System.Management.Automation.ErrorRecord' -ArgumentList @($exception, 'CommandNotFoundException', [System.Management.Automation.ErrorCategory]::ObjectNotFound, $Name)
}

function Assert-SimCommand {
    <#
    First statement of every stub: throws what Windows PowerShell throws for an unknown command
    when the host's OS profile lacks it, and records the call otherwise.
    #>
    param([Parameter(Mandatory = $true)][string]$Name, $Arguments)
    Register-SimCall -Name $Name -Arguments $Arguments
    if (-not (Test-SimCommandAvailable -Name $Name)) {
        $global:SimState.failingCall = $global:SimCurrentCall + ' (not on ' + $global:SimState.host.os + ' with Windows PowerShell ' + [string]$global:SimState.host.psVersion + ')'
        throw (New-SimCommandNotFound -Name $Name)
    }
    $parameter = Get-SimMissingParameter -Name $Name -Arguments $Arguments
    if ($null -ne $parameter) {
        # What parameter binding says on Windows for a name the cmdlet of that version does not have.
        $global:SimState.failingCall = $global:SimCurrentCall + ' (-' + $parameter + ' is not in Windows PowerShell ' + [string]$global:SimState.host.psVersion + ')'
        $exception = New-Object -TypeName 'System.Management.Automation.ParameterBindingException' -ArgumentList ("A parameter cannot be found that matches parameter name '" + $parameter + "'.")
        throw (New-Object -TypeName 'System.Management.Automation.ErrorRecord' -ArgumentList @($exception, ('NamedParameterNotFound,' + $Name), [System.Management.Automation.ErrorCategory]::InvalidArgument, $parameter))
    }
}

function New-SimError {
    <#
    An ErrorRecord as the real command reports it. Stubs throw it ($PSCmdlet.ThrowTerminatingError
    or throw); the first one of a run is kept as the failing call unless it is caught by -ErrorAction.
    #>
    param(
        [Parameter(Mandatory = $true)][string]$Message,
        [string]$ErrorId = 'SimulatedError',
        [System.Management.Automation.ErrorCategory]$Category = [System.Management.Automation.ErrorCategory]::InvalidOperation,
        [string]$ExceptionType = 'System.InvalidOperationException',
        $Target = $null
    )
    $exception = New-Object -TypeName $ExceptionType -ArgumentList $Message
    $record = New-Object -TypeName 'System.Management.Automation.ErrorRecord' -ArgumentList @($exception, $ErrorId, $Category, $Target)
    if ($null -ne $global:SimState) {
        $global:SimState.lastError = [ordered]@{ call = $global:SimCurrentCall; message = $Message }
    }
    return $record
}

function Set-SimExitCode {
    <# Native stubs set $LASTEXITCODE through this, marked so the runner can tell it from a script's own exit code. #>
    param([Parameter(Mandatory = $true)][int]$Code)
    $global:LASTEXITCODE = $Code | Add-Member -NotePropertyName 'SimNative' -NotePropertyValue $true -PassThru
}

function Register-SimProvider {
    <#
    Handlers for one drive (WSMan, HKLM, Cert, IIS, AD): GetItem, SetItem, TestPath, GetChildItem, NewItem,
    RemoveItem, GetItemProperty, NewItemProperty, SetItemProperty. Each gets the full path ('WSMan:\localhost\...',
    backslashes, no trailing one) and a hashtable of the bound parameters.
    #>
    param(
        [Parameter(Mandatory = $true)][string]$Drive,
        [Parameter(Mandatory = $true)][hashtable]$Handlers
    )
    $script:Providers[$Drive.ToUpperInvariant()] = $Handlers
}

function Resolve-SimProvider {
    <# The drive's handlers and the path below the drive, or $null for a path the real cmdlets handle. #>
    param([AllowNull()][string]$Path)
    if ([string]::IsNullOrEmpty($Path)) {
        return $null
    }
    $text = $Path
    if ($text -match '^(?:Microsoft\.PowerShell\.Core\\)?(?:[A-Za-z]+::)?([A-Za-z]+):(.*)$') {
        $drive = $Matches[1].ToUpperInvariant()
        $rest = $Matches[2]
        if ($drive -eq 'HKEY_LOCAL_MACHINE') {
            $drive = 'HKLM'
        }
        if ($script:Providers.ContainsKey($drive)) {
            $rest = ($rest -replace '/', '\').Trim('\')
            $driveName = $Matches[1]
            if ($drive -eq 'HKLM') {
                $driveName = 'HKLM'
            }
            return [pscustomobject]@{ Drive = $drive; Path = $rest; Handlers = $script:Providers[$drive]; FullPath = ($driveName + ':\' + $rest) }
        }
    }
    return $null
}

function Invoke-SimProvider {
    param(
        [Parameter(Mandatory = $true)]$Resolved,
        [Parameter(Mandatory = $true)][string]$Operation,
        [hashtable]$Parameters = @{}
    )
    $handler = $Resolved.Handlers[$Operation]
    if ($null -eq $handler) {
        throw (New-SimError -Message ('The ' + $Resolved.Drive + ' provider does not support ' + $Operation + ' (' + $Resolved.FullPath + ').') -ErrorId 'NotSupported' -ExceptionType 'System.Management.Automation.PSNotSupportedException')
    }
    return & $handler $Resolved.FullPath $Parameters
}

function Register-SimType {
    <# A factory for a Windows-only .NET or COM type that New-Object creates in the scripts. #>
    param(
        [Parameter(Mandatory = $true)][string]$TypeName,
        [Parameter(Mandatory = $true)][scriptblock]$Factory
    )
    $script:Types[$TypeName.ToLowerInvariant()] = $Factory
}

function Get-SimTypeFactory {
    param([Parameter(Mandatory = $true)][string]$TypeName)
    $key = $TypeName.ToLowerInvariant()
    if ($key.StartsWith('system.')) {
        $short = $key
    }
    else {
        $short = 'system.' + $key
    }
    if ($script:Types.ContainsKey($key)) {
        return $script:Types[$key]
    }
    if ($script:Types.ContainsKey($short)) {
        return $script:Types[$short]
    }
    return $null
}

function Register-SimTypeAccelerator {
    <#
    Makes a type name resolve to a simulator type, process-wide: a type accelerator, and the name
    forgotten from PowerShell's type cache, where a name resolved before the accelerator existed (by
    the process that hosts the simulator, or by a stub loaded earlier) would keep the real type.
    #>
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][type]$Type
    )
    $accelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')
    if (-not $accelerators::Get.ContainsKey($Name)) {
        $accelerators::Add($Name, $Type)
    }
    $typeCache = [psobject].Assembly.GetType('System.Management.Automation.Language.TypeCache').GetField('s_cache', [System.Reflection.BindingFlags]'NonPublic,Static').GetValue($null)
    foreach ($key in @($typeCache.Keys)) {
        if ($key.Item1.Name -eq $Name) {
            $forgotten = $null
            $null = $typeCache.TryRemove($key, [ref]$forgotten)
        }
    }
}

function ConvertTo-SimDate {
    <# A date of the state (ISO 8601 text) as the stubs return it: parsed culture-independently, in UTC. #>
    param([Parameter(Mandatory = $true)][string]$Text)
    return [datetime]::Parse($Text, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AdjustToUniversal)
}

function Get-SimValue {
    <# Case-insensitive lookup in a hashtable from ConvertFrom-Json -AsHashtable. #>
    param($Table, [Parameter(Mandatory = $true)][string]$Key)
    if ($null -eq $Table) {
        return $null
    }
    foreach ($k in @($Table.Keys)) {
        if ([string]$k -ieq $Key) {
            return $Table[$k]
        }
    }
    return $null
}

function Get-SimKey {
    <# The existing key of a hashtable that matches case-insensitively, or $null. #>
    param($Table, [Parameter(Mandatory = $true)][string]$Key)
    foreach ($k in @($Table.Keys)) {
        if ([string]$k -ieq $Key) {
            return [string]$k
        }
    }
    return $null
}

function Test-SimOsAtLeast {
    <# The host's OS profile rank against a profile name (windows-server-2016 ...). #>
    param([Parameter(Mandatory = $true)][string]$Os)
    $order = @('windows-server-2008-r2', 'windows-server-2012', 'windows-server-2012-r2', 'windows-server-2016', 'windows-server-2019', 'windows-server-2022', 'windows-server-2025')
    return ([array]::IndexOf($order, [string]$global:SimState.host.os) -ge [array]::IndexOf($order, $Os))
}

Export-ModuleMember -Function @(
    'Get-SimState', 'ConvertTo-SimTable', 'Initialize-SimState', 'Get-SimMissingParameter', 'Test-SimCommand', 'Register-SimChange', 'Register-SimCall', 'Get-SimProfile', 'Test-SimCommandAvailable',
    'New-SimCommandNotFound', 'Assert-SimCommand', 'New-SimError', 'Set-SimExitCode', 'Register-SimProvider',
    'Resolve-SimProvider', 'Invoke-SimProvider', 'Register-SimType', 'Get-SimTypeFactory', 'Get-SimValue',
    'Get-SimKey', 'Test-SimOsAtLeast', 'Register-SimTypeAccelerator', 'ConvertTo-SimDate'
)
