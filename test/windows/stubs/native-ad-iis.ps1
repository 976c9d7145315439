# Native tools of IIS and Active Directory for the simulated host: appcmd.exe, setspn.exe, netdom.exe.
# Each parses its argument vector strictly, prints the output format the tool documents and sets
# $LASTEXITCODE through Set-SimExitCode. Forms that no generated script uses are refused with a
# non-zero exit code and a message saying they are not simulated.

# Scripts run appcmd by its full path ($env:windir\system32\inetsrv\appcmd.exe): the path resolves
# to the appcmd.exe function below. pwsh on Linux has no C: drive and no windir; the simulated
# host gets both (the drive maps to a scratch folder, only for path arithmetic such as Join-Path).
if ([string]::IsNullOrEmpty($env:windir)) {
    $env:windir = 'C:\Windows'
}
if ($null -eq (Get-PSDrive -Name 'C' -ErrorAction 'SilentlyContinue')) {
    $null = New-PSDrive -Name 'C' -PSProvider 'FileSystem' -Root ([System.IO.Path]::GetTempPath()) -Scope 'Global'
}
if ($null -eq $global:SimPreviousCommandNotFound) {
    $global:SimPreviousCommandNotFound = @($ExecutionContext.InvokeCommand.CommandNotFoundAction)
}
$ExecutionContext.InvokeCommand.CommandNotFoundAction = {
    param($Name, $EventArgs)
    if ($Name -match '(?i)(^|[\\/])(system32[\\/]inetsrv[\\/]appcmd\.exe)$') {
        $EventArgs.CommandScriptBlock = { appcmd.exe @args }
        $EventArgs.StopSearch = $true
        return
    }
    foreach ($previous in @($global:SimPreviousCommandNotFound)) {
        if ($null -ne $previous) {
            & $previous $Name $EventArgs
        }
    }
}

function Write-SimAppcmdError {
    param([string]$Message, [int]$Code)
    Write-Output ('ERROR ( message:' + $Message + ' )')
    Set-SimExitCode -Code $Code
}

# Signature: MicrosoftDocs/iis-docs/iis/get-started/getting-started-with-iis/getting-started-with-appcmdexe.md
# Simulated: appcmd set config ["<location>"] -section:<section> /<attribute>:<value> ... [/commit:apphost]
function appcmd.exe {
    Assert-SimCommand -Name 'appcmd.exe' -Arguments @{ args = ($args -join ' ') }
    $argv = @($args | ForEach-Object { [string]$_ })
    if (($argv.Count -lt 2) -or ($argv[0] -ine 'set') -or ($argv[1] -ine 'config')) {
        Write-SimAppcmdError -Message ('The command "' + ($argv -join ' ') + '" is not simulated: only "set config" is.') -Code 87
        return
    }
    $location = ''
    $index = 2
    if (($argv.Count -gt 2) -and -not ($argv[2].StartsWith('-') -or $argv[2].StartsWith('/'))) {
        $location = $argv[2].Trim('/')
        $index = 3
    }
    $section = $null
    $commit = $null
    $assignments = [System.Collections.Generic.List[object]]::new()
    for ($i = $index; $i -lt $argv.Count; $i++) {
        $a = $argv[$i]
        if ($a -match '^(?i)[-/]section:(.+)$') {
            $section = $Matches[1]
            continue
        }
        if ($a -match '^(?i)[-/]commit:(.+)$') {
            $commit = $Matches[1]
            continue
        }
        if ($a -match '^[-/]([A-Za-z][A-Za-z0-9]*):(.*)$') {
            $assignments.Add(@{ name = $Matches[1]; value = $Matches[2].Trim('"') })
            continue
        }
        if ($a -match '^[-/]') {
            Write-SimAppcmdError -Message ('Unknown attribute "' + $a.TrimStart('-', '/').Split(':')[0] + '".  Replace with -? for help.') -Code 87
            return
        }
        Write-SimAppcmdError -Message ('Unexpected argument "' + $a + '".') -Code 87
        return
    }
    if ($null -eq $section) {
        Write-SimAppcmdError -Message 'Missing required parameter "section".' -Code 87
        return
    }
    if ($assignments.Count -eq 0) {
        Write-SimAppcmdError -Message 'Nothing to set: give /attribute:value.' -Code 87
        return
    }
    # Authentication and access sections are locked (overrideModeDefault="Deny"): a location can only
    # set them in applicationHost.config.
    $locked = ($section -match '^(?i)system\.webServer/security/(authentication/|access$)')
    if ($locked -and ($location -ne '') -and ($commit -ine 'apphost')) {
        Write-SimAppcmdError -Message ('Configuration error' + [Environment]::NewLine + 'Description: This configuration section cannot be used at this path. This happens when the section is locked at a parent level. Locking is either by default (overrideModeDefault="Deny"), or set explicitly by a location tag with overrideMode="Deny" or the legacy allowOverride="false".') -Code 13
        return
    }
    if (($null -ne $commit) -and ($commit -ine 'apphost')) {
        Write-SimAppcmdError -Message ('/commit:' + $commit + ' is not simulated: the scripts commit to apphost.') -Code 87
        return
    }
    $steps = Split-SimIisFilter -Filter $section
    $items = @(Find-SimIisNodes -Root (Get-SimIisRoot -Location $location -Create) -Steps $steps -Create)
    $where = 'MACHINE/WEBROOT/APPHOST'
    if ($location -ne '') {
        $where = $where + '/' + $location
    }
    try {
        foreach ($assignment in $assignments) {
            Set-SimIisAttribute -Item $items[0] -Attribute $assignment.name -Value $assignment.value -Where ('appcmd ' + $where)
        }
    }
    catch {
        Write-SimAppcmdError -Message $_.Exception.Message -Code 13
        return
    }
    Write-Output ('Applied configuration changes to section "' + $section + '" for "' + $where + '" at configuration commit path "MACHINE/WEBROOT/APPHOST"')
    Set-SimExitCode -Code 0
}

