# Native tools the WinRM and sync-server steps call: netsh.exe (interface ipv6 prefix policies,
# advfirewall firewall rules), net.exe (localgroup) and klist.exe (get, tickets). Each parses its
# argument vector strictly, prints the output format the scripts parse and sets $LASTEXITCODE.
# Arguments arrive as $args, exactly as a native program receives its command line.
# State: prefixPolicies = { active: [ { precedence, label, prefix } ], persistent: [..] (optional) };
# kerberos = { obtainable: [SPN] } (optional: service tickets the KDC issues to this host's logon; without
# it a ticket is issued when the SPN's host resolves and a DC of its domain is reachable on TCP 88).

function Write-SimNativeUsage {
    param([string]$Tool, [string]$Reason)
    Write-Output ('The syntax of this command is incorrect: ' + $Reason)
    $global:SimState.lastError = [ordered]@{ call = $global:SimCurrentCall; message = ($Tool + ': ' + $Reason) }
}

function Format-SimPrefixPolicies {
    param($Policies)
    Write-Output 'Querying active state...'
    Write-Output ''
    Write-Output 'Precedence  Label  Prefix'
    Write-Output '----------  -----  --------------------------------'
    foreach ($policy in @($Policies)) {
        Write-Output (([string]$policy.precedence).PadLeft(10) + '  ' + ([string]$policy.label).PadLeft(5) + '  ' + [string]$policy.prefix)
    }
    Write-Output ''
}

function Set-SimPrefixPolicy {
    param([string]$Verb, [string[]]$Rest)
    # netsh interface ipv6 add|set prefixpolicy [prefix=]<prefix> [precedence=]<n> [label=]<n> [store=]active|persistent
    $values = [ordered]@{}
    $names = @('prefix', 'precedence', 'label', 'store')
    $position = 0
    foreach ($argument in $Rest) {
        if ($argument -match '^([a-z]+)=(.+)$') {
            if ($names -notcontains $Matches[1]) {
                return $false
            }
            $values[$Matches[1]] = $Matches[2]
        }
        else {
            if ($position -ge 3) {
                return $false
            }
            $values[$names[$position]] = $argument
        }
        $position++
    }
    foreach ($required in @('prefix', 'precedence', 'label')) {
        if (-not $values.Contains($required)) {
            return $false
        }
    }
    if (($values['precedence'] -notmatch '^[0-9]+$') -or ($values['label'] -notmatch '^[0-9]+$')) {
        return $false
    }
    $stores = @('active', 'persistent')
    if ($values.Contains('store')) {
        if ($stores -notcontains $values['store']) {
            return $false
        }
        # store=active changes the running table only; the default (persistent) changes both.
        if ($values['store'] -eq 'active') {
            $stores = @('active')
        }
    }
    # The state keeps the running table (active) and, when modelled, the stored one (persistent).
    $stores = @($stores | Where-Object { ($_ -eq 'active') -or $global:SimState.prefixPolicies.ContainsKey($_) })
    foreach ($store in $stores) {
        $table = @($global:SimState.prefixPolicies[$store] | Where-Object { $null -ne $_ })
        $existing = @($table | Where-Object { [string]$_.prefix -eq $values['prefix'] })
        if (($Verb -eq 'add') -and ($existing.Count -gt 0)) {
            Write-Output 'The object already exists.'
            Set-SimExitCode -Code 1
            return $true
        }
        if (($Verb -eq 'set') -and ($existing.Count -eq 0)) {
            Write-Output 'Element not found.'
            Set-SimExitCode -Code 1
            return $true
        }
        $kept = @($table | Where-Object { [string]$_.prefix -ne $values['prefix'] })
        $entry = [ordered]@{ precedence = [int]$values['precedence']; label = [int]$values['label']; prefix = $values['prefix'] }
        $global:SimState.prefixPolicies[$store] = @(@($kept) + $entry | Sort-Object -Property @{ Expression = { [int]$_.precedence }; Descending = $true })
        $before = '(none)'
        if ($existing.Count -gt 0) {
            $before = [string]$existing[0].precedence + '/' + [string]$existing[0].label
        }
        if ($before -ne ([string]$entry.precedence + '/' + [string]$entry.label)) {
            Register-SimChange -Area 'prefixPolicy' -Target ($store + ' ' + $values['prefix']) -Detail ($before + ' -> ' + $entry.precedence + '/' + $entry.label)
        }
    }
    Write-Output 'Ok.'
    Write-Output ''
    Set-SimExitCode -Code 0
    return $true
}

