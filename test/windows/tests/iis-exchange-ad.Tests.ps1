# Pester 5 tests of the IIS, Exchange and Active Directory stubs of the simulated host: they refuse
# undocumented parameters and wrong parameter sets, honour -WhatIf, record every change, and behave
# as the documented commands do on the states the scripts meet.
# Run: .tools/pwsh/pwsh -NoProfile -Command "Invoke-Pester -Path test/windows/tests/iis-exchange-ad.Tests.ps1"

BeforeAll {
    $script:root = Split-Path -Path $PSScriptRoot -Parent
    Import-Module -Name (Join-Path -Path $script:root -ChildPath 'Simulator.psm1') -Global -DisableNameChecking -Force
    # The runner loads the stubs into the global scope; so do the tests.
    foreach ($name in @('certificates.ps1', 'activedirectory.ps1', 'eventlog.ps1', 'iis.ps1', 'exchange.ps1', 'native-ad-iis.ps1', 'webrequest.ps1')) {
        $text = Get-Content -LiteralPath (Join-Path -Path $script:root -ChildPath ('stubs/' + $name)) -Raw
        $text = [regex]::Replace($text, '(?m)^function ', 'function global:')
        . ([scriptblock]::Create($text))
    }
    $script:profile = Get-Content -LiteralPath (Join-Path -Path $script:root -ChildPath 'profiles/exchange-2019.json') -Raw | ConvertFrom-Json -AsHashtable
    function global:New-TestState {
        param([switch]$Proxy)
        $iis = $script:profile.iis
        $exchange = @{
            servers            = @(@{ name = 'EX01'; fqdn = 'ex01.contoso.com'; version = 'exchange-2019'; admindisplayVersion = 'Version 15.2'; serverRole = 'Mailbox'; site = 'Default-First-Site-Name' })
            virtualDirectories = @(
                @{ server = 'EX01'; name = 'PowerShell (Default Web Site)'; location = 'Default Web Site/PowerShell'; backEnd = $false; internalUrl = 'http://ex01.contoso.com/powershell' },
                @{ server = 'EX01'; name = 'PowerShell (Exchange Back End)'; location = 'Exchange Back End/PowerShell'; backEnd = $true; internalUrl = 'https://ex01.contoso.com:444/powershell' })
        }
        if ($Proxy) {
            $iis = @{
                features      = @{ 'Web-Server' = $true }
                globalModules = @(@{ name = 'RewriteModule'; image = '%SystemRoot%\system32\inetsrv\rewrite.dll' }, @{ name = 'ApplicationRequestRouting'; image = '%ProgramFiles%\IIS\Application Request Routing\requestRouter.dll' })
                sites         = @(@{ name = 'Default Web Site'; id = 1; bindings = @(@{ protocol = 'http'; bindingInformation = '*:80:'; sslFlags = 0 }) })
                sslBindings   = @()
                appPools      = @(@{ name = 'DefaultAppPool'; state = 'Started'; recycles = 0 })
                config        = @{ 'system.webServer' = @{ proxy = @{ enabled = $false }; rewrite = @{ globalRules = @{ rule = @() } } }; webFarms = @{ webFarm = @() } }
                locations     = @{}
                servedNames   = @('mail.contoso.com')
                upstream      = @{ 'ex01.contoso.com' = @{ status = 401; authenticate = @('Basic realm="ex01.contoso.com"', 'Negotiate') } }
            }
            $exchange = $null
        }
        $state = @{
            host         = @{ fqdn = 'ex01.contoso.com'; computerName = 'EX01'; domain = 'contoso.com'; netbios = 'CONTOSO'; os = 'windows-server-2019'; modules = @('WebAdministration', 'ActiveDirectory'); missingCommands = @(); now = '2026-12-01T12:00:00Z' }
            iis          = $iis
            exchange     = $exchange
            certificates = @{ My = @(@{ Thumbprint = 'AB12'; Subject = 'CN=mail.contoso.com'; DnsNameList = @('mail.contoso.com'); NotBefore = '2026-01-01T00:00:00Z'; NotAfter = '2027-12-31T00:00:00Z'; HasPrivateKey = $true; EnhancedKeyUsage = @('1.3.6.1.5.5.7.3.1'); trusted = $true }); Root = @() }
            network      = @{ reachable = @('ex01.contoso.com:443') }
            directory    = @{ ad = @{
                    domains   = @(@{ name = 'contoso.com'; netbios = 'CONTOSO'; sid = 'S-1-5-21-1-2-3'; domainControllers = @('dc01.contoso.com'); reachable = $true }, @{ name = 'fabrikam.com'; netbios = 'FABRIKAM'; sid = 'S-1-5-21-4-5-6'; domainControllers = @('dc01.fabrikam.com'); reachable = $false })
                    computers = @(@{ domain = 'contoso.com'; distinguishedName = 'CN=EX01,CN=Computers,DC=contoso,DC=com'; name = 'EX01'; sAMAccountName = 'EX01$'; dNSHostName = 'ex01.contoso.com'; objectSid = 'S-1-5-21-1-2-3-1101'; objectGUID = '00000000-0000-0000-0000-000000001101'; userAccountControl = 4096; servicePrincipalName = @('HOST/ex01.contoso.com', 'HOST/EX01') })
                    users     = @(@{ domain = 'contoso.com'; distinguishedName = 'CN=svc-sync,CN=Users,DC=contoso,DC=com'; name = 'svc-sync'; sAMAccountName = 'svc-sync'; userPrincipalName = 'svc-sync@contoso.com'; objectSid = 'S-1-5-21-1-2-3-1200'; objectGUID = '00000000-0000-0000-0000-000000001200'; userAccountControl = 512; servicePrincipalName = @() })
                    trusts    = @(@{ domain = 'contoso.com'; trustPartner = 'fabrikam.com'; direction = 'BiDirectional'; trustType = 'Uplevel'; trustAttributes = 8; 'msDS-SupportedEncryptionTypes' = 24 })
                } 
            }
            eventLogs    = @{
                'ex01.contoso.com' = @{ System = @(
                        @{ Id = 205; ProviderName = 'Microsoft-Windows-Kerberos-Key-Distribution-Center'; TimeCreated = '2026-11-30T12:00:00Z'; Message = 'insecure DefaultDomainSupportedEncTypes' },
                        @{ Id = 201; ProviderName = 'Microsoft-Windows-Kerberos-Key-Distribution-Center'; TimeCreated = '2026-10-01T12:00:00Z'; Message = 'old' },
                        @{ Id = 7036; ProviderName = 'Service Control Manager'; TimeCreated = '2026-11-30T12:00:00Z'; Message = 'service state' }) }
                'dc02.contoso.com' = @{ System = @() }
            }
        }
        Initialize-SimState -State $state
        $global:SimProfile = @{ name = 'windows-server-2019'; missingCommands = @(); modules = @() }
    }
    function global:Get-TestChanges {
        # The change log is a List[object]; @() of one made by New-Object fails in pwsh 7.6, so copy it.
        return $global:SimState.changes.ToArray()
    }
}

