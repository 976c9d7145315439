# Provider cmdlets, New-Object, Get-Command, Import-Module, Remove-Module and Get-Date for the
# simulated host. Provider paths (WSMan:, HKLM:, Cert:, IIS:, AD:) go to the handlers that the
# stubs register with Register-SimProvider; any other path goes to the real cmdlet.
# Parameters: only documented ones, as in the Windows PowerShell 5.1 reference; the provider's
# dynamic parameters (WSMan: New-Item -Transport ..., registry Set-ItemProperty -Type) are
# declared here too and refused on other drives.

function Invoke-SimFallthrough {
    param([Parameter(Mandatory = $true)][string]$Command, [Parameter(Mandatory = $true)][hashtable]$Parameters)
    $real = Microsoft.PowerShell.Core\Get-Command -Name ('Microsoft.PowerShell.Management\' + $Command) -CommandType 'Cmdlet'
    & $real @Parameters
}

function Get-SimProviderTarget {
    param($Path, $LiteralPath)
    $text = $LiteralPath
    if ($null -eq $text) {
        $text = $Path
    }
    $list = @($text)
    if ($list.Count -ne 1) {
        return $null
    }
    return Resolve-SimProvider -Path ([string]$list[0])
}

function Test-SimErrorActionSilent {
    param($Bound)
    if ($Bound.ContainsKey('ErrorAction')) {
        return @('SilentlyContinue', 'Ignore') -contains [string]$Bound['ErrorAction']
    }
    return $false
}

function Invoke-SimItemOperation {
    # Runs a provider handler; under -ErrorAction SilentlyContinue a failure returns nothing, as the real cmdlets do for non-terminating errors.
    param($Target, [string]$Operation, [hashtable]$Bound, $Cmdlet)
    try {
        return Invoke-SimProvider -Resolved $Target -Operation $Operation -Parameters $Bound
    }
    catch {
        if (Test-SimErrorActionSilent -Bound $Bound) {
            return $null
        }
        $Cmdlet.ThrowTerminatingError($_)
    }
}

function Invoke-SimItemCmdlet {
    # The body the provider cmdlet stubs share: a path outside the simulated drives ($Target $null)
    # goes to the real cmdlet; otherwise the call is recorded, confirmed through the stub's own
    # ShouldProcess when the cmdlet changes something ($Action), and handed to the drive's handler.
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][string]$Operation,
        [AllowNull()]$Target,
        [Parameter(Mandatory = $true)][hashtable]$Bound,
        [Parameter(Mandatory = $true)]$Cmdlet,
        [string]$Action = ''
    )
    if ($null -eq $Target) {
        Invoke-SimFallthrough -Command $Name -Parameters $Bound
        return
    }
    Register-SimCall -Name $Name -Arguments $Bound
    if (($Action -eq '') -or $Cmdlet.ShouldProcess($Target.FullPath, $Action)) {
        Invoke-SimItemOperation -Target $Target -Operation $Operation -Bound $Bound -Cmdlet $Cmdlet
    }
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/Get-Item.md
function Get-Item {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('PSPath')][string[]]$LiteralPath,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [switch]$Force,
        [pscredential]$Credential
    )
    $one = @(@($Path) + @($LiteralPath) | Where-Object { $null -ne $_ })
    if ((@($one).Count -eq 1) -and ([string]$one[0] -match '[\\/]system32[\\/]inetsrv[\\/]config[\\/]applicationHost\.config$')) {
        # IIS's configuration file: its write time is simulated (stubs/iis.ps1), its content is not.
        Register-SimCall -Name 'Get-Item' -Arguments $PSBoundParameters
        return (Get-SimIisConfigFile -Path ([string]$one[0]))
    }
    Invoke-SimItemCmdlet -Name 'Get-Item' -Operation 'GetItem' -Target (Get-SimProviderTarget -Path $Path -LiteralPath $LiteralPath) -Bound $PSBoundParameters -Cmdlet $PSCmdlet
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/Set-Item.md
function Set-Item {
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('PSPath')][string[]]$LiteralPath,
        [Parameter(Position = 1, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][AllowNull()][AllowEmptyString()][object]$Value,
        [switch]$Force,
        [switch]$PassThru,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [pscredential]$Credential
    )
    Invoke-SimItemCmdlet -Name 'Set-Item' -Operation 'SetItem' -Action 'Set Item' -Target (Get-SimProviderTarget -Path $Path -LiteralPath $LiteralPath) -Bound $PSBoundParameters -Cmdlet $PSCmdlet
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/Test-Path.md
function Test-Path {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    [OutputType([bool])]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('PSPath')][string[]]$LiteralPath,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [Alias('Type')][Microsoft.PowerShell.Commands.TestPathType]$PathType = 'Any',
        [switch]$IsValid,
        [pscredential]$Credential
    )
    $target = Get-SimProviderTarget -Path $Path -LiteralPath $LiteralPath
    if ($null -eq $target) {
        Invoke-SimFallthrough -Command 'Test-Path' -Parameters $PSBoundParameters
        return
    }
    Register-SimCall -Name 'Test-Path' -Arguments $PSBoundParameters
    $handler = $target.Handlers['TestPath']
    if ($null -ne $handler) {
        return [bool](& $handler $target.FullPath $PSBoundParameters)
    }
    try {
        return ($null -ne (Invoke-SimProvider -Resolved $target -Operation 'GetItem' -Parameters $PSBoundParameters))
    }
    catch {
        return $false
    }
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/Get-ChildItem.md
function Get-ChildItem {
    [CmdletBinding(DefaultParameterSetName = 'Items')]
    param(
        [Parameter(ParameterSetName = 'Items', Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralItems', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('PSPath')][string[]]$LiteralPath,
        [Parameter(Position = 1)][string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [switch]$Recurse,
        [uint32]$Depth,
        [switch]$Force,
        [switch]$Name
    )
    Invoke-SimItemCmdlet -Name 'Get-ChildItem' -Operation 'GetChildItem' -Target (Get-SimProviderTarget -Path $Path -LiteralPath $LiteralPath) -Bound $PSBoundParameters -Cmdlet $PSCmdlet
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/New-Item.md
# Dynamic parameters of the WSMan: drive: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.WSMan.Management/About/about_WSMan_Provider.md
function New-Item {
    [CmdletBinding(DefaultParameterSetName = 'pathSet', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'pathSet', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'nameSet', Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'nameSet', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][AllowNull()][AllowEmptyString()][string]$Name,
        [Alias('Type')][string]$ItemType,
        [Parameter(ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][Alias('Target')][object]$Value,
        [switch]$Force,
        [pscredential]$Credential,
        # WSMan: drive (listeners)
        [string]$Transport,
        [string]$Address,
        [uint16]$Port,
        [string]$HostName,
        [string]$CertificateThumbprint,
        [string]$URLPrefix,
        [bool]$Enabled
    )
    $target = Get-SimProviderTarget -Path $Path -LiteralPath $null
    $wsmanOnly = @('Transport', 'Address', 'Port', 'HostName', 'CertificateThumbprint', 'URLPrefix', 'Enabled')
    if (($null -eq $target) -or ($target.Drive -ne 'WSMAN')) {
        foreach ($key in $wsmanOnly) {
            if ($PSBoundParameters.ContainsKey($key)) {
                throw (New-SimError -Message ("A parameter cannot be found that matches parameter name '" + $key + "'.") -ErrorId 'NamedParameterNotFound,Microsoft.PowerShell.Commands.NewItemCommand' -ExceptionType 'System.Management.Automation.ParameterBindingException')
            }
        }
    }
    Invoke-SimItemCmdlet -Name 'New-Item' -Operation 'NewItem' -Action 'New Item' -Target $target -Bound $PSBoundParameters -Cmdlet $PSCmdlet
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/Remove-Item.md
function Remove-Item {
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('PSPath')][string[]]$LiteralPath,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [switch]$Recurse,
        [switch]$Force,
        [pscredential]$Credential
    )
    Invoke-SimItemCmdlet -Name 'Remove-Item' -Operation 'RemoveItem' -Action 'Remove Item' -Target (Get-SimProviderTarget -Path $Path -LiteralPath $LiteralPath) -Bound $PSBoundParameters -Cmdlet $PSCmdlet
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/Get-ItemProperty.md
function Get-ItemProperty {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('PSPath')][string[]]$LiteralPath,
        [Parameter(Position = 1)][Alias('PSProperty')][string[]]$Name,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [pscredential]$Credential
    )
    Invoke-SimItemCmdlet -Name 'Get-ItemProperty' -Operation 'GetItemProperty' -Target (Get-SimProviderTarget -Path $Path -LiteralPath $LiteralPath) -Bound $PSBoundParameters -Cmdlet $PSCmdlet
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/New-ItemProperty.md
function New-ItemProperty {
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('PSPath')][string[]]$LiteralPath,
        [Parameter(Mandatory = $true, Position = 1, ValueFromPipelineByPropertyName = $true)][Alias('PSProperty')][string]$Name,
        [Parameter(ValueFromPipelineByPropertyName = $true)][Alias('Type')][string]$PropertyType,
        [Parameter(ValueFromPipelineByPropertyName = $true)][object]$Value,
        [switch]$Force,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [pscredential]$Credential
    )
    Invoke-SimItemCmdlet -Name 'New-ItemProperty' -Operation 'NewItemProperty' -Action 'New Property' -Target (Get-SimProviderTarget -Path $Path -LiteralPath $LiteralPath) -Bound $PSBoundParameters -Cmdlet $PSCmdlet
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/Set-ItemProperty.md
# -Type is the registry provider's dynamic parameter (same page).
function Set-ItemProperty {
    [CmdletBinding(DefaultParameterSetName = 'propertyValuePathSet', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'propertyValuePathSet', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'propertyValueLiteralPathSet', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('PSPath')][string[]]$LiteralPath,
        [Parameter(Mandatory = $true, Position = 1, ValueFromPipelineByPropertyName = $true)][Alias('PSProperty')][string]$Name,
        [Parameter(Mandatory = $true, Position = 2, ValueFromPipelineByPropertyName = $true)][AllowNull()][object]$Value,
        [Microsoft.Win32.RegistryValueKind]$Type,
        [switch]$PassThru,
        [switch]$Force,
        [string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [pscredential]$Credential
    )
    Invoke-SimItemCmdlet -Name 'Set-ItemProperty' -Operation 'SetItemProperty' -Action 'Set Property' -Target (Get-SimProviderTarget -Path $Path -LiteralPath $LiteralPath) -Bound $PSBoundParameters -Cmdlet $PSCmdlet
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Utility/New-Object.md
function New-Object {
    [CmdletBinding(DefaultParameterSetName = 'Net')]
    param(
        [Parameter(ParameterSetName = 'Net', Mandatory = $true, Position = 0)][string]$TypeName,
        [Parameter(ParameterSetName = 'Com', Mandatory = $true, Position = 0)][string]$ComObject,
        [Parameter(ParameterSetName = 'Net', Position = 1)][Alias('Args')][object[]]$ArgumentList,
        [Parameter(ParameterSetName = 'Com')][switch]$Strict,
        [System.Collections.IDictionary]$Property
    )
    $name = $TypeName
    if ($PSCmdlet.ParameterSetName -eq 'Com') {
        $name = 'COM:' + $ComObject
    }
    $factory = Get-SimTypeFactory -TypeName $name
    if ($null -eq $factory) {
        if ($PSCmdlet.ParameterSetName -eq 'Com') {
            throw (New-SimError -Message ('Retrieving the COM class factory for component ' + $ComObject + ' failed: not simulated.') -ErrorId 'NoCOMClassIdentified,Microsoft.PowerShell.Commands.NewObjectCommand')
        }
        $real = Microsoft.PowerShell.Core\Get-Command -Name 'Microsoft.PowerShell.Utility\New-Object' -CommandType 'Cmdlet'
        # Written as one object: an empty List[string] must reach the caller as itself, not unrolled to
        # nothing. The base object, not New-Object's PSObject wrapper: in pwsh 7.6, @() over a wrapped
        # List[object] holding a dictionary fails with "Argument types do not match" (Windows PowerShell 5.1 does not).
        $made = & $real @PSBoundParameters
        # A PSObject made with -Property (the Windows PowerShell 2.0 form of [pscustomobject]) is its
        # note properties: its base object would have none.
        if (($null -ne $made) -and (-not $PSBoundParameters.ContainsKey('Property'))) {
            $made = $made.PSObject.BaseObject
        }
        return , $made
    }
    Register-SimCall -Name 'New-Object' -Arguments $PSBoundParameters
    $result = & $factory $ArgumentList
    return , $result
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Core/Get-Command.md
# Reports a stub as missing when the host's OS profile lacks the command.
function Get-Command {
    [CmdletBinding(DefaultParameterSetName = 'CmdletSet')]
    param(
        [Parameter(ParameterSetName = 'AllCommandSet', Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][string[]]$Name,
        [Parameter(ParameterSetName = 'CmdletSet', ValueFromPipelineByPropertyName = $true)][string[]]$Verb,
        [Parameter(ParameterSetName = 'CmdletSet', ValueFromPipelineByPropertyName = $true)][string[]]$Noun,
        [Parameter(ValueFromPipelineByPropertyName = $true)][Alias('PSSnapin')][string[]]$Module,
        [Parameter(ParameterSetName = 'AllCommandSet', ValueFromPipelineByPropertyName = $true)][Alias('Type')][System.Management.Automation.CommandTypes]$CommandType,
        [int]$TotalCount,
        [switch]$Syntax,
        [switch]$ShowCommandInfo,
        [Parameter(Position = 1, ValueFromRemainingArguments = $true)][object[]]$ArgumentList,
        [switch]$All,
        [switch]$ListImported,
        [string[]]$ParameterName,
        [System.Management.Automation.PSTypeName[]]$ParameterType
    )
    $real = Microsoft.PowerShell.Core\Get-Command -Name 'Microsoft.PowerShell.Core\Get-Command' -CommandType 'Cmdlet'
    if ($PSBoundParameters.ContainsKey('Name')) {
        foreach ($one in $Name) {
            if (($null -ne $global:SimState) -and (-not (Test-SimCommandAvailable -Name $one))) {
                $record = New-SimCommandNotFound -Name $one
                if (Test-SimErrorActionSilent -Bound $PSBoundParameters) {
                    continue
                }
                $PSCmdlet.WriteError($record)
                continue
            }
            $bound = @{} + $PSBoundParameters
            $bound['Name'] = $one
            & $real @bound
        }
        return
    }
    & $real @PSBoundParameters
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Core/Import-Module.md
# Modules exist per OS profile and role (host.modules); importing one defines nothing more, its commands are stubs.
function Import-Module {
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][string[]]$Name,
        [Parameter(ParameterSetName = 'ModuleInfo', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][psmoduleinfo[]]$ModuleInfo,
        [switch]$Global,
        [string]$Prefix,
        [string[]]$Function,
        [string[]]$Cmdlet,
        [string[]]$Variable,
        [string[]]$Alias,
        [switch]$Force,
        [switch]$PassThru,
        [switch]$AsCustomObject,
        [Alias('Version')][version]$MinimumVersion,
        [string]$RequiredVersion,
        [object[]]$ArgumentList,
        [switch]$DisableNameChecking,
        [Alias('NoOverwrite')][switch]$NoClobber,
        [string]$Scope
    )
    if ($PSCmdlet.ParameterSetName -eq 'ModuleInfo') {
        $real = Microsoft.PowerShell.Core\Get-Command -Name 'Microsoft.PowerShell.Core\Import-Module' -CommandType 'Cmdlet'
        & $real @PSBoundParameters
        return
    }
    Register-SimCall -Name 'Import-Module' -Arguments $PSBoundParameters
    foreach ($one in $Name) {
        $available = @($global:SimState.host.modules) + @($global:SimProfile.modules)
        if ($available -notcontains $one) {
            $record = New-SimError -Message ("The specified module '" + $one + "' was not loaded because no valid module file was found in any module directory.") -ErrorId 'Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand' -Category 'ResourceUnavailable' -ExceptionType 'System.IO.FileNotFoundException'
            if (Test-SimErrorActionSilent -Bound $PSBoundParameters) {
                continue
            }
            $PSCmdlet.ThrowTerminatingError($record)
        }
    }
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Utility/Get-Date.md
# Only the form without parameters is simulated: it returns the host's clock (state host.now), so runs are repeatable.
function Get-Date {
    [CmdletBinding()]
    param()
    return (ConvertTo-SimDate -Text ([string]$global:SimState.host.now))
}
