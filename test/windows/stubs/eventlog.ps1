# Event logs for the simulated host: Get-WinEvent with -FilterHashtable over state
# $global:SimState.eventLogs = { '<computer FQDN>': { '<log name>': [ { Id, ProviderName, TimeCreated (ISO),
# Message, LevelDisplayName } ] } }. The local computer is host.fqdn (or its short name); a computer
# the state has no entry for fails as an unreachable one does (RPC server unavailable). Filtering on
# LogName, ProviderName, Id and StartTime as the FilterHashtable keys document; no match is the
# NoMatchingEventsFound error Windows writes.

function Resolve-SimEventLogComputer {
    param([string]$ComputerName)
    $local = ([string]$global:SimState.host.fqdn).ToLowerInvariant()
    if ([string]::IsNullOrEmpty($ComputerName) -or $ComputerName -eq '.' -or $ComputerName -ieq 'localhost' -or $ComputerName -ieq [string]$global:SimState.host.computerName) {
        return $local
    }
    return $ComputerName.ToLowerInvariant()
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Diagnostics/Get-WinEvent.md
# Only the HashQuerySet form (-FilterHashtable) is simulated; the other sets are declared so that their
# parameters bind as on Windows and refused as not simulated.
function Get-WinEvent {
    [CmdletBinding(DefaultParameterSetName = 'GetLogSet')]
    param(
        [Parameter(ParameterSetName = 'GetLogSet', Position = 0)][string[]]$LogName,
        [Parameter(ParameterSetName = 'ListLogSet', Mandatory = $true, Position = 0)][string[]]$ListLog,
        [Parameter(ParameterSetName = 'ListProviderSet', Mandatory = $true, Position = 0)][string[]]$ListProvider,
        [Parameter(ParameterSetName = 'GetProviderSet', Mandatory = $true, Position = 0)][string[]]$ProviderName,
        [Parameter(ParameterSetName = 'FileSet', Mandatory = $true, Position = 0)][string[]]$Path,
        [Parameter(ParameterSetName = 'HashQuerySet', Mandatory = $true, Position = 0)][hashtable[]]$FilterHashtable,
        [Parameter(ParameterSetName = 'XmlQuerySet', Mandatory = $true, Position = 0)][xml]$FilterXml,
        [Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'GetProviderSet')][Parameter(ParameterSetName = 'FileSet')][Parameter(ParameterSetName = 'HashQuerySet')][Parameter(ParameterSetName = 'XmlQuerySet')][long]$MaxEvents,
        [Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'ListLogSet')][Parameter(ParameterSetName = 'ListProviderSet')][Parameter(ParameterSetName = 'GetProviderSet')][Parameter(ParameterSetName = 'HashQuerySet')][Parameter(ParameterSetName = 'XmlQuerySet')][string]$ComputerName,
        [pscredential]$Credential,
        [Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'GetProviderSet')][Parameter(ParameterSetName = 'FileSet')][string]$FilterXPath,
        [Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'ListLogSet')][Parameter(ParameterSetName = 'GetProviderSet')][Parameter(ParameterSetName = 'HashQuerySet')][switch]$Force,
        [Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'GetProviderSet')][Parameter(ParameterSetName = 'FileSet')][Parameter(ParameterSetName = 'HashQuerySet')][Parameter(ParameterSetName = 'XmlQuerySet')][switch]$Oldest
    )
    Assert-SimCommand -Name 'Get-WinEvent' -Arguments $PSBoundParameters
    if ($PSCmdlet.ParameterSetName -ne 'HashQuerySet') {
        throw (New-SimError -Message ('Get-WinEvent -' + $PSCmdlet.ParameterSetName + ' is not simulated; the generated scripts use -FilterHashtable.') -ErrorId 'NotSimulated')
    }
    $computer = Resolve-SimEventLogComputer -ComputerName $ComputerName
    $logs = Get-SimValue -Table $global:SimState -Key 'eventLogs'
    $machine = $null
    if ($null -ne $logs) {
        $machine = Get-SimValue -Table $logs -Key $computer
    }
    if ($null -eq $machine) {
        $PSCmdlet.ThrowTerminatingError((New-SimError -Message 'The RPC server is unavailable' -ErrorId 'System.Diagnostics.Eventing.Reader.EventLogException,Microsoft.PowerShell.Commands.GetWinEventCommand' -Category 'NotSpecified' -Target $computer))
    }
    $known = @('LogName', 'ProviderName', 'Path', 'Keywords', 'ID', 'Level', 'StartTime', 'EndTime', 'UserID', 'Data', 'SuppressHashFilter')
    $found = [System.Collections.Generic.List[object]]::new()
    foreach ($filter in $FilterHashtable) {
        foreach ($key in @($filter.Keys)) {
            if (-not ($known -contains [string]$key)) {
                throw (New-SimError -Message ('The ' + $key + ' key is not valid in a FilterHashtable.') -ErrorId 'InvalidHashtableKey' -Category 'InvalidArgument')
            }
            if (@('LogName', 'ProviderName', 'ID', 'StartTime') -notcontains [string]$key) {
                throw (New-SimError -Message ('FilterHashtable key ' + $key + ' is not simulated.') -ErrorId 'NotSimulated')
            }
        }
        $logNames = @($filter['LogName'])
        if (($filter.ContainsKey('LogName') -eq $false) -or ($logNames.Count -eq 0)) {
            throw (New-SimError -Message 'A FilterHashtable without LogName is not simulated.' -ErrorId 'NotSimulated')
        }
        $ids = @()
        if ($filter.ContainsKey('ID')) { $ids = @(foreach ($i in @($filter['ID'])) { [int]$i }) }
        $providers = @()
        if ($filter.ContainsKey('ProviderName')) { $providers = @(foreach ($p in @($filter['ProviderName'])) { [string]$p }) }
        $start = $null
        if ($filter.ContainsKey('StartTime')) { $start = [datetime]$filter['StartTime'] }
        foreach ($log in $logNames) {
            if (-not $machine.ContainsKey([string]$log)) {
                $PSCmdlet.ThrowTerminatingError((New-SimError -Message ('There is not an event log on the ' + $computer + ' computer that matches "' + $log + '".') -ErrorId 'NoMatchingLogsFound,Microsoft.PowerShell.Commands.GetWinEventCommand' -Category 'ObjectNotFound' -Target $log))
            }
            foreach ($record in @($machine[[string]$log])) {
                if ($null -eq $record) { continue }
                if (($ids.Count -gt 0) -and -not ($ids -contains [int]$record.Id)) { continue }
                if (($providers.Count -gt 0) -and -not ($providers -contains [string]$record.ProviderName)) { continue }
                $created = ConvertTo-SimDate -Text ([string]$record.TimeCreated)
                if (($null -ne $start) -and ($created -lt $start)) { continue }
                $found.Add([pscustomobject][ordered]@{
                        Id               = [int]$record.Id
                        ProviderName     = [string]$record.ProviderName
                        LogName          = [string]$log
                        TimeCreated      = $created
                        MachineName      = $computer
                        LevelDisplayName = [string](Get-SimValue -Table $record -Key 'LevelDisplayName')
                        Message          = [string](Get-SimValue -Table $record -Key 'Message')
                    })
            }
        }
    }
    if ($found.Count -eq 0) {
        # Windows writes this as a non-terminating error: -ErrorAction decides.
        $PSCmdlet.WriteError((New-SimError -Message 'No events were found that match the specified selection criteria.' -ErrorId 'NoMatchingEventsFound,Microsoft.PowerShell.Commands.GetWinEventCommand' -Category 'ObjectNotFound'))
        return
    }
    if ($PSBoundParameters.ContainsKey('MaxEvents')) {
        return @($found | Select-Object -First $MaxEvents)
    }
    return $found
}