function Get-SimAdDnPath {
    param([string]$Domain)
    return ((@(foreach ($part in $Domain.Split('.')) { 'DC=' + $part })) -join ',')
}

# Signature: MicrosoftDocs/windowsserverdocs/WindowsServerDocs/administration/windows-commands/setspn.md
# Simulated: setspn -Q <SPN>, setspn -F -Q <SPN> (forest: every reachable domain), setspn -L <account>.
function setspn.exe {
    Assert-SimCommand -Name 'setspn.exe' -Arguments @{ args = ($args -join ' ') }
    $argv = @($args | ForEach-Object { [string]$_ })
    $forest = $false
    if (($argv.Count -gt 0) -and ($argv[0] -match '^(?i)[-/]F$')) {
        $forest = $true
        $argv = @($argv | Select-Object -Skip 1)
    }
    if (($argv.Count -ne 2) -or ($argv[0] -notmatch '^(?i)[-/](Q|L)$')) {
        Write-Output 'Invalid command line: setspn -Q <SPN>, setspn -F -Q <SPN> and setspn -L <account> are simulated.'
        Set-SimExitCode -Code 1
        return
    }
    $mode = $Matches[1].ToUpperInvariant()
    $ad = Get-SimAdDirectory
    $own = [string]$global:SimState.host.domain
    $domains = @(foreach ($d in @($ad.domains)) { if ($forest -or ([string]$d.name -ieq $own)) { $d } })
    if ($mode -eq 'Q') {
        $spn = $argv[1]
        $found = $false
        foreach ($domain in $domains) {
            if ((Get-SimValue -Table $domain -Key 'reachable') -eq $false) {
                continue
            }
            Write-Output ('Checking domain ' + (Get-SimAdDnPath -Domain ([string]$domain.name)))
            foreach ($entry in @(Get-SimAdObjects -Domain $domain)) {
                $spns = @(Get-SimAdAttribute -Object $entry.Object -Name 'servicePrincipalName' -Class $entry.Class)
                if (@($spns | Where-Object { [string]$_ -ieq $spn }).Count -gt 0) {
                    $found = $true
                    Write-Output ([string]$entry.Object.distinguishedName)
                    foreach ($s in $spns) {
                        Write-Output ("`t" + [string]$s)
                    }
                }
            }
        }
        Write-Output ''
        if ($found) {
            Write-Output 'Existing SPN found!'
        }
        else {
            Write-Output 'No such SPN found.'
        }
        Set-SimExitCode -Code 0
        return
    }
    $account = $argv[1]
    foreach ($domain in $domains) {
        foreach ($entry in @(Get-SimAdObjects -Domain $domain)) {
            $sam = [string](Get-SimValue -Table $entry.Object -Key 'sAMAccountName')
            if (($sam -ieq $account) -or ($sam -ieq ($account + '$')) -or ([string]$entry.Object.name -ieq $account)) {
                Write-Output ('Registered ServicePrincipalNames for ' + [string]$entry.Object.distinguishedName + ':')
                foreach ($s in @(Get-SimAdAttribute -Object $entry.Object -Name 'servicePrincipalName' -Class $entry.Class)) {
                    Write-Output ("`t" + [string]$s)
                }
                Set-SimExitCode -Code 0
                return
            }
        }
    }
    Write-Output ('FindDomainForAccount: Call to DsGetDcNameWithAccountW failed with return value 0x00000525')
    Write-Output ('Could not find account ' + $account)
    Set-SimExitCode -Code 1
}

