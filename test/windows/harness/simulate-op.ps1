# One request of the TypeScript harness (test/windows/harness/simulator.ts), served by the
# long-lived pwsh of test/helpers/pwsh.ts: runs one generated script against the simulated host.
# Request: { state: <state>, script: <absolute path>, scriptArguments: { WhatIf: true, ... } }.
param([Parameter(Mandatory = $true)][hashtable]$Request)
$arguments = @{}
if ($Request.ContainsKey('scriptArguments') -and $null -ne $Request.scriptArguments) {
    foreach ($k in $Request.scriptArguments.Keys) { $arguments[$k] = $Request.scriptArguments[$k] }
}
$result = & (Join-Path -Path (Split-Path -Path $PSScriptRoot -Parent) -ChildPath 'Invoke-SimulatedHost.ps1') -State $Request.state -Script $Request.script -ScriptArguments $arguments
return [ordered]@{
    exitCode    = $result.exitCode
    output      = @($result.output)
    errors      = @($result.errors)
    changes     = @($result.changes)
    state       = $result.state
    failingCall = $result.failingCall
    prompts     = @($result.prompts)
}