Describe 'Signatures: undocumented parameters and wrong parameter sets fail' {
    BeforeEach { New-TestState }
    It '<Command> refuses -<Parameter>' -ForEach @(
        @{ Command = 'Get-WebConfigurationProperty'; Parameter = 'Value' },
        @{ Command = 'Set-WebConfigurationProperty'; Parameter = 'Section' },
        @{ Command = 'Add-WebConfigurationProperty'; Parameter = 'Property' },
        @{ Command = 'Get-WebBinding'; Parameter = 'Site' },
        @{ Command = 'New-WebBinding'; Parameter = 'CertificateThumbprint' },
        @{ Command = 'Restart-WebAppPool'; Parameter = 'WhatIf' },
        @{ Command = 'Get-ADComputer'; Parameter = 'WhatIf' },
        @{ Command = 'Get-ADObject'; Parameter = 'Domain' },
        @{ Command = 'Set-ADAccountControl'; Parameter = 'Replace' },
        @{ Command = 'Get-ADTrust'; Parameter = 'Server2' },
        @{ Command = 'Get-PowerShellVirtualDirectory'; Parameter = 'Name' },
        @{ Command = 'Set-PowerShellVirtualDirectory'; Parameter = 'AnonymousAuthentication' },
        @{ Command = 'Get-User'; Parameter = 'Server' },
        @{ Command = 'Get-AuthConfig'; Parameter = 'Identity' },
        @{ Command = 'Get-ExchangeCertificate'; Parameter = 'Name' },
        @{ Command = 'Invoke-WebRequest'; Parameter = 'SkipCertificateCheck' },
        @{ Command = 'Get-WinEvent'; Parameter = 'Server' },
        @{ Command = 'Get-WinEvent'; Parameter = 'StartTime' }
    ) {
        (Get-Command -Name $Command -CommandType 'Function').Parameters.ContainsKey($Parameter) | Should -BeFalse
    }
    It 'Get-ADComputer refuses -Identity with -LDAPFilter (two parameter sets)' {
        { Get-ADComputer -Identity 'EX01' -LDAPFilter '(name=EX01)' -Server 'contoso.com' } | Should -Throw -ExpectedMessage '*Parameter set cannot be resolved*'
    }
    It 'Get-PowerShellVirtualDirectory refuses -Server with -Identity' {
        { Get-PowerShellVirtualDirectory -Server 'EX01' -Identity 'PowerShell*' } | Should -Throw -ExpectedMessage '*Parameter set cannot be resolved*'
    }
    It 'Set-WebConfigurationProperty refuses -Value with -InputObject' {
        { Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter 'system.webServer/proxy' -Name 'enabled' -Value 'True' -InputObject 'x' } | Should -Throw -ExpectedMessage '*Parameter set cannot be resolved*'
    }
    It 'Get-WinEvent refuses -FilterHashtable with -LogName (two parameter sets)' {
        { Get-WinEvent -FilterHashtable @{ LogName = 'System' } -LogName 'System' } | Should -Throw -ExpectedMessage '*Parameter set cannot be resolved*'
    }
    It 'Set-ADObject refuses -Replace with -Instance' {
        { Set-ADObject -Instance 'x' -Replace @{ a = 1 } } | Should -Throw -ExpectedMessage '*Parameter set cannot be resolved*'
    }
    It 'every stub names the Microsoft page its signature comes from' {
        foreach ($file in @('activedirectory.ps1', 'eventlog.ps1', 'iis.ps1', 'exchange.ps1', 'native-ad-iis.ps1', 'webrequest.ps1')) {
            $text = Get-Content -LiteralPath (Join-Path -Path $script:root -ChildPath ('stubs/' + $file)) -Raw
            $functions = [regex]::Matches($text, '(?m)^function ([A-Z][A-Za-z]+-[A-Za-z]+|[a-z]+\.exe) \{')
            foreach ($f in $functions) {
                if ($f.Groups[1].Value -match '-Sim') { continue }
                $text | Should -Match ('# Signature: MicrosoftDocs/[^\r\n]+\r?\n(#[^\r\n]*\r?\n)*function ' + [regex]::Escape($f.Groups[1].Value) + ' \{')
            }
        }
    }
}