function ConvertFrom-SimNetshRule {
    param([string[]]$Arguments)
    $values = [ordered]@{}
    foreach ($argument in $Arguments) {
        if ($argument -notmatch '^([a-z]+)=(.*)$') {
            return $null
        }
        $key = $Matches[1]
        if (@('name', 'dir', 'action', 'protocol', 'localport', 'remoteip', 'profile', 'enable', 'description', 'localip', 'remoteport', 'program', 'service', 'group') -notcontains $key) {
            return $null
        }
        $values[$key] = $Matches[2]
    }
    return $values
}

function Convert-SimNetshProfile {
    param([string]$Text)
    $list = @(foreach ($part in $Text.Split(',')) {
            switch ($part.Trim().ToLowerInvariant()) {
                'domain' { 'Domain' }
                'private' { 'Private' }
                'public' { 'Public' }
                'any' { 'Any' }
                default { throw ('profile ' + $part) }
            }
        })
    return (ConvertTo-SimProfileText -Profile $list)
}

function Invoke-SimNetshFirewall {
    param([string[]]$Rest)
    # netsh advfirewall firewall add rule name=... | set rule name=... new ...
    if ($Rest.Count -lt 2) {
        return $false
    }
    $verb = $Rest[0]
    if ($Rest[1] -ne 'rule') {
        return $false
    }
    $arguments = @($Rest | Select-Object -Skip 2)
    if ($verb -eq 'add') {
        $values = ConvertFrom-SimNetshRule -Arguments $arguments
        if (($null -eq $values) -or (-not $values.Contains('name')) -or (-not $values.Contains('dir')) -or (-not $values.Contains('action'))) {
            return $false
        }
        try {
            $profile = 'Any'
            if ($values.Contains('profile')) {
                $profile = Convert-SimNetshProfile -Text $values['profile']
            }
        }
        catch {
            return $false
        }
        $rule = [ordered]@{
            Name          = $values['name']; DisplayName = $values['name']; Group = ''
            Direction     = if ($values['dir'] -eq 'in') { 'Inbound' } else { 'Outbound' }
            Protocol      = ([string]$values['protocol']).ToUpperInvariant()
            LocalPort     = @(([string]$values['localport']).Split(','))
            RemoteAddress = @(([string]$values['remoteip']).Split(','))
            Action        = if ($values['action'] -eq 'allow') { 'Allow' } else { 'Block' }
            Profile       = $profile
            Enabled       = if ($values['enable'] -eq 'no') { 'False' } else { 'True' }
        }
        Add-SimFirewallRule -Rule $rule
        Write-Output 'Ok.'
        Write-Output ''
        Set-SimExitCode -Code 0
        return $true
    }
    if ($verb -eq 'set') {
        $newIndex = [array]::IndexOf($arguments, 'new')
        if ($newIndex -lt 1) {
            return $false
        }
        $selector = ConvertFrom-SimNetshRule -Arguments @($arguments[0..($newIndex - 1)])
        $values = ConvertFrom-SimNetshRule -Arguments @($arguments | Select-Object -Skip ($newIndex + 1))
        if (($null -eq $selector) -or ($null -eq $values) -or (-not $selector.Contains('name'))) {
            return $false
        }
        $rule = Find-SimFirewallRule -Name $selector['name']
        if ($null -eq $rule) {
            Write-Output 'No rules match the specified criteria.'
            Set-SimExitCode -Code 1
            return $true
        }
        $before = Get-SimFirewallSummary -Rule $rule
        if ($values.Contains('dir')) { $rule.Direction = if ($values['dir'] -eq 'in') { 'Inbound' } else { 'Outbound' } }
        if ($values.Contains('action')) { $rule.Action = if ($values['action'] -eq 'allow') { 'Allow' } else { 'Block' } }
        if ($values.Contains('protocol')) { $rule.Protocol = ([string]$values['protocol']).ToUpperInvariant() }
        if ($values.Contains('localport')) { $rule.LocalPort = @(([string]$values['localport']).Split(',')) }
        if ($values.Contains('remoteip')) { $rule.RemoteAddress = @(([string]$values['remoteip']).Split(',')) }
        if ($values.Contains('profile')) { $rule.Profile = Convert-SimNetshProfile -Text $values['profile'] }
        if ($values.Contains('enable')) { $rule.Enabled = if ($values['enable'] -eq 'no') { 'False' } else { 'True' } }
        $after = Get-SimFirewallSummary -Rule $rule
        if ($before -ne $after) {
            Register-SimChange -Area 'firewall' -Target ([string]$rule.Name) -Detail ($before + ' -> ' + $after)
        }
        Write-Output ''
        Write-Output 'Updated 1 rule(s).'
        Write-Output 'Ok.'
        Write-Output ''
        Set-SimExitCode -Code 0
        return $true
    }
    return $false
}

