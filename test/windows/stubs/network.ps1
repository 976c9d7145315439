# Name resolution and reachability from the simulated host.
# State: network = { reachable: ['<name or address>:<port>[/IPv4|/IPv6]', ...] } (TCP connects that
# succeed from this host, per address family where a suffix says so); directory.dns = { records: { name: { A: [..], AAAA: [..] } }, srv: { name: [target host] },
# servers: { '<DNS server host>': [zones it answers for] } } (shared by every host of the environment).

function Get-SimAddressFamily {
    <# 'IPv4' or 'IPv6' for an address literal, '' for a name. #>
    param([Parameter(Mandatory = $true)][string]$Address)
    $parsed = $null
    if ([System.Net.IPAddress]::TryParse($Address, [ref]$parsed)) {
        if ($parsed.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetworkV6) {
            return 'IPv6'
        }
        return 'IPv4'
    }
    return ''
}

function Test-SimReachable {
    <#
    Whether a TCP connect from this host to name-or-address:port succeeds. network.reachable holds
    '<name>:<port>' (every address of the name, both families), '<name>:<port>/IPv4' or '/IPv6' (the
    addresses of that family only) and '<address>:<port>' (that address only). An address counts
    as each name whose A or AAAA records hold it.
    #>
    param([Parameter(Mandatory = $true)][Alias('Target')][string]$Address, [Parameter(Mandatory = $true)][int]$Port)
    $Target = $Address
    $family = Get-SimAddressFamily -Address $Target
    $names = @($Target)
    $records = $global:SimState.directory.dns.records
    if (($null -ne $records) -and ($family -ne '')) {
        foreach ($name in @($records.Keys)) {
            $record = $records[$name]
            if ((@($record.A) + @($record.AAAA)) -contains $Target) {
                $names += [string]$name
            }
        }
    }
    foreach ($entry in @($global:SimState.network.reachable)) {
        foreach ($name in $names) {
            if ([string]$entry -ieq ($name + ':' + $Port)) {
                return $true
            }
            if (($family -ne '') -and ([string]$entry -ieq ($name + ':' + $Port + '/' + $family))) {
                return $true
            }
        }
    }
    return $false
}

function Get-SimDns {
    return $global:SimState.directory.dns
}

function Get-SimHostAddresses {
    <# What System.Net.Dns.GetHostAddresses returns for a name on this host: an address literal itself, else the A and AAAA records. #>
    param([Parameter(Mandatory = $true)][string]$Name)
    if ((Get-SimAddressFamily -Address $Name) -ne '') {
        return , @($Name)
    }
    $record = Get-SimValue -Table (Get-SimDns).records -Key $Name.Trim('.')
    if ($null -eq $record) {
        return , @()
    }
    return , @(@($record.A) + @($record.AAAA) | Where-Object { $null -ne $_ } | ForEach-Object { [string]$_ })
}

# System.Net.Dns: the scripts resolve a name with the static GetHostAddresses. pwsh on Linux would ask
# the real resolver, so the type name is mapped to a stand-in that answers from the simulated DNS
# (Get-SimHostAddresses), and throws the SocketException (11001, host not found) .NET throws.
if (-not ('WinrmForgeSim.Dns' -as [type])) {
    Add-Type -ReferencedAssemblies @([System.Net.IPAddress].Assembly.Location, [System.Net.Sockets.SocketException].Assembly.Location, [System.ComponentModel.Win32Exception].Assembly.Location, [object].Assembly.Location, 'System.Runtime', 'System.Net.Primitives', 'Microsoft.Win32.Primitives', 'netstandard') -TypeDefinition @'
namespace WinrmForgeSim {
    public static class Dns {
        public static System.Func<string, string[]> Resolver;
        public static System.Net.IPAddress[] GetHostAddresses(string hostNameOrAddress) {
            string[] found = Resolver == null ? new string[0] : Resolver(hostNameOrAddress);
            if (found == null || found.Length == 0) {
                throw new System.Net.Sockets.SocketException(11001);
            }
            System.Net.IPAddress[] addresses = new System.Net.IPAddress[found.Length];
            for (int i = 0; i < found.Length; i++) {
                addresses[i] = System.Net.IPAddress.Parse(found[i]);
            }
            return addresses;
        }
    }
}
'@
}
[WinrmForgeSim.Dns]::Resolver = [System.Func[string, string[]]] { param($name) [string[]](Get-SimHostAddresses -Name $name) }
Register-SimTypeAccelerator -Name 'System.Net.Dns' -Type ([WinrmForgeSim.Dns])