Describe 'IIS configuration properties' {
    BeforeEach { New-TestState }
    It 'reads the installed authentication of Default Web Site/PowerShell: every method off, client certificates Accept' {
        (Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Location 'Default Web Site/PowerShell' -Filter 'system.webServer/security/authentication/windowsAuthentication' -Name 'enabled').Value | Should -BeFalse
        (Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Location 'Default Web Site/PowerShell' -Filter 'system.webServer/security/authentication/basicAuthentication' -Name 'enabled').Value | Should -BeFalse
        Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Location 'Default Web Site/PowerShell' -Filter 'system.webServer/security/access' -Name 'sslFlags' | Should -Be 'SslNegotiateCert'
        (Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Location 'Exchange Back End/PowerShell' -Filter 'system.webServer/security/authentication/windowsAuthentication' -Name 'enabled').Value | Should -BeTrue
    }
    It 'inherits a value the location does not set from the apphost root' {
        (Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Location 'Default Web Site/OWA' -Filter 'system.webServer/security/authentication/anonymousAuthentication' -Name 'enabled').Value | Should -BeTrue
    }
    It 'refuses an attribute the schema does not have' {
        { Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter 'system.webServer/proxy' -Name 'preserveHostHeaders' -Value 'True' } | Should -Throw -ExpectedMessage '*not found*'
        @(Get-TestChanges).Count | Should -Be 0
    }
    It 'honours -WhatIf and records each write' {
        Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter 'system.webServer/proxy' -Name 'enabled' -Value 'True' -WhatIf
        @(Get-TestChanges).Count | Should -Be 0
        Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter 'system.webServer/proxy' -Name 'enabled' -Value 'True'
        @(Get-TestChanges).Count | Should -Be 1
        (Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter 'system.webServer/proxy' -Name 'enabled').Value | Should -BeTrue
    }
    It 'adds farms, servers and rules as collection entries and refuses duplicates' {
        Add-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter 'webFarms' -Name '.' -Value @{ name = 'farm1' }
        Add-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter "webFarms/webFarm[@name='farm1']" -Name '.' -Value @{ address = 'ex01.contoso.com' }
        $null -ne (Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter "webFarms/webFarm[@name='farm1']/server[@address='ex01.contoso.com']" -Name '.') | Should -BeTrue
        $null -eq (Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter "webFarms/webFarm[@name='farm2']" -Name '.') | Should -BeTrue
        (Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter "webFarms/webFarm[@name='farm1']/server[@address='ex01.contoso.com']/applicationRequestRouting" -Name 'httpsPort').Value | Should -Be 443
        { Add-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter 'webFarms' -Name '.' -Value @{ name = 'farm1' } } | Should -Throw -ExpectedMessage '*duplicate collection entry*'
        @(Get-TestChanges).Count | Should -Be 2
    }
}