# Signature: netsh interface ipv6 (learn.microsoft.com/windows-server/networking/technologies/netsh/netsh-interface)
# netsh advfirewall firewall (KB 947709: "Use netsh advfirewall firewall instead of netsh firewall"),
# and netsh http show|add sslcert (learn.microsoft.com/windows-server/networking/technologies/netsh/netsh-http;
# HTTP.sys's SSL bindings, iis.sslBindings: stubs/iis.ps1).
function netsh.exe {
    Assert-SimCommand -Name 'netsh.exe' -Arguments @{ args = ($args -join ' ') }
    $argv = @($args | ForEach-Object { [string]$_ })
    if (($argv.Count -ge 4) -and ($argv[0] -eq 'interface') -and ($argv[1] -eq 'ipv6')) {
        if (($argv.Count -eq 4) -and ($argv[2] -eq 'show') -and ($argv[3] -eq 'prefixpolicies')) {
            Format-SimPrefixPolicies -Policies $global:SimState.prefixPolicies.active
            Set-SimExitCode -Code 0
            return
        }
        if ((@('add', 'set') -contains $argv[2]) -and ($argv[3] -eq 'prefixpolicy')) {
            if (Set-SimPrefixPolicy -Verb $argv[2] -Rest @($argv | Select-Object -Skip 4)) {
                return
            }
        }
    }
    if (($argv.Count -ge 3) -and ($argv[0] -eq 'http') -and ($argv[2] -eq 'sslcert')) {
        Assert-SimCommand -Name 'netsh http' -Arguments @{ args = ($args -join ' ') }
        if (Invoke-SimNetshHttp -Verb $argv[1] -Rest @($argv | Select-Object -Skip 3)) {
            return
        }
    }
    if (($argv.Count -ge 3) -and ($argv[0] -eq 'advfirewall') -and ($argv[1] -eq 'firewall')) {
        Assert-SimCommand -Name 'netsh advfirewall' -Arguments @{ args = ($args -join ' ') }
        if (Invoke-SimNetshFirewall -Rest @($argv | Select-Object -Skip 2)) {
            return
        }
    }
    Write-SimNativeUsage -Tool 'netsh' -Reason ($argv -join ' ')
    Set-SimExitCode -Code 1
}

# Signature: net localgroup (learn.microsoft.com/previous-versions/windows/it-pro/windows-server-2012-r2-and-2012/cc725622(v=ws.11))
function net.exe {
    Assert-SimCommand -Name 'net.exe' -Arguments @{ args = ($args -join ' ') }
    $argv = @($args | ForEach-Object { [string]$_ })
    if (($argv.Count -ge 2) -and ($argv[0] -ieq 'localgroup')) {
        $group = Find-SimLocalGroup -Name $argv[1] -Sid ''
        if ($null -eq $group) {
            Write-Output 'System error 1376 has occurred.'
            Write-Output ''
            Write-Output 'The specified local group does not exist.'
            Set-SimExitCode -Code 2
            return
        }
        if ($argv.Count -eq 2) {
            Write-Output ('Alias name     ' + $group.Name)
            Write-Output 'Comment'
            Write-Output ''
            Write-Output 'Members'
            Write-Output ''
            Write-Output '-------------------------------------------------------------------------------'
            foreach ($member in @($group.Group.members)) {
                if ($null -ne $member) {
                    $name = Resolve-SimSidName -Sid ([string]$member.sid)
                    if ($null -eq $name) {
                        $name = [string]$member.sid
                    }
                    Write-Output $name
                }
            }
            Write-Output 'The command completed successfully.'
            Write-Output ''
            Set-SimExitCode -Code 0
            return
        }
        if (($argv.Count -ge 4) -and (@('/add', '/delete') -contains $argv[-1].ToLowerInvariant())) {
            foreach ($account in @($argv[2..($argv.Count - 2)])) {
                $sid = Resolve-SimAccountSid -Account $account
                if ($null -eq $sid) {
                    Write-Output 'System error 1789 has occurred.'
                    Write-Output ''
                    Write-Output 'The trust relationship between this workstation and the primary domain failed.'
                    Set-SimExitCode -Code 2
                    return
                }
                $present = @($group.Group.members | Where-Object { ($null -ne $_) -and ([string]$_.sid -eq $sid) }).Count -gt 0
                if ($argv[-1] -ieq '/add') {
                    if ($present) {
                        Write-Output 'System error 1378 has occurred.'
                        Write-Output ''
                        Write-Output 'The specified account name is already a member of the group.'
                        Set-SimExitCode -Code 2
                        return
                    }
                    $group.Group.members = @(@($group.Group.members | Where-Object { $null -ne $_ }) + [ordered]@{ name = $account; sid = $sid })
                    Register-SimChange -Area 'localGroup' -Target ($group.Name) -Detail ('+ ' + $account + ' (' + $sid + ')')
                }
                else {
                    $group.Group.members = @($group.Group.members | Where-Object { ($null -ne $_) -and ([string]$_.sid -ne $sid) })
                    Register-SimChange -Area 'localGroup' -Target ($group.Name) -Detail ('- ' + $account)
                }
            }
            Write-Output 'The command completed successfully.'
            Write-Output ''
            Set-SimExitCode -Code 0
            return
        }
    }
    Write-SimNativeUsage -Tool 'net' -Reason ($argv -join ' ')
    Set-SimExitCode -Code 1
}