# System.Net.Sockets.TcpClient as .NET Framework 4.x has it: new TcpClient() makes an IPv4 socket
# (TcpClient(AddressFamily) another family), and a connect by name tries only the name's addresses
# of that family; a connect to an address of another family fails (WSAEAFNOSUPPORT, 10047).
Register-SimType -TypeName 'System.Net.Sockets.TcpClient' -Factory {
    param($ArgumentList)
    $family = 'IPv4'
    if ((@($ArgumentList).Count -gt 0) -and ($null -ne @($ArgumentList)[0])) {
        $requested = [System.Net.Sockets.AddressFamily](@($ArgumentList)[0])
        if ($requested -eq [System.Net.Sockets.AddressFamily]::InterNetworkV6) {
            $family = 'IPv6'
        }
        elseif ($requested -ne [System.Net.Sockets.AddressFamily]::InterNetwork) {
            throw (New-Object -TypeName 'System.ArgumentException' -ArgumentList 'Invalid address family', 'family')
        }
    }
    $client = [pscustomobject]@{ Connected = $false; Target = ''; Port = 0; Family = $family }
    $client | Add-Member -MemberType 'ScriptMethod' -Name 'TryConnect' -Value {
        param($remote, $port)
        $text = [string]$remote
        $literal = Get-SimAddressFamily -Address $text
        if ($literal -ne '') {
            if ($literal -ne $this.Family) {
                throw (New-Object -TypeName 'System.Net.Sockets.SocketException' -ArgumentList 10047)
            }
            return (Test-SimReachable -Address $text -Port ([int]$port))
        }
        $addresses = Get-SimHostAddresses -Name $text
        foreach ($address in $addresses) {
            if (((Get-SimAddressFamily -Address $address) -eq $this.Family) -and (Test-SimReachable -Address $address -Port ([int]$port))) {
                return $true
            }
        }
        return $false
    }
    $client | Add-Member -MemberType 'ScriptMethod' -Name 'BeginConnect' -Value {
        param($hostName, $port, $callback, $state)
        $this.Target = [string]$hostName
        $this.Port = [int]$port
        $reachable = $this.TryConnect($hostName, $port)
        $this.Connected = $reachable
        # A filtered port never answers: the wait times out. A reachable one completes at once.
        $handle = [pscustomobject]@{ Completed = $reachable }
        $handle | Add-Member -MemberType 'ScriptMethod' -Name 'WaitOne' -Value { param($timeout) return $this.Completed }
        return [pscustomobject]@{ AsyncWaitHandle = $handle; IsCompleted = $reachable }
    }
    $client | Add-Member -MemberType 'ScriptMethod' -Name 'EndConnect' -Value {
        param($result)
        if (-not $this.Connected) {
            throw (New-Object -TypeName 'System.Net.Sockets.SocketException' -ArgumentList 10061)
        }
    }
    $client | Add-Member -MemberType 'ScriptMethod' -Name 'Connect' -Value {
        param($hostName, $port)
        if (-not $this.TryConnect($hostName, $port)) {
            throw (New-Object -TypeName 'System.Net.Sockets.SocketException' -ArgumentList 10060)
        }
        $this.Connected = $true
    }
    $client | Add-Member -MemberType 'ScriptMethod' -Name 'Close' -Value { $this.Connected = $false }
    $client | Add-Member -MemberType 'ScriptMethod' -Name 'Dispose' -Value { $this.Connected = $false }
    return $client
}

function Get-SimDnsServerZones {
    <# The zones a DNS server (named by host name or address) answers for, or $null for an unknown server. #>
    param([Parameter(Mandatory = $true)][string]$Server)
    $dns = Get-SimDns
    $zones = Get-SimValue -Table $dns.servers -Key $Server
    if ($null -ne $zones) {
        return , @($zones)
    }
    foreach ($name in @($dns.records.Keys)) {
        $record = $dns.records[$name]
        if ((@($record.A) + @($record.AAAA)) -contains $Server) {
            $zones = Get-SimValue -Table $dns.servers -Key $name
            if ($null -ne $zones) {
                return , @($zones)
            }
        }
    }
    return $null
}