Describe 'IIS bindings, modules, pools and features' {
    BeforeEach { New-TestState -Proxy }
    It 'creates a 443 binding and binds a certificate from LocalMachine\My, recording both' {
        New-WebBinding -Name 'Default Web Site' -Protocol 'https' -Port 443 -IPAddress '*'
        $binding = Get-WebBinding -Name 'Default Web Site' -Protocol 'https' -Port 443
        $binding.bindingInformation | Should -Be '*:443:'
        $binding.AddSslCertificate('AB12', 'my')
        (Get-WebBinding -Name 'Default Web Site' -Protocol 'https' -Port 443).certificateHash | Should -Be 'AB12'
        @(Get-TestChanges).Count | Should -Be 2
    }
    It 'keeps the certificate in HTTP.sys, where IIS:\SslBindings and netsh http show sslcert read it' {
        New-WebBinding -Name 'Default Web Site' -Protocol 'https' -Port 443 -IPAddress '*'
        (Get-WebBinding -Name 'Default Web Site' -Protocol 'https' -Port 443).AddSslCertificate('AB12', 'my')
        $global:SimState.iis.sslBindings[0].ipPort | Should -Be '0.0.0.0:443'
        $item = Invoke-SimProvider -Resolved (Resolve-SimProvider -Path 'IIS:\SslBindings\0.0.0.0!443') -Operation 'GetItem'
        $item.Thumbprint | Should -Be 'AB12'
        $item.Sites.Value | Should -Be 'Default Web Site'
        $shown = @(Invoke-SimNetshHttp -Verb 'show' -Rest @('ipport=0.0.0.0:443'))
        ($shown -join "`n") | Should -Match 'Certificate Hash\s+: ab12'
        $LASTEXITCODE | Should -Be 0
        $null = @(Invoke-SimNetshHttp -Verb 'show' -Rest @('ipport=10.0.0.1:443'))
        $LASTEXITCODE | Should -Be 1
    }
    It 'binds through New-Item IIS:\SslBindings, which Get-WebBinding then reports, and refuses a second binding of the endpoint' {
        New-WebBinding -Name 'Default Web Site' -Protocol 'https' -Port 443 -IPAddress '*'
        $target = Resolve-SimProvider -Path 'IIS:\SslBindings\0.0.0.0!443'
        (& $target.Handlers['TestPath'] $target.FullPath @{}) | Should -BeFalse
        $certificate = [pscustomobject]@{ Thumbprint = 'AB12'; PSPath = 'Microsoft.PowerShell.Security\Certificate::LocalMachine\My\AB12' }
        $null = Invoke-SimProvider -Resolved $target -Operation 'NewItem' -Parameters @{ Path = @($target.FullPath); Value = $certificate }
        (& $target.Handlers['TestPath'] $target.FullPath @{}) | Should -BeTrue
        (Get-WebBinding -Name 'Default Web Site' -Protocol 'https' -Port 443).certificateHash | Should -Be 'AB12'
        { Invoke-SimProvider -Resolved $target -Operation 'NewItem' -Parameters @{ Path = @($target.FullPath); Value = $certificate } } | Should -Throw -ExpectedMessage '*already exists*'
        $out = @(Invoke-SimNetshHttp -Verb 'add' -Rest @('ipport=0.0.0.0:443', 'certhash=AB12', 'appid={4dc3e181-e14b-4a21-b022-59fc669b0914}'))
        $LASTEXITCODE | Should -Be 1
        ($out -join ' ') | Should -Match 'Error: 183'
        $other = Resolve-SimProvider -Path 'IIS:\SslBindings\10.0.0.1!443'
        { Invoke-SimProvider -Resolved $other -Operation 'NewItem' -Parameters @{ Path = @($other.FullPath); Value = ([pscustomobject]@{ Thumbprint = 'FFFF'; PSPath = 'Microsoft.PowerShell.Security\Certificate::LocalMachine\My\FFFF' }) } } | Should -Throw -ExpectedMessage '*logon session does not exist*'
        # The binding and one HTTP.sys entry: nothing else was written.
        @(Get-TestChanges).Count | Should -Be 2
    }
    It 'refuses to bind a certificate that is not in the store' {
        New-WebBinding -Name 'Default Web Site' -Protocol 'https' -Port 443 -IPAddress '*'
        { (Get-WebBinding -Name 'Default Web Site' -Protocol 'https' -Port 443).AddSslCertificate('FFFF', 'my') } | Should -Throw -ExpectedMessage '*logon session does not exist*'
    }
    It 'lists global modules by image and recycles a pool' {
        @(Get-WebGlobalModule | Where-Object { $_.Image -match 'requestRouter\.dll$' }).Count | Should -Be 1
        Restart-WebAppPool -Name 'DefaultAppPool'
        @(Get-TestChanges).Count | Should -Be 1
        { Restart-WebAppPool -Name 'NoSuchPool' } | Should -Throw -ExpectedMessage '*does not exist*'
    }
    It 'reports features and installs under ShouldProcess' {
        (Get-WindowsFeature -Name 'Web-Server').Installed | Should -BeTrue
        { Install-WindowsFeature -Name 'Web-Nothing' } | Should -Throw -ExpectedMessage '*not valid*'
    }
}