function Test-SimKerberosTicket {
    <#
    Whether the KDC issues this host a service ticket for an SPN: listed in kerberos.obtainable when the
    state says so, else when the SPN's host name resolves and a domain controller of its domain
    (the _kerberos._tcp SRV records) is reachable on TCP 88 from this host.
    #>
    param([Parameter(Mandatory = $true)][string]$Spn)
    if ($global:SimState.kerberos.ContainsKey('obtainable')) {
        return (@($global:SimState.kerberos.obtainable) -contains $Spn)
    }
    $name = ($Spn -split '/')[1]
    if ($null -eq $name) {
        return $false
    }
    $name = ($name -split ':')[0]
    if ($null -eq (Resolve-SimName -Name $name -Type 'A_AAAA' -Server '')) {
        return $false
    }
    $labels = $name.Split('.')
    for ($i = 1; $i -lt $labels.Count; $i++) {
        $zone = ($labels[$i..($labels.Count - 1)] -join '.')
        $dcs = Get-SimValue -Table $global:SimState.directory.dns.srv -Key ('_kerberos._tcp.' + $zone)
        if ($null -ne $dcs) {
            foreach ($dc in @($dcs)) {
                if (Test-SimReachable -Address ([string]$dc) -Port 88) {
                    return $true
                }
            }
            return $false
        }
    }
    return $false
}

# Signature: klist (learn.microsoft.com/windows-server/administration/windows-commands/klist):
# klist [-lh <LogonId.HighPart>] [-li <LogonId.LowPart>] tickets | tgt | purge | sessions | kcd_cache | get <SPN> | add_bind | query_bind | purge_bind.
# Windows Server 2008 R2's klist has no get (nor kcd_cache, add_bind, query_bind, purge_bind).
function klist.exe {
    Assert-SimCommand -Name 'klist.exe' -Arguments @{ args = ($args -join ' ') }
    $argv = @($args | ForEach-Object { [string]$_ })
    $verbs2008 = @('tickets', 'tgt', 'purge', 'sessions')
    $verbs = $verbs2008 + @('kcd_cache', 'get', 'add_bind', 'query_bind', 'purge_bind')
    $verb = 'tickets'
    if ($argv.Count -gt 0) {
        $verb = $argv[0].ToLowerInvariant()
    }
    $known = $verbs
    if (-not (Test-SimOsAtLeast -Os 'windows-server-2012')) {
        $known = $verbs2008
    }
    if ($known -notcontains $verb) {
        Write-Output ''
        Write-Output 'Usage: klist [-lh <LogonId.HighPart>] [-li <LogonId.LowPart>] tickets | tgt | purge | sessions'
        Write-SimNativeUsage -Tool 'klist' -Reason ($verb + ' is not a klist command on ' + $global:SimState.host.os)
        Set-SimExitCode -Code 1
        return
    }
    Write-Output ''
    Write-Output 'Current LogonId is 0:0x3e7'
    if ($verb -eq 'get') {
        if ($argv.Count -ne 2) {
            Write-SimNativeUsage -Tool 'klist' -Reason 'get needs one SPN'
            Set-SimExitCode -Code 1
            return
        }
        $spn = $argv[1]
        if (Test-SimKerberosTicket -Spn $spn) {
            Write-Output ('A ticket to ' + $spn + ' has been retrieved successfully.')
            Set-SimExitCode -Code 0
            return
        }
        Write-Output ('Error calling API LsaCallAuthenticationPackage (GetTicket substatus): 0x6fb')
        Write-Output ''
        Write-Output ('klist failed with 0xc000018b/-1073741429: The SAM database on the Windows Server does not have a computer account for this workstation trust relationship.')
        Set-SimExitCode -Code -1073741429
        return
    }
    Write-Output ''
    Write-Output ('Cached Tickets: (' + @($global:SimState.kerberos.obtainable).Count + ')')
    Set-SimExitCode -Code 0
}