function Resolve-SimName {
    <# The answers for a name and record type (A, AAAA, A_AAAA, SRV), asked of one server or of the host's resolver. #>
    param([Parameter(Mandatory = $true)][string]$Name, [string]$Type = 'A_AAAA', [string]$Server)
    $dns = Get-SimDns
    if ($Server -ne '') {
        $zones = Get-SimDnsServerZones -Server $Server
        $answers = $false
        foreach ($zone in @($zones)) {
            $suffix = ([string]$zone).Trim('.')
            if (($suffix -eq '') -or ($Name.Trim('.') -ieq $suffix) -or $Name.Trim('.').EndsWith('.' + $suffix, [System.StringComparison]::OrdinalIgnoreCase)) {
                $answers = $true
            }
        }
        if (-not $answers) {
            return $null
        }
    }
    if ($Type -eq 'SRV') {
        $targets = Get-SimValue -Table $dns.srv -Key $Name.Trim('.')
        if ($null -eq $targets) {
            return $null
        }
        return , @(foreach ($target in @($targets)) { [pscustomobject]@{ Type = 'SRV'; Target = [string]$target } })
    }
    $record = Get-SimValue -Table $dns.records -Key $Name.Trim('.')
    if ($null -eq $record) {
        return $null
    }
    $list = @()
    if (@('A', 'A_AAAA', 'ANY', 'ALL') -contains $Type) {
        $list += @(foreach ($address in @($record.A)) { if ($null -ne $address) { [pscustomobject]@{ Type = 'A'; Target = [string]$address } } })
    }
    if (@('AAAA', 'A_AAAA', 'ANY', 'ALL') -contains $Type) {
        $list += @(foreach ($address in @($record.AAAA)) { if ($null -ne $address) { [pscustomobject]@{ Type = 'AAAA'; Target = [string]$address } } })
    }
    if ($list.Count -eq 0) {
        return $null
    }
    return , $list
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/dnsclient/Resolve-DnsName.md
function Resolve-DnsName {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][string]$Name,
        [Parameter(Position = 1)][ValidateSet('UNKNOWN', 'A_AAAA', 'A', 'NS', 'MD', 'MF', 'CNAME', 'SOA', 'MB', 'MG', 'MR', 'NULL', 'WKS', 'PTR', 'HINFO', 'MINFO', 'MX', 'TXT', 'RP', 'AFSDB', 'X25', 'ISDN', 'RT', 'AAAA', 'SRV', 'DNAME', 'OPT', 'DS', 'RRSIG', 'NSEC', 'DNSKEY', 'DHCID', 'NSEC3', 'NSEC3PARAM', 'ANY', 'ALL', 'WINS')][string]$Type = 'A_AAAA',
        [string[]]$Server,
        [switch]$DnsOnly,
        [switch]$CacheOnly,
        [switch]$DnssecOk,
        [switch]$DnssecCd,
        [switch]$NoHostsFile,
        [switch]$LlmnrNetbiosOnly,
        [switch]$LlmnrFallback,
        [switch]$LlmnrOnly,
        [switch]$NetbiosFallback,
        [switch]$NoIdn,
        [switch]$NoRecursion,
        [switch]$QuickTimeout,
        [switch]$TcpOnly
    )
    Assert-SimCommand -Name 'Resolve-DnsName' -Arguments $PSBoundParameters
    $serverName = ''
    if ($PSBoundParameters.ContainsKey('Server')) {
        $serverName = [string]$Server[0]
        if (-not (Test-SimReachable -Address $serverName -Port 53)) {
            throw (New-SimError -Message ($Name + ' : This operation returned because the timeout period expired') -ErrorId 'ERROR_TIMEOUT,Microsoft.DnsClient.Commands.ResolveDnsName' -Category 'OperationTimeout' -ExceptionType 'System.ComponentModel.Win32Exception')
        }
    }
    $answer = Resolve-SimName -Name $Name -Type $Type -Server $serverName
    if ($null -eq $answer) {
        throw (New-SimError -Message ($Name + ' : DNS name does not exist') -ErrorId 'DNS_ERROR_RCODE_NAME_ERROR,Microsoft.DnsClient.Commands.ResolveDnsName' -Category 'ResourceUnavailable' -ExceptionType 'System.ComponentModel.Win32Exception')
    }
    foreach ($entry in @($answer)) {
        if ($entry.Type -eq 'SRV') {
            [pscustomobject]@{ Name = $Name; Type = 'SRV'; NameTarget = $entry.Target; Port = 389; Priority = 0; Weight = 100 }
        }
        else {
            [pscustomobject]@{ Name = $Name; Type = $entry.Type; IPAddress = $entry.Target }
        }
    }
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/nettcpip/Test-NetConnection.md
function Test-NetConnection {
    [CmdletBinding(DefaultParameterSetName = 'ICMP')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('RemoteAddress', 'cn')][string]$ComputerName,
        [Parameter(ParameterSetName = 'ICMP')][switch]$TraceRoute,
        [Parameter(ParameterSetName = 'ICMP')][int]$Hops,
        [Parameter(ParameterSetName = 'CommonTCPPort', Mandatory = $true, Position = 1)][ValidateSet('HTTP', 'RDP', 'SMB', 'WINRM')][string]$CommonTCPPort,
        [Parameter(ParameterSetName = 'RemotePort', Mandatory = $true)][Alias('RemotePort')][int]$Port,
        [ValidateSet('Quiet', 'Detailed')][string]$InformationLevel,
        [switch]$DiagnoseRouting,
        [string]$ConstrainSourceAddress,
        [uint32]$ConstrainInterface
    )
    Assert-SimCommand -Name 'Test-NetConnection' -Arguments $PSBoundParameters
    $wanted = $Port
    if ($PSCmdlet.ParameterSetName -eq 'CommonTCPPort') {
        $wanted = @{ HTTP = 80; RDP = 3389; SMB = 445; WINRM = 5985 }[$CommonTCPPort]
    }
    $ok = Test-SimReachable -Address $ComputerName -Port $wanted
    if ($InformationLevel -eq 'Quiet') {
        return $ok
    }
    return [pscustomobject]@{ ComputerName = $ComputerName; RemotePort = $wanted; TcpTestSucceeded = $ok }
}