Describe 'appcmd.exe' {
    BeforeEach { New-TestState }
    It 'sets a locked section at a location with /commit:apphost and prints what appcmd prints' {
        $out = & (Join-Path -Path $env:windir -ChildPath 'system32\inetsrv\appcmd.exe') set config 'Default Web Site/PowerShell' '-section:system.webServer/security/authentication/basicAuthentication' '/enabled:True' '/commit:apphost'
        $LASTEXITCODE | Should -Be 0
        $out | Should -Be 'Applied configuration changes to section "system.webServer/security/authentication/basicAuthentication" for "MACHINE/WEBROOT/APPHOST/Default Web Site/PowerShell" at configuration commit path "MACHINE/WEBROOT/APPHOST"'
        (Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Location 'Default Web Site/PowerShell' -Filter 'system.webServer/security/authentication/basicAuthentication' -Name 'enabled').Value | Should -BeTrue
        @(Get-TestChanges).Count | Should -Be 1
    }
    It 'refuses a locked section without /commit:apphost, and unknown attributes' {
        $out = appcmd.exe set config 'Default Web Site/PowerShell' '-section:system.webServer/security/access' '/sslFlags:None'
        $LASTEXITCODE | Should -Not -Be 0
        ($out -join ' ') | Should -Match 'locked at a parent level'
        $null = appcmd.exe set config 'Default Web Site/PowerShell' '-section:system.webServer/security/access' '/sslFlag:None' '/commit:apphost'
        $LASTEXITCODE | Should -Not -Be 0
        @(Get-TestChanges).Count | Should -Be 0
    }
}

Describe 'Exchange virtual directory cmdlets' {
    BeforeEach { New-TestState }
    It 'shows only the front-end directory by -Server, with the installed settings' {
        $directories = @(Get-PowerShellVirtualDirectory -Server 'ex01.contoso.com')
        $directories.Count | Should -Be 1
        $directories[0].Identity | Should -Be 'EX01\PowerShell (Default Web Site)'
        $directories[0].WindowsAuthentication | Should -BeFalse
        $directories[0].BasicAuthentication | Should -BeFalse
        $directories[0].RequireSSL | Should -BeFalse
        @(Get-PowerShellVirtualDirectory -Server 'EX01' -ShowMailboxVirtualDirectories).Count | Should -Be 2
    }
    It 'writes the IIS location under ShouldProcess and records it' {
        Set-PowerShellVirtualDirectory -Identity 'EX01\PowerShell (Default Web Site)' -BasicAuthentication $true -WhatIf
        @(Get-TestChanges).Count | Should -Be 0
        Set-PowerShellVirtualDirectory -Identity 'EX01\PowerShell (Default Web Site)' -BasicAuthentication $true -RequireSSL $false
        @(Get-TestChanges).Count | Should -Be 2
        (Get-PowerShellVirtualDirectory -Server 'EX01').BasicAuthentication | Should -BeTrue
        Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Location 'Default Web Site/PowerShell' -Filter 'system.webServer/security/access' -Name 'sslFlags' | Should -Be 'SslNegotiateCert'
    }
    It 'fails for a server that does not exist' {
        { Get-PowerShellVirtualDirectory -Server 'EX99' } | Should -Throw -ExpectedMessage "*couldn't be found*"
    }
}

