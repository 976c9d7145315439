<#
.SYNOPSIS
Runs one generated script, unmodified, against a simulated Windows host.

.DESCRIPTION
Creates a fresh runspace, imports Simulator.psm1 and every stub under stubs/, loads the state
(a hashtable or the path of a JSON file) and the OS profile it names, sets the host's
environment ($env:COMPUTERNAME, $env:USERDNSDOMAIN, $env:USERDOMAIN), runs
& $Script @ScriptArguments and returns one object:
exitCode, output (lines in order, Write-Host and warnings included), errors, changes,
state (final, changes included), failingCall (the first stub call that threw, with its arguments).
Callable any number of times from one pwsh process.
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
$stubFiles = @(Get-ChildItem -LiteralPath (Join-Path -Path $root -ChildPath 'stubs') -Filter '*.ps1' -File -ErrorAction SilentlyContinue | Sort-Object -Property Name | ForEach-Object { $_.FullName })

$runspace = [runspacefactory]::CreateRunspace([initialsessionstate]::CreateDefault())
$runspace.Open()
$ps = [powershell]::Create()
$ps.Runspace = $runspace
try {
    $bootstrap = {
        param($ModulePath, $StubFiles, $State, $Script, $ScriptArguments)
        Import-Module -Name $ModulePath -Global -DisableNameChecking
        Initialize-SimState -State $State
        foreach ($f in $StubFiles) { . $f }
        $h = $global:SimState.host
        $env:COMPUTERNAME = [string]$h.computerName
        $env:USERDNSDOMAIN = ([string]$h.domain).ToUpperInvariant()
        $env:USERDOMAIN = [string]$h.netbios
        if ($h.ContainsKey('remoteSession') -and $h.remoteSession) {
            $global:PSSenderInfo = [pscustomobject]@{ UserInfo = [pscustomobject]@{ Identity = [pscustomobject]@{ Name = 'remote' } }; ConnectedUser = 'remote' }
        }
        $global:LASTEXITCODE = 0
        $lines = [System.Collections.Generic.List[string]]::new()
        $errors = [System.Collections.Generic.List[string]]::new()
        $terminating = $null
        $scriptDirectory = Split-Path -Path $Script -Parent
        Push-Location -LiteralPath $scriptDirectory
        try {
            & $Script @ScriptArguments *>&1 | ForEach-Object {
                $record = $_
                if ($record -is [System.Management.Automation.ErrorRecord]) { $errors.Add([string]$record); $lines.Add('ERROR: ' + [string]$record) }
                elseif ($record -is [System.Management.Automation.WarningRecord]) { $lines.Add('WARNING: ' + $record.Message) }
                elseif ($record -is [System.Management.Automation.VerboseRecord]) { $lines.Add('VERBOSE: ' + $record.Message) }
                elseif ($record -is [System.Management.Automation.DebugRecord]) { }
                elseif ($record -is [System.Management.Automation.InformationRecord]) { $lines.Add([string]$record.MessageData) }
                else { foreach ($l in (($record | Out-String -Width 200).TrimEnd() -split "`r?`n")) { $lines.Add($l) } }
            }
        }
        catch {
            $terminating = $_
        }
        finally {
            Pop-Location
        }
        $exitCode = [int]$global:LASTEXITCODE
        $failingCall = $null
        if ($null -ne $terminating) {
            $exitCode = 1
            $errors.Add([string]$terminating)
            $lines.Add('ERROR: ' + [string]$terminating)
            $inv = $terminating.InvocationInfo
            $name = if ($null -ne $inv -and $null -ne $inv.MyCommand) { [string]$inv.MyCommand.Name } else { '' }
            $call = $null
            for ($i = $global:SimCalls.Count - 1; $i -ge 0; $i--) {
                if ($global:SimCalls[$i].name -eq $name) { $call = $global:SimCalls[$i]; break }
            }
            $failingCall = [ordered]@{
                command   = $name
                arguments = if ($null -ne $call) { $call.arguments } else { $null }
                message   = $terminating.Exception.Message
                line      = if ($null -ne $inv) { ([string]$inv.Line).Trim() } else { '' }
                script    = if ($null -ne $inv) { [string]$inv.ScriptName } else { '' }
                lineNumber = if ($null -ne $inv) { $inv.ScriptLineNumber } else { 0 }
            }
        }
        [pscustomobject][ordered]@{
            exitCode    = $exitCode
            output      = [string[]]$lines
            errors      = [string[]]$errors
            changes     = @($global:SimState.changes)
            state       = $global:SimState
            failingCall = $failingCall
        }
    }
    $null = $ps.AddScript($bootstrap.ToString(), $false).
        AddArgument((Join-Path -Path $root -ChildPath 'Simulator.psm1')).
        AddArgument($stubFiles).AddArgument($State).AddArgument((Resolve-Path -LiteralPath $Script).Path).AddArgument($ScriptArguments)
    $result = $ps.Invoke()
    if ($ps.HadErrors -and $result.Count -eq 0) {
        throw ('The simulated host failed to start: ' + (($ps.Streams.Error | ForEach-Object { [string]$_ }) -join '; '))
    }
    return $result[0]
}
finally {
    $ps.Dispose()
    $runspace.Dispose()
}
