# The item cmdlets (Get-Item, Set-Item, Test-Path, Get-ChildItem, New-Item, Remove-Item,
# Get-ItemProperty, New-ItemProperty, Set-ItemProperty), New-Object and Get-Command, shadowed.
# Each parameter block is the real cmdlet's own metadata (the names and sets of Windows
# PowerShell 5.1's reference pages), plus the documented provider dynamic parameters
# (about_WSMan_Provider, about_Certificate_Provider). A path on a drive registered with
# Register-SimProvider goes to that drive's handler; any other path goes to the real cmdlet.
# Defined in the global scope so the calling script's preference variables apply.

foreach ($simCmdletName in (Get-SimItemCmdlet).Keys) {
    $simMetadata = [System.Management.Automation.CommandMetadata]::new((Microsoft.PowerShell.Core\Get-Command -Name ('Microsoft.PowerShell.Management\' + $simCmdletName) -CommandType Cmdlet))
    $simParamBlock = [System.Management.Automation.ProxyCommand]::GetParamBlock($simMetadata)
    $simExtra = Get-SimDynamicParameterBlock -Cmdlet $simCmdletName
    if ($simExtra) { $simParamBlock = $simParamBlock + ",`n" + $simExtra }
    $simBody = @"
# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/$simCmdletName.md
$([System.Management.Automation.ProxyCommand]::GetCmdletBindingAttribute($simMetadata))
param($simParamBlock)
`$bound = @{} + `$PSBoundParameters
Assert-SimCommand -Name '$simCmdletName'
`$target = Resolve-SimItemDrive -Cmdlet '$simCmdletName' -Bound `$bound
if (`$null -eq `$target.Drive) {
    Microsoft.PowerShell.Management\$simCmdletName @bound
    return
}
foreach (`$p in `$target.Paths) {
    try { Invoke-SimProvider -Drive `$target.Drive -Operation '$((Get-SimItemCmdlet)[$simCmdletName])' -Path ([string]`$p) -Bound `$bound }
    catch {
        if (`$_.Exception -is [System.Management.Automation.ItemNotFoundException] -or `$_.Exception -is [System.Management.Automation.PSArgumentException]) { `$PSCmdlet.WriteError(`$_) }
        else { `$PSCmdlet.ThrowTerminatingError(`$_) }
    }
}
"@
    Set-Item -Path ('function:global:' + $simCmdletName) -Value ([scriptblock]::Create($simBody))
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Utility/New-Object.md
function global:New-Object {
    [CmdletBinding(DefaultParameterSetName = 'Net')]
    param(
        [Parameter(ParameterSetName = 'Net', Mandatory = $true, Position = 0)][string]$TypeName,
        [Parameter(ParameterSetName = 'Net', Position = 1)][Alias('Args')][object[]]$ArgumentList,
        [Parameter(ParameterSetName = 'Com', Mandatory = $true, Position = 0)][string]$ComObject,
        [Parameter(ParameterSetName = 'Com')][switch]$Strict,
        [System.Collections.IDictionary]$Property
    )
    $key = if ($PSCmdlet.ParameterSetName -eq 'Com') { $ComObject } else { $TypeName }
    $object = New-SimObject -Key $key -ArgumentList $ArgumentList
    if ($null -ne $object) {
        if ($null -ne $Property) { foreach ($k in $Property.Keys) { $object.$k = $Property[$k] } }
        return $object
    }
    if ($PSCmdlet.ParameterSetName -eq 'Com') {
        $ex = [System.Runtime.InteropServices.COMException]::new("Retrieving the COM class factory for component with CLSID for $ComObject failed: the simulated host has no such COM object.")
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($ex, 'NoCOMClassIdentified', [System.Management.Automation.ErrorCategory]::ResourceUnavailable, $ComObject))
    }
    Microsoft.PowerShell.Utility\New-Object @PSBoundParameters
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Core/Get-Command.md
# Reports a stub as missing when the host's OS profile lacks it, as Windows would.
$simMetadata = [System.Management.Automation.CommandMetadata]::new((Microsoft.PowerShell.Core\Get-Command -Name 'Microsoft.PowerShell.Core\Get-Command' -CommandType Cmdlet))
$simBody = @"
$([System.Management.Automation.ProxyCommand]::GetCmdletBindingAttribute($simMetadata))
param($([System.Management.Automation.ProxyCommand]::GetParamBlock($simMetadata)))
`$bound = @{} + `$PSBoundParameters
if (`$bound.ContainsKey('Name')) {
    `$present = @()
    foreach (`$n in @(`$bound.Name)) {
        if (Test-SimCommand -Name ([string]`$n)) { `$present += `$n }
        else { `$PSCmdlet.WriteError((New-SimCommandNotFound -Name ([string]`$n))) }
    }
    if (`$present.Count -eq 0) { return }
    `$bound.Name = [string[]]`$present
}
Microsoft.PowerShell.Core\Get-Command @bound
"@
Set-Item -Path 'function:global:Get-Command' -Value ([scriptblock]::Create($simBody))
Remove-Variable -Name simMetadata, simBody, simParamBlock, simExtra, simCmdletName -ErrorAction SilentlyContinue