# Signature: MicrosoftDocs/windowsserverdocs/WindowsServerDocs/administration/windows-commands/netdom-trust.md
# Simulated: netdom trust <trusting domain> /domain:<trusted domain> /EnableTGTDelegation[:Yes|No]
# (KB 4490425), run on a domain controller of the trusted domain: it reads or writes the 0x800 bit
# of trustAttributes on the trust object the trusted domain holds for the trusting one.
function netdom.exe {
    Assert-SimCommand -Name 'netdom.exe' -Arguments @{ args = ($args -join ' ') }
    $argv = @($args | ForEach-Object { [string]$_ })
    if (($argv.Count -ne 4) -and ($argv.Count -ne 3) -or ($argv[0] -ine 'trust')) {
        Write-Output 'The syntax of this command is: NETDOM TRUST trusting_domain_name /Domain:trusted_domain_name [/EnableTGTDelegation[:Yes|No]] (only this form is simulated).'
        Set-SimExitCode -Code 87
        return
    }
    $trusting = $argv[1]
    $trusted = $null
    $option = $null
    foreach ($a in @($argv | Select-Object -Skip 2)) {
        if ($a -match '^(?i)/d(omain)?:(.+)$') {
            $trusted = $Matches[2]
        }
        elseif ($a -match '^(?i)/EnableTGTDelegation(:(Yes|No))?$') {
            $option = 'show'
            if ($null -ne $Matches[2]) {
                $option = $Matches[2]
            }
        }
        else {
            Write-Output ('The parameter ' + $a + ' is not simulated.')
            Set-SimExitCode -Code 87
            return
        }
    }
    if (($null -eq $trusted) -or ($null -eq $option)) {
        Write-Output 'The syntax of this command is: NETDOM TRUST trusting_domain_name /Domain:trusted_domain_name /EnableTGTDelegation[:Yes|No]'
        Set-SimExitCode -Code 87
        return
    }
    $ad = Get-SimAdDirectory
    $trust = $null
    foreach ($t in @($ad.trusts)) {
        if (($null -ne $t) -and ([string]$t.domain -ieq $trusted) -and ([string]$t.trustPartner -ieq $trusting)) {
            $trust = $t
        }
    }
    if ($null -eq $trust) {
        Write-Output ('The trust between ' + $trusting + ' and ' + $trusted + ' could not be found.')
        Write-Output 'The command failed to complete successfully.'
        Set-SimExitCode -Code 1355
        return
    }
    $attributes = [int]$trust.trustAttributes
    if ($option -eq 'show') {
        $state = 'No'
        if (($attributes -band 0x800) -ne 0) {
            $state = 'Yes'
        }
        Write-Output ('TGT Delegation: ' + $state)
        Write-Output 'The command completed successfully.'
        Set-SimExitCode -Code 0
        return
    }
    $after = $attributes -band (-bnot 0x800)
    if ($option -ieq 'Yes') {
        $after = $after -bor 0x800
    }
    $trust['trustAttributes'] = $after
    Register-SimChange -Area 'ad' -Target ('trust ' + $trusted + ' -> ' + $trusting + ' trustAttributes') -Detail ('0x' + $attributes.ToString('x') + ' -> 0x' + $after.ToString('x'))
    Write-Output 'The command completed successfully.'
    Set-SimExitCode -Code 0
}
