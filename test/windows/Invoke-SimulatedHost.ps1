<#
.SYNOPSIS
Runs one script, unmodified, against the simulated Windows host described by a JSON state.

.DESCRIPTION
The first call of a process prepares a runspace (Simulator.psm1 and every stub, stubs/*.ps1, in its
global scope); each call then loads the state and the host's OS profile (profiles/<host.os>.json), sets the
environment a Windows host has ($env:COMPUTERNAME, ...), and runs the script with & and the given
arguments. It can be called many times from one pwsh process.

Returns one object: exitCode (what powershell.exe -File would return: the script's exit code,
1 after a terminating error, else 0), output (every line the script wrote, Write-Host,
warnings and errors included, in order), errors, changes (the state changes the stubs recorded),
state (the final state, changes and calls removed) and failingCall (the stub call that failed
first, with its arguments, or the command a terminating error came from).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][object]$State,
    [Parameter(Mandatory = $true)][string]$Script,
    [hashtable]$ScriptArguments = @{}
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = $PSScriptRoot
if ($State -is [string]) {
    if (Test-Path -LiteralPath $State) {
        $stateJson = Get-Content -LiteralPath $State -Raw
    }
    else {
        $stateJson = $State
    }
}
else {
    $stateJson = $State | ConvertTo-Json -Depth 64 -Compress
}

function ConvertTo-SimNonStrictSource {
    <#
    A stub file's text with Set-StrictMode -Off at the start of every function body and script block
    (after its param block, or at the start of each begin/process/end block). Strict mode is inherited
    from the caller, and generated scripts run under Set-StrictMode -Version Latest: a stub reading a
    state key that is absent must see $null, as the real cmdlets never fail on our state's shape.
    #>
    param([Parameter(Mandatory = $true)][string]$Path)
    $tokens = $null
    $parseErrors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$parseErrors)
    if ($parseErrors.Count -gt 0) {
        throw ('Stub ' + $Path + ' does not parse: ' + $parseErrors[0].Message + ' at line ' + $parseErrors[0].Extent.StartLineNumber)
    }
    $text = $ast.Extent.Text
    $offsets = New-Object -TypeName 'System.Collections.Generic.List[int]'
    foreach ($block in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.ScriptBlockAst] }, $true)) {
        if ($null -eq $block.Parent) {
            continue
        }
        $named = @($block.BeginBlock, $block.ProcessBlock, $block.EndBlock) | Where-Object { ($null -ne $_) -and (-not $_.Unnamed) }
        if (@($named).Count -gt 0) {
            foreach ($one in $named) {
                $offsets.Add($one.Extent.Text.IndexOf('{') + $one.Extent.StartOffset + 1)
            }
        }
        elseif ($null -ne $block.ParamBlock) {
            $offsets.Add($block.ParamBlock.Extent.EndOffset)
        }
        else {
            $offsets.Add($block.Extent.StartOffset + 1)
        }
    }
    foreach ($offset in @($offsets | Sort-Object -Descending -Unique)) {
        $text = $text.Insert($offset - $ast.Extent.StartOffset, ' Set-StrictMode -Off; ')
    }
    return $text
}

if ($null -eq (Get-Variable -Name 'SimStubSources' -Scope 'Global' -ErrorAction 'SilentlyContinue')) {
    $global:SimStubSources = @(foreach ($file in @(Get-ChildItem -LiteralPath (Join-Path -Path $root -ChildPath 'stubs') -Filter '*.ps1' | Sort-Object -Property 'Name')) {
            [pscustomobject]@{ Name = $file.Name; Text = (ConvertTo-SimNonStrictSource -Path $file.FullName) }
        })
}

# One runspace per process, prepared once (module and stubs loaded), then reused: every call starts
# from Initialize-SimState, and nothing else in it carries state (the stubs keep theirs in
# $global:SimState; their other globals are constants). Loading the stubs costs about a second; a
# run costs tens of milliseconds.
$runspace = $null
$cached = Get-Variable -Name 'SimRunspace' -Scope 'Global' -ErrorAction 'SilentlyContinue'
if (($null -ne $cached) -and ($null -ne $cached.Value) -and ($cached.Value.RunspaceStateInfo.State -eq 'Opened')) {
    $runspace = $cached.Value
}
else {
    # The host answers -Confirm prompts (declining those host.declineConfirm names); [Environment]
    # reads the state's process facts (SimHost.cs).
    if (-not ('WinrmForgeSim.SimHost' -as [type])) {
        Add-Type -Path (Join-Path -Path $root -ChildPath 'SimHost.cs')
    }
    # This process resolved System.Environment long before: Register-SimTypeAccelerator also makes it forget that.
    Import-Module -Name (Join-Path -Path $root -ChildPath 'Simulator.psm1') -Function 'Register-SimTypeAccelerator' -DisableNameChecking
    foreach ($name in @('Environment', 'System.Environment')) {
        Register-SimTypeAccelerator -Name $name -Type ([WinrmForgeSim.SimEnvironment])
    }
    if (('Environment' -as [type]) -ne [WinrmForgeSim.SimEnvironment]) {
        throw 'The simulated host cannot stand in for [Environment] in this PowerShell version.'
    }
    $runspace = [runspacefactory]::CreateRunspace([WinrmForgeSim.SimHost]::new())
    $runspace.Open()
    $prepare = [powershell]::Create()
    $prepare.Runspace = $runspace
    $null = $prepare.AddScript({
            param($Root, $Stubs)
            Set-StrictMode -Off
            Import-Module -Name (Join-Path -Path $Root -ChildPath 'Simulator.psm1') -Global -Force -DisableNameChecking
            foreach ($stub in $Stubs) {
                . ([scriptblock]::Create($stub.Text))
            }
        }.ToString()).AddArgument($root).AddArgument($global:SimStubSources)
    $null = $prepare.Invoke()
    if ($prepare.Streams.Error.Count -gt 0) {
        $message = $prepare.Streams.Error[0].ToString()
        $prepare.Dispose()
        $runspace.Dispose()
        throw ('The simulated host failed to load its stubs: ' + $message)
    }
    $prepare.Dispose()
    $global:SimRunspace = $runspace
}
# A host below Windows PowerShell 5.1 reads the script with its own, older parser and command set:
# the down-level gate finds what that version lacks before anything runs, and the run fails there as
# it would on Windows (a parse error, or the first command or parameter the version does not have).
$psVersion = [string](ConvertFrom-Json -InputObject $stateJson -AsHashtable -Depth 64)['host']['psVersion']
if (($psVersion -ne '') -and ($psVersion -ne '5.1')) {
    $gate = & (Join-Path -Path $root -ChildPath '../powershell/downlevel-gate.ps1') -Request @{ files = @(@{ path = (Resolve-Path -LiteralPath $Script).Path; version = $psVersion }) }
    if ($gate.problems.Count -gt 0) {
        $found = @($gate.problems.Values | ForEach-Object { $_ })
        return [pscustomobject]@{
            exitCode    = 1
            output      = @($found | ForEach-Object { 'ERROR: not in Windows PowerShell ' + $psVersion + ': ' + $_ })
            errors      = $found
            changes     = @()
            calls       = @()
            prompts     = @()
            state       = (ConvertFrom-Json -InputObject $stateJson -AsHashtable -Depth 64)
            failingCall = [ordered]@{ command = (($found[0] -split ' ')[1]); call = ''; arguments = $null; message = ('not in Windows PowerShell ' + $psVersion + ': ' + $found[0]); line = ''; script = (Resolve-Path -LiteralPath $Script).Path; lineNumber = [int](($found[0] -split ':')[0]) }
        }
    }
}

$shell = [powershell]::Create()
$shell.Runspace = $runspace
try {
    $runner = {
        param($Root, $StateJson, $Stubs, $ScriptPath, $Arguments)
        Set-StrictMode -Off
        Initialize-SimState -State $StateJson
        [WinrmForgeSim.WindowsIdentity]::Elevated = ($global:SimState.host.elevated -ne $false)
        [WinrmForgeSim.WindowsIdentity]::CurrentName = [string]$global:SimState.host.netbios + '\Administrator'
        # Left by an earlier run: modules Import-PSSession made, the remote-session marker.
        Get-Module -Name 'tmp_*' | Remove-Module -Force
        Remove-Variable -Name 'PSSenderInfo' -Scope 'Global' -ErrorAction 'SilentlyContinue'
        if ([bool]$global:SimState.host.remoteSession) {
            $global:PSSenderInfo = [pscustomobject]@{ ConnectedUser = 'remote'; UserInfo = [pscustomobject]@{ Identity = [pscustomobject]@{ Name = 'remote' } } }
        }
        [WinrmForgeSim.SimHost]::Decline.Clear()
        [WinrmForgeSim.SimHost]::Prompts.Clear()
        foreach ($pattern in @($global:SimState.host.declineConfirm)) {
            if ($null -ne $pattern) {
                [WinrmForgeSim.SimHost]::Decline.Add([string]$pattern)
            }
        }
        [WinrmForgeSim.SimEnvironment]::Is64BitProcessValue = ($null -eq $global:SimState.host.is64BitProcess) -or [bool]$global:SimState.host.is64BitProcess
        [WinrmForgeSim.SimEnvironment]::Is64BitOperatingSystemValue = ($null -eq $global:SimState.host.is64BitOperatingSystem) -or [bool]$global:SimState.host.is64BitOperatingSystem
        # WOW64 sets PROCESSOR_ARCHITEW6432 in a 32-bit process on 64-bit Windows only (what 2.0 scripts read).
        if ([WinrmForgeSim.SimEnvironment]::Is64BitOperatingSystemValue -and (-not [WinrmForgeSim.SimEnvironment]::Is64BitProcessValue)) {
            $env:PROCESSOR_ARCHITEW6432 = 'AMD64'
        }
        else {
            Remove-Item -Path 'Env:PROCESSOR_ARCHITEW6432' -ErrorAction 'SilentlyContinue'
        }
        $env:COMPUTERNAME = [string]$global:SimState.host.computerName
        $env:USERDNSDOMAIN = ([string]$global:SimState.host.domain).ToUpperInvariant()
        $env:USERDOMAIN = [string]$global:SimState.host.netbios
        $global:LASTEXITCODE = 0
        $exitCode = 0
        $errors = New-Object -TypeName 'System.Collections.Generic.List[string]'
        $lines = New-Object -TypeName 'System.Collections.Generic.List[string]'
        $terminating = $null
        try {
            Push-Location -LiteralPath (Split-Path -Path $ScriptPath -Parent)
        & $ScriptPath @Arguments *>&1 | ForEach-Object {
                $item = $_
                if ($item -is [System.Management.Automation.ErrorRecord]) {
                    $lines.Add('ERROR: ' + $item.Exception.Message)
                    $errors.Add($item.Exception.Message)
                }
                elseif ($item -is [System.Management.Automation.WarningRecord]) {
                    $lines.Add('WARNING: ' + $item.Message)
                }
                elseif ($item -is [System.Management.Automation.VerboseRecord]) {
                    $lines.Add('VERBOSE: ' + $item.Message)
                }
                elseif ($item -is [System.Management.Automation.InformationRecord]) {
                    $lines.Add([string]$item.MessageData)
                }
                elseif ($item -is [System.Management.Automation.DebugRecord]) {
                }
                else {
                    $lines.Add([string]$item)
                }
            }
            $code = $global:LASTEXITCODE
            # A native stub's exit code is not the script's: powershell.exe -File returns 0 then.
            if (($null -ne $code) -and ($null -eq $code.PSObject.Properties['SimNative'])) {
                $exitCode = [int]$code
            }
        }
        catch {
            $terminating = $_
            $exitCode = 1
            $lines.Add('ERROR: ' + $_.Exception.Message)
            $errors.Add($_.Exception.Message)
        }
        finally {
            Pop-Location
        }
        # The failing call: a command the OS lacks, else the stub call whose error ended the script,
        # else (a failed check, a native tool's exit code) the last stub error of the run.
        $failing = $null
        if ($exitCode -ne 0) {
            $source = $null
            if ($null -ne $global:SimState.failingCall) {
                $source = [ordered]@{ text = [string]$global:SimState.failingCall; message = 'not on ' + [string]$global:SimState.host.os }
            }
            elseif (($null -ne $global:SimState.lastError) -and (($null -eq $terminating) -or ($terminating.Exception.Message -eq $global:SimState.lastError.message))) {
                $source = [ordered]@{ text = [string]$global:SimState.lastError.call; message = [string]$global:SimState.lastError.message }
            }
            $invocation = $null
            if ($null -ne $terminating) {
                $invocation = $terminating.InvocationInfo
            }
            $command = ''
            $arguments = $null
            if ($null -ne $source) {
                $command = ($source.text -split ' ')[0]
                foreach ($call in $global:SimCalls) {
                    if ($call.text -eq $source.text) {
                        $arguments = $call.arguments
                    }
                }
            }
            elseif (($null -ne $invocation) -and ($null -ne $invocation.MyCommand)) {
                $command = [string]$invocation.MyCommand.Name
            }
            $message = ''
            if ($null -ne $source) {
                $message = $source.message
            }
            elseif ($null -ne $terminating) {
                $message = $terminating.Exception.Message
            }
            $failing = [ordered]@{
                command    = $command
                call       = if ($null -ne $source) { $source.text } else { '' }
                arguments  = $arguments
                message    = $message
                line       = if ($null -ne $invocation) { ([string]$invocation.Line).Trim() } else { '' }
                script     = if ($null -ne $invocation) { [string]$invocation.ScriptName } else { '' }
                lineNumber = if ($null -ne $invocation) { $invocation.ScriptLineNumber } else { 0 }
            }
        }
        $changes = $global:SimState.changes.ToArray()
        $calls = $global:SimState.calls.ToArray()
        $global:SimState.Remove('calls')
        $global:SimState.Remove('failingCall')
        $global:SimState.Remove('lastError')
        return [pscustomobject]@{
            exitCode    = $exitCode
            output      = @($lines)
            errors      = @($errors)
            changes     = $changes
            calls       = $calls
            prompts     = @([WinrmForgeSim.SimHost]::Prompts)
            state       = $global:SimState
            failingCall = $failing
        }
    }
    $null = $shell.AddScript($runner.ToString()).AddArgument($root).AddArgument($stateJson).AddArgument($global:SimStubSources).AddArgument((Resolve-Path -LiteralPath $Script).Path).AddArgument($ScriptArguments)
    $result = $shell.Invoke()
    if ($shell.Streams.Error.Count -gt 0 -and $result.Count -eq 0) {
        throw ('The simulated host failed to start: ' + $shell.Streams.Error[0].ToString())
    }
    return $result[0]
}
finally {
    $shell.Dispose()
}