Describe 'Exchange user and Auth certificate cmdlets' {
    BeforeEach {
        New-TestState
        $global:SimState.exchange.authConfig = @{ currentCertificateThumbprint = 'AB12' }
    }
    It 'Get-User finds a user by an OPATH filter and reports RemotePowerShellEnabled, True unless the directory says otherwise' {
        $user = @(Get-User -Filter "SamAccountName -eq 'svc-sync'" -IgnoreDefaultScope -ResultSize 'Unlimited')
        $user.Count | Should -Be 1
        [string]$user[0].Sid | Should -Be 'S-1-5-21-1-2-3-1200'
        $user[0].RemotePowerShellEnabled | Should -BeTrue
        $global:SimState.directory.ad.users[0].remotePowerShellEnabled = $false
        (Get-User -Identity 'svc-sync@contoso.com').RemotePowerShellEnabled | Should -BeFalse
    }
    It 'Get-User refuses -DomainController with -IgnoreDefaultScope, and filters it does not simulate' {
        { Get-User -Filter "Name -eq 'x'" -IgnoreDefaultScope -DomainController 'dc01.contoso.com' } | Should -Throw
        { Get-User -Filter "Title -like 'Manager*'" } | Should -Throw -ExpectedMessage '*not simulated*'
    }
    It 'Get-User refuses -Anr with -Identity (two parameter sets)' {
        { Get-User -Anr 'svc' -Identity 'svc-sync' } | Should -Throw -ExpectedMessage '*Parameter set cannot be resolved*'
    }
    It 'Get-AuthConfig names the Auth certificate and Get-ExchangeCertificate returns its expiry' {
        $thumbprint = (Get-AuthConfig).CurrentCertificateThumbprint
        $thumbprint | Should -Be 'AB12'
        $certificate = Get-ExchangeCertificate -Thumbprint $thumbprint -Server 'ex01.contoso.com'
        $certificate.NotAfter | Should -Be ([datetime]::Parse('2027-12-31T00:00:00Z', [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AdjustToUniversal))
        { Get-ExchangeCertificate -Thumbprint 'FFFF' } | Should -Throw -ExpectedMessage '*not found*'
    }
    It 'Get-ExchangeCertificate refuses -Server with -Identity' {
        { Get-ExchangeCertificate -Identity 'EX01\AB12' -Server 'EX01' } | Should -Throw -ExpectedMessage '*Parameter set cannot be resolved*'
    }
}

Describe 'Active Directory cmdlets' {
    BeforeEach { New-TestState }
    It 'finds a computer by LDAP filter with TrustedForDelegation and objectSid' {
        $c = Get-ADComputer -LDAPFilter '(&(objectClass=computer)(dNSHostName=ex01.contoso.com))' -Server 'contoso.com' -Properties @('TrustedForDelegation', 'objectSid')
        $c.DistinguishedName | Should -Be 'CN=EX01,CN=Computers,DC=contoso,DC=com'
        $c.TrustedForDelegation | Should -BeFalse
        $c.objectSid.Value | Should -Be 'S-1-5-21-1-2-3-1101'
    }
    It 'sets TrustedForDelegation under ShouldProcess and records it' {
        Set-ADAccountControl -Identity 'CN=EX01,CN=Computers,DC=contoso,DC=com' -TrustedForDelegation $true -Server 'contoso.com' -WhatIf
        @(Get-TestChanges).Count | Should -Be 0
        Set-ADAccountControl -Identity 'CN=EX01,CN=Computers,DC=contoso,DC=com' -TrustedForDelegation $true -Server 'contoso.com'
        @(Get-TestChanges).Count | Should -Be 1
        (Get-ADComputer -Identity 'EX01$' -Server 'contoso.com' -Properties 'TrustedForDelegation').TrustedForDelegation | Should -BeTrue
    }
    It 'keeps resource-based delegation as a security descriptor, read back by SID' {
        $d = New-Object -TypeName 'System.DirectoryServices.ActiveDirectorySecurity'
        $d.SetSecurityDescriptorSddlForm('O:BAD:')
        $sid = (Get-ADComputer -Identity 'EX01' -Server 'contoso.com' -Properties 'objectSid').objectSid
        $d.AddAccessRule((New-Object -TypeName 'System.DirectoryServices.ActiveDirectoryAccessRule' -ArgumentList @($sid, [System.DirectoryServices.ActiveDirectoryRights]::GenericAll, [System.Security.AccessControl.AccessControlType]::Allow)))
        Set-ADObject -Identity 'CN=svc-sync,CN=Users,DC=contoso,DC=com' -Server 'contoso.com' -Replace @{ 'msDS-AllowedToActOnBehalfOfOtherIdentity' = [byte[]]$d.GetSecurityDescriptorBinaryForm() }
        $global:SimState.directory.ad.users[0].'msDS-AllowedToActOnBehalfOfOtherIdentity' | Should -Be 'O:BAD:(A;;GA;;;S-1-5-21-1-2-3-1101)'
        $back = Get-ADObject -LDAPFilter '(sAMAccountName=svc-sync)' -Server 'contoso.com' -Properties 'msDS-AllowedToActOnBehalfOfOtherIdentity'
        @($back.'msDS-AllowedToActOnBehalfOfOtherIdentity'.GetAccessRules($true, $false, ('System.Security.Principal.SecurityIdentifier' -as [type])) | ForEach-Object { $_.IdentityReference.Value }) | Should -Be @('S-1-5-21-1-2-3-1101')
    }
    It 'fails as the AD module does when no domain controller of the domain answers' {
        { Get-ADObject -LDAPFilter '(servicePrincipalName=HTTP/ex01.contoso.com)' -Server 'fabrikam.com' } | Should -Throw -ExpectedMessage 'Unable to contact the server*'
    }
    It 'rejects a malformed LDAP filter' {
        { Get-ADObject -LDAPFilter '(&(objectClass=computer)' -Server 'contoso.com' } | Should -Throw -ExpectedMessage '*search filter cannot be recognized*'
    }
    It 'reads trustAttributes of the trust the domain holds' {
        (Get-ADTrust -LDAPFilter '(trustPartner=fabrikam.com)' -Server 'contoso.com').TrustAttributes | Should -Be 8
    }
    It 'netdom enables TGT delegation on the trusted side only, and setspn -Q finds SPNs' {
        $null = netdom.exe trust 'fabrikam.com' '/domain:contoso.com' '/EnableTGTDelegation:Yes'
        $LASTEXITCODE | Should -Be 0
        (Get-ADTrust -LDAPFilter '(trustPartner=fabrikam.com)' -Server 'contoso.com').TrustAttributes | Should -Be 0x808
        $null = netdom.exe trust 'contoso.com' '/domain:fabrikam.com' '/EnableTGTDelegation:Yes'
        $LASTEXITCODE | Should -Not -Be 0
        (setspn.exe -Q 'HOST/ex01.contoso.com')[-1] | Should -Be 'Existing SPN found!'
        (setspn.exe -Q 'HTTP/ex01.contoso.com')[-1] | Should -Be 'No such SPN found.'
    }
}

Describe 'Kerberos encryption types and KDCSVC events' {
    BeforeEach { New-TestState }
    It 'reads msDS-SupportedEncryptionTypes of a user, unset as null' {
        $u = Get-ADUser -LDAPFilter '(sAMAccountName=svc-sync)' -Server 'contoso.com' -Properties @('msDS-SupportedEncryptionTypes')
        $u.PSObject.Properties['msDS-SupportedEncryptionTypes'] | Should -Not -BeNullOrEmpty
        $u.'msDS-SupportedEncryptionTypes' | Should -BeNullOrEmpty
    }
    It 'returns the trusted domain object a domain holds under CN=System, and honours -SearchBase' {
        $t = @(Get-ADObject -LDAPFilter '(&(objectClass=trustedDomain)(trustPartner=fabrikam.com))' -SearchBase 'CN=System,DC=contoso,DC=com' -Server 'contoso.com' -Properties @('msDS-SupportedEncryptionTypes'))
        $t.Count | Should -Be 1
        $t[0].DistinguishedName | Should -Be 'CN=fabrikam.com,CN=System,DC=contoso,DC=com'
        $t[0].'msDS-SupportedEncryptionTypes' | Should -Be 24
        @(Get-ADObject -LDAPFilter '(objectClass=trustedDomain)' -SearchBase 'CN=Users,DC=contoso,DC=com' -Server 'contoso.com').Count | Should -Be 0
        @(Get-ADObject -LDAPFilter '(sAMAccountName=svc-sync)' -SearchBase 'CN=System,DC=contoso,DC=com' -Server 'contoso.com').Count | Should -Be 0
    }
    It 'Get-WinEvent filters the System log by provider, Id and StartTime' {
        $e = @(Get-WinEvent -FilterHashtable @{ LogName = 'System'; ProviderName = 'Microsoft-Windows-Kerberos-Key-Distribution-Center'; Id = @(201, 205); StartTime = [datetime]'2026-11-24T12:00:00Z' })
        $e.Count | Should -Be 1
        $e[0].Id | Should -Be 205
        $e[0].MachineName | Should -Be 'ex01.contoso.com'
    }
    It 'Get-WinEvent writes NoMatchingEventsFound when nothing matches, and fails for an unreachable computer' {
        $err = $null
        try { $null = Get-WinEvent -ComputerName 'dc02.contoso.com' -FilterHashtable @{ LogName = 'System'; Id = 201 } -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'NoMatchingEventsFound*'
        { Get-WinEvent -ComputerName 'dc09.contoso.com' -FilterHashtable @{ LogName = 'System' } -ErrorAction Stop } | Should -Throw -ExpectedMessage 'The RPC server is unavailable*'
        { Get-WinEvent -FilterHashtable @{ LogName = 'System'; Severity = 2 } } | Should -Throw -ExpectedMessage '*not valid in a FilterHashtable*'
    }
}

Describe 'Invoke-WebRequest through IIS ARR' {
    BeforeEach {
        New-TestState -Proxy
        $global:SimState.host.fqdn = 'arr01.contoso.com'
        $global:SimState.host.computerName = 'ARR01'
        New-WebBinding -Name 'Default Web Site' -Protocol 'https' -Port 443 -IPAddress '*'
        (Get-WebBinding -Name 'Default Web Site' -Protocol 'https' -Port 443).AddSslCertificate('AB12', 'my')
        Add-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter 'webFarms' -Name '.' -Value @{ name = 'farm1' }
        Add-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter "webFarms/webFarm[@name='farm1']" -Name '.' -Value @{ address = 'ex01.contoso.com' }
        Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter 'system.webServer/proxy' -Name 'enabled' -Value 'True'
        function global:Get-TestStatus {
            param([string]$Uri)
            try {
                return [int](Invoke-WebRequest -Uri $Uri -UseBasicParsing -Method 'Get').StatusCode
            }
            catch {
                return [int]$_.Exception.Response.StatusCode
            }
        }
    }
    It 'answers 404 while no rule forwards /PowerShell' {
        Get-TestStatus -Uri 'https://mail.contoso.com/PowerShell' | Should -Be 404
    }
    It 'forwards a matching HTTPS request to the farm and returns the Exchange challenge, with the 5.1 message' {
        Add-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter 'system.webServer/rewrite/globalRules' -Name '.' -Value @{ name = 'r1'; stopProcessing = $true }
        Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter "system.webServer/rewrite/globalRules/rule[@name='r1']/match" -Name 'url' -Value '^powershell(/.*)?$'
        Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter "system.webServer/rewrite/globalRules/rule[@name='r1']/action" -Name 'type' -Value 'Rewrite'
        Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter "system.webServer/rewrite/globalRules/rule[@name='r1']/action" -Name 'url' -Value 'https://farm1/{R:0}'
        Add-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter "system.webServer/rewrite/globalRules/rule[@name='r1']/conditions" -Name '.' -Value @{ input = '{HTTPS}'; pattern = '^ON$' }
        Get-TestStatus -Uri 'https://mail.contoso.com/PowerShell' | Should -Be 401
        { Invoke-WebRequest -Uri 'https://mail.contoso.com/PowerShell' -UseBasicParsing } | Should -Throw -ExpectedMessage 'The remote server returned an error: (401) Unauthorized.'
        Get-TestStatus -Uri 'http://mail.contoso.com/PowerShell' | Should -Be 404
        Get-TestStatus -Uri 'https://mail.contoso.com/owa' | Should -Be 404
    }
    It 'lets an earlier catch-all rule shadow a later one (rule order)' {
        Add-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter 'system.webServer/rewrite/globalRules' -Name '.' -Value @{ name = 'ARR_farm1_loadbalance'; stopProcessing = $true; patternSyntax = 'Wildcard' }
        Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter "system.webServer/rewrite/globalRules/rule[@name='ARR_farm1_loadbalance']/match" -Name 'url' -Value '*'
        Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter "system.webServer/rewrite/globalRules/rule[@name='ARR_farm1_loadbalance']/action" -Name 'type' -Value 'Rewrite'
        Set-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Filter "system.webServer/rewrite/globalRules/rule[@name='ARR_farm1_loadbalance']/action" -Name 'url' -Value 'http://farm1/{R:0}'
        Get-TestStatus -Uri 'https://mail.contoso.com/anything' | Should -Be 502
    }
    It 'needs -UseBasicParsing as Windows PowerShell 5.1 does without Internet Explorer' {
        { Invoke-WebRequest -Uri 'https://mail.contoso.com/PowerShell' } | Should -Throw -ExpectedMessage '*UseBasicParsing*'
    }
}
