# Pester 5 tests of the simulated host's core and its WinRM-side stubs: command availability per
# OS profile, documented signatures (an undocumented parameter or a wrong parameter set fails),
# the change log, -WhatIf, Group Policy, the native tools' output formats, and the run entry's
# exit codes. Run: .tools/pwsh/pwsh -Command "Invoke-Pester test/windows/tests/winrm-host.Tests.ps1"

BeforeAll {
    $script:Runner = Join-Path -Path $PSScriptRoot -ChildPath '../Invoke-SimulatedHost.ps1'

    function New-TestState {
        param([string]$Os = 'windows-server-2016')
        return @{
            host                  = @{ fqdn = 'exch01.fabrikam.com'; computerName = 'EXCH01'; domain = 'fabrikam.com'; netbios = 'FABRIKAM'; os = $Os; psVersion = '5.1'; is64BitProcess = $true; remoteSession = $false; modules = @(); now = '2026-12-01T12:00:00Z' }
            services              = @{ WinRM = @{ status = 'Running'; startMode = 'Auto'; displayName = 'Windows Remote Management (WS-Management)' } }
            wsman                 = @{
                Service   = @{ AllowUnencrypted = 'false'; IPv4Filter = '*'; IPv6Filter = '*'; Auth = @{ Basic = 'false'; Kerberos = 'true'; Negotiate = 'true'; Certificate = 'false'; CredSSP = 'false'; CbtHardeningLevel = 'Relaxed' } }
                Client    = @{ TrustedHosts = ''; AllowUnencrypted = 'false'; Auth = @{ Basic = 'true'; Digest = 'true'; Kerberos = 'true'; Negotiate = 'true'; Certificate = 'true'; CredSSP = 'false' } }
                listeners = @(@{ Address = '*'; Transport = 'HTTP'; Port = 5985; Hostname = ''; Enabled = 'true'; URLPrefix = 'wsman'; CertificateThumbprint = '' })
            }
            sessionConfigurations = @{}
            localGroups           = @{ 'Remote Management Users' = @{ sid = 'S-1-5-32-580'; members = @() }; Administrators = @{ sid = 'S-1-5-32-544'; members = @() } }
            accounts              = @{ 'FABRIKAM\svc_sync' = 'S-1-5-21-1-2-3-1001'; 'svc_sync@fabrikam.com' = 'S-1-5-21-1-2-3-1001' }
            firewall              = @{ rules = @(@{ Name = 'r1'; DisplayName = 'r1'; Group = 'g'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = @('5986'); RemoteAddress = @('10.9.0.0/24', '10.1.0.30'); Action = 'Allow'; Profile = 'Domain'; Enabled = 'True' }) }
            registry              = @{ 'HKLM:\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters' = @{} }
            prefixPolicies        = @{ active = @(@{ precedence = 50; label = 0; prefix = '::1/128' }, @{ precedence = 40; label = 1; prefix = '::/0' }, @{ precedence = 35; label = 4; prefix = '::ffff:0:0/96' }) }
            executionPolicy       = @{ MachinePolicy = 'Undefined'; UserPolicy = 'Undefined'; Process = 'Undefined'; CurrentUser = 'Undefined'; LocalMachine = 'RemoteSigned' }
            certificates          = @{ My = @(); Root = @() }
            network               = @{ reachable = @('dc01.fabrikam.com:88') }
            kerberos              = @{}
            secrets               = @{}
            remote                = @{}
            directory             = @{ ad = @{}; dns = @{ records = @{ 'dc01.fabrikam.com' = @{ A = @('10.2.0.10'); AAAA = @() }; 'exch01.fabrikam.com' = @{ A = @('10.2.0.20'); AAAA = @() } }; srv = @{ '_kerberos._tcp.fabrikam.com' = @('dc01.fabrikam.com') }; servers = @{ 'dc01.fabrikam.com' = @('fabrikam.com') } } }
        }
    }

    function Invoke-TestScript {
        param([Parameter(Mandatory = $true)][string]$Text, [hashtable]$State = (New-TestState), [hashtable]$ScriptArguments = @{})
        $path = Join-Path -Path $TestDrive -ChildPath ('t' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $path -Value ("[CmdletBinding(SupportsShouldProcess)]`nparam()`nSet-StrictMode -Version Latest`n`$ErrorActionPreference = 'Stop'`n" + $Text)
        return (& $script:Runner -State $State -Script $path -ScriptArguments $ScriptArguments)
    }
}

Describe 'documented signatures' {
    It 'refuses a parameter Microsoft does not document' {
        $r = Invoke-TestScript -Text "Get-WSManInstance -ResourceURI 'winrm/config/Listener' -Enumerate -Bogus"
        $r.exitCode | Should -Be 1
        ($r.errors -join ' ') | Should -Match "parameter name 'Bogus'"
    }
    It 'refuses parameters from two parameter sets' {
        $r = Invoke-TestScript -Text "Get-WSManInstance -ResourceURI 'winrm/config/Listener' -Enumerate -Fragment 'x'"
        $r.exitCode | Should -Be 1
        ($r.errors -join ' ') | Should -Match 'Parameter set cannot be resolved'
    }
    It 'refuses a value outside the documented enumeration' {
        $r = Invoke-TestScript -Text "Set-Service -Name 'WinRM' -StartupType 'AutomaticDelayedStart'"
        $r.exitCode | Should -Be 1
    }
    It 'gives New-SelfSignedCertificate only -DnsName, -CertStoreLocation and -CloneCert before 2016' {
        $old = Invoke-TestScript -State (New-TestState -Os 'windows-server-2012-r2') -Text "New-SelfSignedCertificate -DnsName 'a.fabrikam.com' -CertStoreLocation 'Cert:\LocalMachine\My' -NotAfter (Get-Date).AddYears(2)"
        $old.exitCode | Should -Be 1
        ($old.errors -join ' ') | Should -Match "parameter name 'NotAfter'"
        $new = Invoke-TestScript -State (New-TestState -Os 'windows-server-2016') -Text "`$null = New-SelfSignedCertificate -DnsName 'a.fabrikam.com' -CertStoreLocation 'Cert:\LocalMachine\My' -NotAfter (Get-Date).AddYears(2)"
        $new.exitCode | Should -Be 0
        @($new.state.certificates.My).Count | Should -Be 1
    }
    It 'takes the WSMan: dynamic parameters on the WSMan: drive only' {
        $r = Invoke-TestScript -Text "`$null = New-Item -Path (Join-Path -Path `$TestDrive -ChildPath 'x') -Transport 'HTTP'"
        $r.exitCode | Should -Be 1
    }
}

Describe 'commands per OS profile' {
    It 'has no NetSecurity cmdlets on Windows Server 2008 R2' {
        $r = Invoke-TestScript -State (New-TestState -Os 'windows-server-2008-r2') -Text "Get-NetFirewallRule -Name 'r1'"
        $r.exitCode | Should -Be 1
        ($r.errors -join ' ') | Should -Match "The term 'Get-NetFirewallRule' is not recognized"
        $r.failingCall.command | Should -Be 'Get-NetFirewallRule'
    }
    It 'reports a missing command through Get-Command as Windows does' {
        $old = Invoke-TestScript -State (New-TestState -Os 'windows-server-2012-r2') -Text "if (`$null -eq (Get-Command -Name 'Add-LocalGroupMember' -ErrorAction 'SilentlyContinue')) { Write-Host -Object 'missing' } else { Write-Host -Object 'present' }"
        $old.output | Should -Contain 'missing'
        $new = Invoke-TestScript -State (New-TestState -Os 'windows-server-2016') -Text "if (`$null -eq (Get-Command -Name 'Add-LocalGroupMember' -ErrorAction 'SilentlyContinue')) { Write-Host -Object 'missing' } else { Write-Host -Object 'present' }"
        $new.output | Should -Contain 'present'
    }
    It 'has klist get from Windows Server 2012 only' {
        $old = Invoke-TestScript -State (New-TestState -Os 'windows-server-2008-r2') -Text "`$null = & klist.exe get 'HTTP/exch01.fabrikam.com'; Write-Host -Object ('code ' + `$LASTEXITCODE)"
        $old.output | Should -Contain 'code 1'
        $new = Invoke-TestScript -State (New-TestState -Os 'windows-server-2012') -Text "`$null = & klist.exe get 'HTTP/exch01.fabrikam.com'; Write-Host -Object ('code ' + `$LASTEXITCODE)"
        $new.output | Should -Contain 'code 0'
    }
    It 'issues no ticket when no domain controller of the SPN''s domain is reachable on 88' {
        $state = New-TestState -Os 'windows-server-2016'
        $state.network.reachable = @()
        $r = Invoke-TestScript -State $state -Text "`$null = & klist.exe get 'HTTP/exch01.fabrikam.com'; Write-Host -Object ('code ' + `$LASTEXITCODE)"
        $r.output | Should -Not -Contain 'code 0'
    }
}

Describe 'Windows PowerShell 2.0 and 4.0 profiles' {
    BeforeAll {
        function Invoke-DownlevelScript {
            param([Parameter(Mandatory = $true)][string]$Text, [string]$PsVersion = '2.0', [string]$Os = 'windows-server-2008-r2', [hashtable]$ScriptArguments = @{}, [bool]$Elevated = $true)
            $state = New-TestState -Os $Os
            $state.host.psVersion = $PsVersion
            $state.host.elevated = $Elevated
            $path = Join-Path -Path $TestDrive -ChildPath ('d' + [guid]::NewGuid().ToString('N') + '.ps1')
            Set-Content -LiteralPath $path -Value ("[CmdletBinding(SupportsShouldProcess = `$true)]`nparam()`nSet-StrictMode -Version 2.0`n`$ErrorActionPreference = 'Stop'`n" + $Text)
            return (& $script:Runner -State $state -Script $path -ScriptArguments $ScriptArguments)
        }
    }
    It 'fails a call to a cmdlet Windows PowerShell 2.0 lacks, as Windows does' {
        $r = Invoke-DownlevelScript -Text "`$c = 'Get-CimInstance'; & `$c -ClassName 'Win32_Service'"
        $r.exitCode | Should -Be 1
        ($r.errors -join ' ') | Should -Match "The term 'Get-CimInstance' is not recognized"
        $r.failingCall.command | Should -Be 'Get-CimInstance'
    }
    It 'has Get-WmiObject, with the Win32_Service the CIM cmdlets read' {
        $r = Invoke-DownlevelScript -Text "`$s = Get-WmiObject -Class 'Win32_Service' -Filter `"Name='WinRM'`"; Write-Host -Object (`$s.StartMode + ' ' + `$s.State)"
        $r.exitCode | Should -Be 0
        $r.output | Should -Contain 'Auto Running'
    }
    It 'fails a parameter the 2.0 cmdlet does not have' {
        $r = Invoke-DownlevelScript -Text "`$p = @{ SkipNetworkProfileCheck = `$true; Force = `$true }; Enable-PSRemoting @p"
        $r.exitCode | Should -Be 1
        ($r.errors -join ' ') | Should -Match "parameter name 'SkipNetworkProfileCheck'"
    }
    It 'refuses syntax the version lacks before anything runs' {
        $r = Invoke-DownlevelScript -Text "Set-Service -Name 'WinRM' -StartupType 'Manual'`n`$o = [ordered]@{ a = 1 }"
        $r.exitCode | Should -Be 1
        @($r.changes).Count | Should -Be 0
        ($r.errors -join ' ') | Should -Match 'ordered-cast'
    }
    It 'takes [ordered] on 4.0, where it exists, but not a 5.1 cmdlet' {
        $ok = Invoke-DownlevelScript -PsVersion '4.0' -Os 'windows-server-2012-r2' -Text "`$o = [ordered]@{ a = 1 }; Write-Host -Object 'ran'"
        $ok.output | Should -Contain 'ran'
        $r = Invoke-DownlevelScript -PsVersion '4.0' -Os 'windows-server-2012-r2' -Text "`$c = 'Get-LocalGroupMember'; & `$c -SID 'S-1-5-32-580'"
        ($r.errors -join ' ') | Should -Match "The term 'Get-LocalGroupMember' is not recognized"
    }
    It 'makes a PSObject with note properties through New-Object -Property, as 2.0 scripts write [pscustomobject]' {
        $r = Invoke-DownlevelScript -Text "`$o = New-Object -TypeName 'PSObject' -Property @{ Port = '5985'; Enabled = 'true' }; Write-Host -Object (`$o.Port + ' ' + `$o.Enabled)"
        $r.exitCode | Should -Be 0
        $r.output | Should -Contain '5985 true'
    }
    It 'answers the elevation check from host.elevated' {
        $check = "`$p = New-Object -TypeName 'System.Security.Principal.WindowsPrincipal' -ArgumentList @([System.Security.Principal.WindowsIdentity]::GetCurrent()); Write-Host -Object ('admin ' + `$p.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator))"
        (Invoke-DownlevelScript -Text $check).output | Should -Contain 'admin True'
        (Invoke-DownlevelScript -Text $check -Elevated $false).output | Should -Contain 'admin False'
    }
}

Describe 'state changes and -WhatIf' {
    It 'records a change only when a value changes' {
        $same = Invoke-TestScript -Text "Set-Item -Path 'WSMan:\localhost\Service\Auth\Kerberos' -Value 'true' -Force"
        @($same.changes).Count | Should -Be 0
        $other = Invoke-TestScript -Text "Set-Item -Path 'WSMan:\localhost\Service\Auth\Basic' -Value 'true' -Force"
        @($other.changes).Count | Should -Be 1
        $other.state.wsman.Service.Auth.Basic | Should -Be 'true'
    }
    It 'changes nothing under -WhatIf' {
        $r = Invoke-TestScript -ScriptArguments @{ WhatIf = $true } -Text "Set-Item -Path 'WSMan:\localhost\Service\Auth\Basic' -Value 'true' -Force; Set-Service -Name 'WinRM' -StartupType 'Manual'; `$null = New-NetFirewallRule -Name 'x' -DisplayName 'x' -Direction 'Inbound' -Protocol 'TCP' -LocalPort 5986 -Action 'Allow'"
        $r.exitCode | Should -Be 0
        @($r.changes).Count | Should -Be 0
    }
    It 'answers -Confirm prompts, declining those host.declineConfirm names' {
        $state = New-TestState
        $state.host.declineConfirm = @('Auth\Basic')
        $text = "if (`$PSCmdlet.ShouldProcess('WSMan:\localhost\Service\Auth\Basic', 'Set')) { Set-Item -Path 'WSMan:\localhost\Service\Auth\Basic' -Value 'true' -Force }; if (`$PSCmdlet.ShouldProcess('WSMan:\localhost\Service\Auth\CredSSP', 'Set')) { Set-Item -Path 'WSMan:\localhost\Service\Auth\CredSSP' -Value 'true' -Force }"
        $r = Invoke-TestScript -State $state -ScriptArguments @{ Confirm = $true } -Text $text
        $r.exitCode | Should -Be 0
        $r.state.wsman.Service.Auth.Basic | Should -Be 'false'
        $r.state.wsman.Service.Auth.CredSSP | Should -Be 'true'
        @($r.prompts | Where-Object { $_ -like 'No: *Auth\Basic*' }).Count | Should -Be 1
        @($r.prompts | Where-Object { $_ -like 'Yes: *Auth\CredSSP*' }).Count | Should -BeGreaterThan 0
    }
    It 'gives [Environment]::Is64BitProcess and Is64BitOperatingSystem from the state' {
        $state = New-TestState
        $state.host.is64BitProcess = $false
        $r = Invoke-TestScript -State $state -Text "Write-Host -Object ([string][Environment]::Is64BitProcess + ' ' + [string][System.Environment]::Is64BitOperatingSystem)"
        $r.output | Should -Contain 'False True'
        $native = Invoke-TestScript -Text "Write-Host -Object ([string][Environment]::Is64BitProcess)"
        $native.output | Should -Contain 'True'
    }
    It 'reads a missing state key as absent under the script''s strict mode' {
        $state = New-TestState
        $state.Remove('kerberos')
        $r = Invoke-TestScript -State $state -Text "`$null = & klist.exe get 'HTTP/exch01.fabrikam.com'; Write-Host -Object 'ran'"
        $r.output | Should -Contain 'ran'
    }
}

Describe 'Group Policy over WinRM settings' {
    It 'reads the policy value and refuses a local change' {
        $state = New-TestState
        $state.registry['HKLM:\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service'] = @{ AllowBasic = @{ type = 'DWord'; value = 1 } }
        $r = Invoke-TestScript -State $state -Text "Write-Host -Object ([string](Get-Item -Path 'WSMan:\localhost\Service\Auth\Basic').Value); Set-Item -Path 'WSMan:\localhost\Service\Auth\Basic' -Value 'false' -Force"
        $r.output[0] | Should -Be 'true'
        $r.exitCode | Should -Be 1
        @($r.changes).Count | Should -Be 0
    }
    It 'applies the local CbtHardeningLevel when CBTHardeningLevelStatus is 0 (policy disabled)' {
        $state = New-TestState
        $state.registry['HKLM:\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service'] = @{ CBTHardeningLevelStatus = @{ type = 'DWord'; value = 0 }; CbtHardeningLevel = @{ type = 'String'; value = 'Strict' } }
        $r = Invoke-TestScript -State $state -Text "Set-Item -Path 'WSMan:\localhost\Service\Auth\CbtHardeningLevel' -Value 'None' -Force; Write-Host -Object ([string](Get-Item -Path 'WSMan:\localhost\Service\Auth\CbtHardeningLevel').Value)"
        $r.exitCode | Should -Be 0
        $r.output | Should -Contain 'None'
    }
}

Describe 'native tools and formats' {
    It 'prints the prefix policy table that scripts parse, and changes it with netsh set' {
        $r = Invoke-TestScript -Text "& netsh.exe interface ipv6 set prefixpolicy '::ffff:0:0/96' '60' '4' | Out-Null; foreach (`$line in @(& netsh.exe interface ipv6 show prefixpolicies)) { if (`$line -match '^\s*([0-9]+)\s+([0-9]+)\s+(\S+)\s*$') { Write-Host -Object (`$Matches[3] + '=' + `$Matches[1]) } }"
        $r.output | Should -Contain '::ffff:0:0/96=60'
        $r.output | Should -Contain '::/0=40'
        @($r.changes).Count | Should -Be 1
    }
    It 'refuses a netsh argument vector it does not know' {
        $r = Invoke-TestScript -Text "`$null = & netsh.exe interface ipv6 set prefixpolicy '::ffff:0:0/96' 'sixty' '4'; Write-Host -Object ('code ' + `$LASTEXITCODE)"
        $r.output | Should -Contain 'code 1'
        @($r.changes).Count | Should -Be 0
    }
    It 'lists net localgroup members after the dashed line and fails a second /add with system error 1378' {
        $r = Invoke-TestScript -Text "& net.exe localgroup 'Remote Management Users' 'FABRIKAM\svc_sync' '/add' | Out-Null; `$second = @(& net.exe localgroup 'Remote Management Users' 'FABRIKAM\svc_sync' '/add'); Write-Host -Object ('code ' + `$LASTEXITCODE + ' ' + (`$second -join ' ')); & net.exe localgroup 'Remote Management Users' | ForEach-Object { Write-Host -Object `$_ }"
        $r.output | Should -Contain 'FABRIKAM\svc_sync'
        ($r.output -join "`n") | Should -Match 'code 2 System error 1378'
        @($r.changes).Count | Should -Be 1
    }
    It 'reports firewall address filters as the firewall API does' {
        $r = Invoke-TestScript -Text "(Get-NetFirewallRule -Name 'r1' | Get-NetFirewallAddressFilter).RemoteAddress | ForEach-Object { Write-Host -Object `$_ }"
        $r.output | Should -Contain '10.9.0.0/255.255.255.0'
        $r.output | Should -Contain '10.1.0.30'
    }
    It 'connects TcpClient only to reachable ports, by name or address' {
        $r = Invoke-TestScript -Text "foreach (`$t in @(@('dc01.fabrikam.com', 88), @('10.2.0.10', 88), @('dc01.fabrikam.com', 389))) { `$c = New-Object -TypeName 'System.Net.Sockets.TcpClient'; `$a = `$c.BeginConnect(`$t[0], `$t[1], `$null, `$null); Write-Host -Object (`$t[0] + ':' + `$t[1] + '=' + `$a.AsyncWaitHandle.WaitOne(3000)) }"
        $r.output | Should -Be @('dc01.fabrikam.com:88=True', '10.2.0.10:88=True', 'dc01.fabrikam.com:389=False')
    }
    It 'makes new TcpClient() an IPv4 socket, as .NET Framework does, and TcpClient(AddressFamily) one of that family' {
        $state = New-TestState
        $state.directory.dns.records['exch01.fabrikam.com'].AAAA = @('fd00:2::20')
        $state.network.reachable = @('exch01.fabrikam.com:5985/IPv6')
        $text = @(
            "`$c = New-Object -TypeName 'System.Net.Sockets.TcpClient'; Write-Host -Object ('default by name=' + `$c.BeginConnect('exch01.fabrikam.com', 5985, `$null, `$null).AsyncWaitHandle.WaitOne(3000))"
            "foreach (`$a in [System.Net.Dns]::GetHostAddresses('exch01.fabrikam.com')) { `$c = New-Object -TypeName 'System.Net.Sockets.TcpClient' -ArgumentList `$a.AddressFamily; Write-Host -Object (`$a.ToString() + '=' + `$c.BeginConnect(`$a, 5985, `$null, `$null).AsyncWaitHandle.WaitOne(3000)) }"
            "try { `$c = New-Object -TypeName 'System.Net.Sockets.TcpClient'; `$null = `$c.BeginConnect([System.Net.IPAddress]::Parse('fd00:2::20'), 5985, `$null, `$null) } catch { Write-Host -Object 'family mismatch refused' }"
            "try { `$null = [System.Net.Dns]::GetHostAddresses('nohost.fabrikam.com') } catch { Write-Host -Object 'unknown name refused' }"
        ) -join "`n"
        $r = Invoke-TestScript -State $state -Text $text
        $r.output | Should -Be @('default by name=False', '10.2.0.20=False', 'fd00:2::20=True', 'family mismatch refused', 'unknown name refused')
    }
    It 'keeps the stored prefix policy table apart from the running one: netsh set changes both, store=active only the running one' {
        $state = New-TestState
        $state.prefixPolicies.persistent = @($state.prefixPolicies.active | ForEach-Object { @{ precedence = $_.precedence; label = $_.label; prefix = $_.prefix } })
        $r = Invoke-TestScript -State $state -Text "& netsh.exe interface ipv6 set prefixpolicy '::ffff:0:0/96' '60' '4' 'store=active' | Out-Null"
        @($r.state.prefixPolicies.active | Where-Object { $_.prefix -eq '::ffff:0:0/96' })[0].precedence | Should -Be 60
        @($r.state.prefixPolicies.persistent | Where-Object { $_.prefix -eq '::ffff:0:0/96' })[0].precedence | Should -Be 35
        $both = Invoke-TestScript -State $state -Text "& netsh.exe interface ipv6 set prefixpolicy '::ffff:0:0/96' '60' '4' | Out-Null"
        @($both.state.prefixPolicies.persistent | Where-Object { $_.prefix -eq '::ffff:0:0/96' })[0].precedence | Should -Be 60
    }
    It 'changes nothing in the running table when DisabledComponents is written: that takes a restart' {
        $r = Invoke-TestScript -Text "`$null = New-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters' -Name 'DisabledComponents' -PropertyType 'DWord' -Value 32 -Force; foreach (`$line in @(& netsh.exe interface ipv6 show prefixpolicies)) { if (`$line -match '::ffff:0:0/96') { Write-Host -Object `$line.Trim() } }"
        $r.output | Should -Be @('35      4  ::ffff:0:0/96')
    }
    It 'answers DNS only for the zones a server holds, and only when it is reachable on 53' {
        $state = New-TestState
        $state.network.reachable = @('dc01.fabrikam.com:53')
        $r = Invoke-TestScript -State $state -Text "try { `$null = Resolve-DnsName -Name 'exch01.fabrikam.com' -Type 'A' -Server 'dc01.fabrikam.com' -DnsOnly; Write-Host -Object 'own ok' } catch { Write-Host -Object 'own failed' }; try { `$null = Resolve-DnsName -Name 'fim01.corp.contoso.com' -Type 'A' -Server 'dc01.fabrikam.com' -DnsOnly; Write-Host -Object 'other ok' } catch { Write-Host -Object 'other failed' }"
        $r.output | Should -Be @('own ok', 'other failed')
        $unreachable = Invoke-TestScript -Text "try { `$null = Resolve-DnsName -Name 'exch01.fabrikam.com' -Type 'A' -Server 'dc01.fabrikam.com' -DnsOnly; Write-Host -Object 'ok' } catch { Write-Host -Object `$_.Exception.Message }"
        $unreachable.output[0] | Should -Match 'timeout period expired'
    }
}

Describe 'the remoting client' {
    It 'imports Get-ExchangeServer from an Exchange session and removes the module again' {
        $state = New-TestState
        $state.remote = @{ 'exch02.fabrikam.com' = @{ computerName = 'EXCH02'; exchangeServers = @('exch02.fabrikam.com'); endpoints = @{ 'http:80/PowerShell' = @{ auth = @('Kerberos'); trusted = $true; configurations = @('Microsoft.Exchange') } } } }
        $text = @"
`$credential = Get-Credential -Credential 'FABRIKAM\svc_sync'
`$session = New-PSSession -ConfigurationName 'Microsoft.Exchange' -ConnectionUri 'http://exch02.fabrikam.com/PowerShell/' -Authentication 'Kerberos' -Credential `$credential
`$module = Import-PSSession -Session `$session -DisableNameChecking -AllowClobber -CommandName 'Get-ExchangeServer'
Write-Host -Object ('servers ' + @(Get-ExchangeServer).Count)
Remove-Module -ModuleInfo `$module
Remove-PSSession -Session `$session
"@
        $r = Invoke-TestScript -State $state -Text $text
        $r.errors | Should -BeNullOrEmpty
        $r.output | Should -Contain 'servers 1'
        $r.exitCode | Should -Be 0
    }
}

Describe 'Test-WSMan' {
    It 'treats a DNS alias of the host itself as local' {
        $state = New-TestState
        $state.directory.dns.records['exch01-mgmt.fabrikam.com'] = @{ A = @('10.2.0.20'); AAAA = @() }
        $state.certificates.My = @(@{ Thumbprint = '6A8D7E5537D441190FD72C7C2E879A064072CE0F'; Subject = 'CN=exch01-mgmt.fabrikam.com'; Issuer = 'CN=Fabrikam CA'; DnsNameList = @('exch01-mgmt.fabrikam.com'); NotBefore = '2026-01-01T00:00:00Z'; NotAfter = '2027-12-31T00:00:00Z'; HasPrivateKey = $true; EnhancedKeyUsage = @('1.3.6.1.5.5.7.3.1'); trusted = $true })
        $state.wsman.listeners += @{ Address = '*'; Transport = 'HTTPS'; Port = 5987; Hostname = 'exch01-mgmt.fabrikam.com'; Enabled = 'true'; URLPrefix = 'wsman'; CertificateThumbprint = '6A8D7E5537D441190FD72C7C2E879A064072CE0F' }
        $r = Invoke-TestScript -State $state -Text "`$null = Test-WSMan -ComputerName 'exch01-mgmt.fabrikam.com' -Port 5987 -UseSSL; Write-Host -Object 'reached'"
        $r.errors | Should -BeNullOrEmpty
        $r.output | Should -Contain 'reached'
    }
}

Describe 'generated scripts after Disable-PSRemoting' {
    BeforeAll {
        $script:Exchange = Join-Path -Path $PSScriptRoot -ChildPath '../../golden/monosync-https-delegation/monofor-monosync/hosts/exch01.monofor.com'
        function New-DisabledState {
            # What Disable-PSRemoting leaves: the endpoint stays Enabled, NT AUTHORITY\NETWORK is denied.
            $state = New-TestState
            $state.host.fqdn = 'exch01.monofor.com'
            $state.host.computerName = 'EXCH01'
            $allowed = @(@{ sid = 'S-1-5-4'; account = 'NT AUTHORITY\INTERACTIVE'; access = 'AccessAllowed' }, @{ sid = 'S-1-5-32-544'; account = 'BUILTIN\Administrators'; access = 'AccessAllowed' }, @{ sid = 'S-1-5-32-580'; account = 'BUILTIN\Remote Management Users'; access = 'AccessAllowed' })
            $state.sessionConfigurations = @{ 'microsoft.powershell' = @{ enabled = $true; permissions = @(@{ sid = 'S-1-5-2'; account = 'NT AUTHORITY\NETWORK'; access = 'AccessDenied' }) + $allowed } }
            return $state
        }
    }
    It 'the enable-remoting step re-enables network access, and a second run changes nothing' {
        $first = & $script:Runner -State (New-DisabledState) -Script (Join-Path -Path $script:Exchange -ChildPath '02-enable-remoting.ps1')
        $first.exitCode | Should -Be 0
        ($first.output -join "`n") | Should -Match 'changed: PowerShell remoting enabled'
        $denied = @($first.state.sessionConfigurations['microsoft.powershell'].permissions | Where-Object { ($_.sid -eq 'S-1-5-2') -and ($_.access -eq 'AccessDenied') })
        $denied.Count | Should -Be 0
        $second = & $script:Runner -State $first.state -Script (Join-Path -Path $script:Exchange -ChildPath '02-enable-remoting.ps1')
        ($second.output -join "`n") | Should -Match 'already configured'
        @($second.changes).Count | Should -Be 0
    }
    It 'verify.ps1 names the denied network access' {
        $r = & $script:Runner -State (New-DisabledState) -Script (Join-Path -Path $script:Exchange -ChildPath 'verify.ps1')
        ($r.output -join "`n") | Should -Match 'FAIL PowerShell remoting accepts network sessions \(Microsoft.PowerShell\): network access is denied'
    }
}

Describe 'the sync server''s Kerberos ticket check per release' {
    BeforeAll {
        $script:SyncVerify = Join-Path -Path $PSScriptRoot -ChildPath '../../golden/galsync-fim-kerberos/contoso-galsync/hosts/fim01.corp.contoso.com/verify.ps1'
        function New-SyncState {
            param([string]$Os)
            $state = New-TestState -Os $Os
            $state.host.fqdn = 'fim01.corp.contoso.com'
            $state.host.computerName = 'FIM01'
            $state.network.reachable = @('dc01.fabrikam.com:88')
            $state.directory.dns.records['cas01.fabrikam.com'] = @{ A = @('10.2.0.21'); AAAA = @() }
            return $state
        }
    }
    It 'calls no klist get on Windows Server 2008 R2, and says the ticket is not testable there' {
        $r = & $script:Runner -State (New-SyncState -Os 'windows-server-2008-r2') -Script $script:SyncVerify
        @($r.calls | Where-Object { $_ -like 'klist.exe*' }).Count | Should -Be 0
        ($r.output -join "`n") | Should -Match 'NOT TESTABLE Kerberos ticket for HTTP/cas01.fabrikam.com'
        ($r.output -join "`n") | Should -Not -Match 'FAIL Kerberos ticket'
    }
    It 'asks klist get for the ticket from Windows Server 2012' {
        $r = & $script:Runner -State (New-SyncState -Os 'windows-server-2012') -Script $script:SyncVerify
        ($r.output -join "`n") | Should -Match 'OK   Kerberos ticket for HTTP/cas01.fabrikam.com'
    }
}

Describe 'the run entry' {
    It 'returns the script''s exit code, not a native tool''s' {
        (Invoke-TestScript -Text "`$null = & netsh.exe interface ipv6 bogus").exitCode | Should -Be 0
        (Invoke-TestScript -Text 'exit 3').exitCode | Should -Be 3
    }
    It 'names the call that failed' {
        $r = Invoke-TestScript -Text "Set-NetFirewallRule -Name 'missing' -Enabled 'True'"
        $r.exitCode | Should -Be 1
        $r.failingCall.command | Should -Be 'Set-NetFirewallRule'
        $r.failingCall.arguments.Name | Should -Be 'missing'
    }
    It 'never changes the caller''s state' {
        $state = New-TestState
        $null = Invoke-TestScript -State $state -Text "Set-Item -Path 'WSMan:\localhost\Service\Auth\Basic' -Value 'true' -Force"
        $state.wsman.Service.Auth.Basic | Should -Be 'false'
    }
}
