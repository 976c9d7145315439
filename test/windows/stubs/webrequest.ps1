# Invoke-WebRequest for the simulated host, as Windows PowerShell 5.1 behaves: a non-success status
# throws a WebException whose Response carries the status code and headers.
#
# A request to a name this host serves (host.fqdn, host.computerName, localhost, or a name in
# iis.servedNames) is answered by the simulated IIS: the site's binding for the scheme and port
# (https needs a bound certificate in Cert:\LocalMachine\My that the client trusts), then the
# global URL Rewrite rules in order (match, conditions {HTTPS} and {HTTP_HOST}, stopProcessing,
# enabled), then ARR: a rewrite to http(s)://<farm>/... with system.webServer/proxy enabled forwards
# to the farm's first enabled server, which must be reachable (network state, when it lists
# reachable endpoints) and answers as iis.upstream.'<address>' says:
#   { status (default 401), authenticate (WWW-Authenticate values, default Negotiate) }.
# No matching rule: IIS answers 404 itself. Other names: "Unable to connect to the remote server".

if (-not ('WinrmForgeSim.SimHttpResponse' -as [type])) {
    Add-Type -ReferencedAssemblies @([System.Net.WebResponse].Assembly.Location, [System.Net.HttpStatusCode].Assembly.Location, [System.Net.WebHeaderCollection].Assembly.Location, [object].Assembly.Location, 'System.Runtime', 'System.Net.Requests', 'System.Net.Primitives', 'System.Net.WebHeaderCollection', 'System.Collections.Specialized', 'netstandard') -TypeDefinition @'
namespace WinrmForgeSim {
    public sealed class SimHttpResponse : System.Net.WebResponse {
        private readonly System.Net.WebHeaderCollection headers = new System.Net.WebHeaderCollection();
        private readonly System.Uri uri;
        public SimHttpResponse(System.Uri uri, int status, string description) { this.uri = uri; StatusCode = (System.Net.HttpStatusCode)status; StatusDescription = description; }
        public System.Net.HttpStatusCode StatusCode { get; private set; }
        public string StatusDescription { get; private set; }
        public override System.Net.WebHeaderCollection Headers { get { return headers; } }
        public override System.Uri ResponseUri { get { return uri; } }
    }
}
'@
}

function Get-SimHttpDescription {
    param([int]$Status)
    $map = @{ 200 = 'OK'; 301 = 'Moved Permanently'; 302 = 'Found'; 400 = 'Bad Request'; 401 = 'Unauthorized'; 403 = 'Forbidden'; 404 = 'Not Found'; 500 = 'Internal Server Error'; 502 = 'Bad Gateway'; 503 = 'Server Unavailable' }
    $text = $map[$Status]
    if ($null -eq $text) {
        $text = 'Status ' + $Status
    }
    return $text
}

function Test-SimIisUpstreamReachable {
    # TCP from this host to a farm server: network.ps1's Test-SimReachable decides (network.reachable).
    param([string]$Address, [int]$Port)
    if (Get-Command -Name 'Test-SimReachable' -CommandType 'Function' -ErrorAction 'SilentlyContinue') {
        return (Test-SimReachable -Address $Address -Port $Port)
    }
    foreach ($endpoint in @($global:SimState.network.reachable)) {
        if ([string]$endpoint -ieq ($Address + ':' + $Port)) {
            return $true
        }
    }
    return $false
}

function Get-SimServerVariable {
    param([string]$Name, [uri]$Uri)
    switch ($Name.ToUpperInvariant()) {
        'HTTPS' { if ($Uri.Scheme -eq 'https') { return 'on' } else { return 'off' } }
        'HTTP_HOST' { if ($Uri.IsDefaultPort) { return $Uri.Host } else { return $Uri.Host + ':' + $Uri.Port } }
        'SERVER_PORT' { return [string]$Uri.Port }
        'REQUEST_URI' { return $Uri.PathAndQuery }
        'QUERY_STRING' { return $Uri.Query.TrimStart('?') }
    }
    return ''
}

function Test-SimRewritePattern {
    # The match of a URL Rewrite pattern (ECMAScript, Wildcard or ExactMatch), or $null.
    param([string]$Syntax, [string]$Pattern, [string]$Text, [bool]$IgnoreCase)
    $options = [System.Text.RegularExpressions.RegexOptions]::ECMAScript
    if ($IgnoreCase) {
        $options = $options -bor [System.Text.RegularExpressions.RegexOptions]::IgnoreCase
    }
    if ($Syntax -eq 'ExactMatch') {
        $Pattern = '^' + [regex]::Escape($Pattern) + '$'
        $options = [System.Text.RegularExpressions.RegexOptions]::IgnoreCase
    }
    elseif ($Syntax -eq 'Wildcard') {
        $Pattern = '^' + ([regex]::Escape($Pattern).Replace('\*', '(.*)').Replace('\?', '(.)')) + '$'
        $options = [System.Text.RegularExpressions.RegexOptions]::IgnoreCase
    }
    $m = [regex]::Match($Text, $Pattern, $options)
    if ($m.Success) {
        return $m
    }
    return $null
}

function Resolve-SimIisRequest {
    <# The response this host's IIS gives: @{ status; authenticate; via }. #>
    param([uri]$Uri)
    $iis = Get-SimIisState
    $site = $null
    $binding = $null
    foreach ($s in @($iis.sites)) {
        foreach ($b in @($s.bindings)) {
            if (($null -ne $b) -and ([string]$b.protocol -eq $Uri.Scheme) -and (([string]$b.bindingInformation).Split(':')[1] -eq [string]$Uri.Port)) {
                $site = $s
                $binding = $b
            }
        }
    }
    if ($null -eq $binding) {
        throw (New-SimError -Message 'Unable to connect to the remote server' -ErrorId 'WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand' -ExceptionType 'System.Net.WebException')
    }
    if ($Uri.Scheme -eq 'https') {
        # The certificate is HTTP.sys's for the binding's endpoint (stubs/iis.ps1, sslBindings).
        $thumbprint = [string](Get-SimBindingCertificate -Binding $binding).certificateHash
        $certificate = $null
        if (($thumbprint -ne '') -and (Get-Command -Name 'Find-SimCertificate' -CommandType 'Function' -ErrorAction 'SilentlyContinue')) {
            $certificate = Find-SimCertificate -Store 'My' -Thumbprint $thumbprint
        }
        if (($thumbprint -eq '') -or ($null -eq $certificate)) {
            throw (New-SimError -Message 'The underlying connection was closed: An unexpected error occurred on a send.' -ErrorId 'WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand' -ExceptionType 'System.Net.WebException')
        }
        if ((Get-SimValue -Table $certificate -Key 'trusted') -eq $false) {
            throw (New-SimError -Message 'The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.' -ErrorId 'WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand' -ExceptionType 'System.Net.WebException')
        }
    }
    $rules = @()
    $globalRules = Find-SimIisNodes -Root $iis.config -Steps (Split-SimIisFilter -Filter 'system.webServer/rewrite/globalRules/rule')
    $rules = @($globalRules | ForEach-Object { $_.node })
    $path = $Uri.AbsolutePath.TrimStart('/')
    $target = $null
    foreach ($rule in $rules) {
        if ((Get-SimValue -Table $rule -Key 'enabled') -eq $false) {
            continue
        }
        $syntax = [string](Get-SimValue -Table $rule -Key 'patternSyntax')
        if ($syntax -eq '') { $syntax = 'ECMAScript' }
        $match = Get-SimValue -Table $rule -Key 'match'
        $ignoreCase = $true
        if (($null -ne $match) -and ((Get-SimValue -Table $match -Key 'ignoreCase') -eq $false)) { $ignoreCase = $false }
        $negate = ($null -ne $match) -and ((Get-SimValue -Table $match -Key 'negate') -eq $true)
        $url = ''
        if ($null -ne $match) { $url = [string](Get-SimValue -Table $match -Key 'url') }
        $m = Test-SimRewritePattern -Syntax $syntax -Pattern $url -Text $path -IgnoreCase $ignoreCase
        if ((($null -ne $m) -eq $negate)) {
            continue
        }
        $conditionsNode = Get-SimValue -Table $rule -Key 'conditions'
        $grouping = 'MatchAll'
        $conditions = @()
        if ($null -ne $conditionsNode) {
            if ([string](Get-SimValue -Table $conditionsNode -Key 'logicalGrouping') -eq 'MatchAny') { $grouping = 'MatchAny' }
            $conditions = @(Get-SimValue -Table $conditionsNode -Key 'add') | Where-Object { $null -ne $_ }
        }
        $results = @(foreach ($c in $conditions) {
                $conditionInput = [regex]::Replace([string]$c.input, '\{([A-Za-z_]+)\}', { param($x) Get-SimServerVariable -Name $x.Groups[1].Value -Uri $Uri })
                $conditionIgnoreCase = (Get-SimValue -Table $c -Key 'ignoreCase') -ne $false
                $hit = $null -ne (Test-SimRewritePattern -Syntax 'ECMAScript' -Pattern ([string](Get-SimValue -Table $c -Key 'pattern')) -Text $conditionInput -IgnoreCase $conditionIgnoreCase)
                $hit -ne ((Get-SimValue -Table $c -Key 'negate') -eq $true)
            })
        if ($conditions.Count -gt 0) {
            if (($grouping -eq 'MatchAll') -and ($results -contains $false)) { continue }
            if (($grouping -eq 'MatchAny') -and -not ($results -contains $true)) { continue }
        }
        $action = Get-SimValue -Table $rule -Key 'action'
        $type = 'None'
        if ($null -ne $action) { $type = [string](Get-SimValue -Table $action -Key 'type') }
        if ($type -eq 'Rewrite') {
            $rewritten = [string](Get-SimValue -Table $action -Key 'url')
            if ($null -ne $m) {
                $rewritten = [regex]::Replace($rewritten, '\{R:(\d+)\}', { param($x) $m.Groups[[int]$x.Groups[1].Value].Value })
            }
            $rewritten = [regex]::Replace($rewritten, '\{([A-Za-z_]+)\}', { param($x) Get-SimServerVariable -Name $x.Groups[1].Value -Uri $Uri })
            $target = $rewritten
            if ($rewritten -match '^(?i)https?://') {
                break
            }
            $path = $rewritten.TrimStart('/')
        }
        elseif ($type -eq 'AbortRequest') {
            throw (New-SimError -Message 'The underlying connection was closed: The connection was closed unexpectedly.' -ErrorId 'WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand' -ExceptionType 'System.Net.WebException')
        }
        elseif ($type -eq 'CustomResponse') {
            return @{ status = [int](Get-SimValue -Table $action -Key 'statusCode'); authenticate = @(); via = 'rule ' + [string]$rule.name }
        }
        if ((Get-SimValue -Table $rule -Key 'stopProcessing') -eq $true) {
            break
        }
    }
    if (($null -eq $target) -or ($target -notmatch '^(?i)(https?)://([^/:]+)(:\d+)?(/.*)?$')) {
        # Nothing forwards the path: this site has no /PowerShell of its own.
        return @{ status = 404; authenticate = @(); via = 'IIS on ' + [string]$global:SimState.host.fqdn }
    }
    $scheme = $Matches[1].ToLowerInvariant()
    $farmOrHost = $Matches[2]
    $proxy = Get-SimValue -Table (Get-SimValue -Table $iis.config -Key 'system.webServer') -Key 'proxy'
    if (($null -eq $proxy) -or ((Get-SimValue -Table $proxy -Key 'enabled') -ne $true)) {
        return @{ status = 404; authenticate = @(); via = 'rewrite to ' + $target + ' without ARR proxy enabled' }
    }
    $address = $farmOrHost
    $port = 80
    if ($scheme -eq 'https') { $port = 443 }
    $farms = Find-SimIisNodes -Root $iis.config -Steps (Split-SimIisFilter -Filter ("webFarms/webFarm[@name='" + $farmOrHost + "']"))
    if (@($farms).Count -eq 1) {
        $servers = @(Get-SimValue -Table $farms[0].node -Key 'server') | Where-Object { ($null -ne $_) -and ((Get-SimValue -Table $_ -Key 'enabled') -ne $false) }
        if (@($servers).Count -eq 0) {
            return @{ status = 503; authenticate = @(); via = 'farm ' + $farmOrHost + ' without servers' }
        }
        $server = @($servers)[0]
        $address = [string]$server.address
        $arr = Get-SimValue -Table $server -Key 'applicationRequestRouting'
        $portKey = 'httpPort'
        if ($scheme -eq 'https') { $portKey = 'httpsPort' }
        if (($null -ne $arr) -and ($null -ne (Get-SimValue -Table $arr -Key $portKey))) {
            $port = [int](Get-SimValue -Table $arr -Key $portKey)
        }
    }
    if (-not (Test-SimIisUpstreamReachable -Address $address -Port $port)) {
        return @{ status = 502; authenticate = @(); via = 'ARR to ' + $address + ':' + $port + ' (unreachable)' }
    }
    $upstream = Get-SimValue -Table (Get-SimValue -Table $iis -Key 'upstream') -Key $address
    $status = 401
    $authenticate = @('Negotiate')
    if ($null -ne $upstream) {
        if ($null -ne (Get-SimValue -Table $upstream -Key 'status')) { $status = [int](Get-SimValue -Table $upstream -Key 'status') }
        if ($null -ne (Get-SimValue -Table $upstream -Key 'authenticate')) { $authenticate = @(Get-SimValue -Table $upstream -Key 'authenticate') }
    }
    return @{ status = $status; authenticate = $authenticate; via = 'ARR to ' + $address + ':' + $port }
}

function Get-SimHttpAnswer {
    <#
    What a GET of $Uri gets from this host: @{ status; description; response (a WebResponse with the
    WWW-Authenticate headers) }, or the WebException a client gets when no server answers (a name this
    host does not serve, no binding, no certificate, an untrusted one), as an ErrorRecord.
    #>
    param([uri]$Uri, [string]$ErrorId)
    $h = $global:SimState.host
    $names = @([string]$h.fqdn, [string]$h.computerName, 'localhost') + @(Get-SimValue -Table $global:SimState.iis -Key 'servedNames')
    $local = @($names | Where-Object { ($null -ne $_) -and ([string]$_ -ieq $Uri.Host) }).Count -gt 0
    if (-not $local) {
        throw (New-SimError -Message 'Unable to connect to the remote server' -ErrorId $ErrorId -ExceptionType 'System.Net.WebException' -Target $Uri)
    }
    $answer = Resolve-SimIisRequest -Uri $Uri
    $status = [int]$answer.status
    $description = Get-SimHttpDescription -Status $status
    $response = [WinrmForgeSim.SimHttpResponse]::new($Uri, $status, $description)
    foreach ($value in @($answer.authenticate)) {
        $response.Headers.Add('WWW-Authenticate', [string]$value)
    }
    return @{ status = $status; description = $description; response = $response }
}

# Signature: System.Net.WebClient (.NET Framework 2.0 and later; learn.microsoft.com/dotnet/api/system.net.webclient):
# the constructor WebClient(), the properties UseDefaultCredentials and Headers, and DownloadString(String), which
# returns the body of a success status and throws a WebException otherwise: ProtocolError with the HttpWebResponse
# (StatusCode, Headers) for an HTTP error status, ConnectFailure, SecureChannelFailure or TrustFailure (Response
# null) when no answer came. Windows PowerShell wraps it in a MethodInvocationException (InnerException). What
# Windows PowerShell 2.0 has in place of Invoke-WebRequest, which came with 3.0.
Register-SimType -TypeName 'System.Net.WebClient' -Factory {
    param($ArgumentList)
    if (@($ArgumentList | Where-Object { $null -ne $_ }).Count -gt 0) {
        throw (New-Object -TypeName 'System.Management.Automation.MethodException' -ArgumentList 'Cannot find an overload for "WebClient" and the argument count: "1".')
    }
    $client = [pscustomobject]@{ UseDefaultCredentials = $false; Headers = [System.Net.WebHeaderCollection]::new() }
    $client | Add-Member -MemberType 'ScriptMethod' -Name 'DownloadString' -Value {
        param($address)
        Register-SimCall -Name 'System.Net.WebClient.DownloadString' -Arguments @{ address = [string]$address }
        $uri = [uri][string]$address
        try {
            $answer = Get-SimHttpAnswer -Uri $uri -ErrorId 'WebException'
        }
        catch {
            # No answer: the WebException itself, without a response.
            throw ([System.Net.WebException]::new($_.Exception.Message, $null, [System.Net.WebExceptionStatus]::ConnectFailure, $null))
        }
        if (($answer.status -lt 200) -or ($answer.status -ge 300)) {
            $global:SimState.lastError = [ordered]@{ call = 'System.Net.WebClient.DownloadString ' + [string]$address; message = ('(' + $answer.status + ') ' + $answer.description) }
            throw ([System.Net.WebException]::new(('The remote server returned an error: (' + $answer.status + ') ' + $answer.description + '.'), $null, [System.Net.WebExceptionStatus]::ProtocolError, $answer.response))
        }
        return ''
    }
    return $client
}

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Utility/Invoke-WebRequest.md
function Invoke-WebRequest {
    [CmdletBinding()]
    param(
        [switch]$UseBasicParsing,
        [Parameter(Mandatory = $true, Position = 0)][uri]$Uri,
        [object]$WebSession,
        [string]$SessionVariable,
        [pscredential]$Credential,
        [switch]$UseDefaultCredentials,
        [string]$CertificateThumbprint,
        [System.Security.Cryptography.X509Certificates.X509Certificate]$Certificate,
        [string]$UserAgent,
        [switch]$DisableKeepAlive,
        [int]$TimeoutSec,
        [System.Collections.IDictionary]$Headers,
        [int]$MaximumRedirection,
        [ValidateSet('Default', 'Get', 'Head', 'Post', 'Put', 'Delete', 'Trace', 'Options', 'Merge', 'Patch')][string]$Method,
        [uri]$Proxy,
        [pscredential]$ProxyCredential,
        [switch]$ProxyUseDefaultCredentials,
        [Parameter(ValueFromPipeline = $true)][object]$Body,
        [string]$ContentType,
        [ValidateSet('chunked', 'compress', 'deflate', 'gzip', 'identity')][string]$TransferEncoding,
        [string]$InFile,
        [string]$OutFile,
        [switch]$PassThru
    )
    Assert-SimCommand -Name 'Invoke-WebRequest' -Arguments $PSBoundParameters
    if (-not $UseBasicParsing) {
        # Without -UseBasicParsing, Windows PowerShell 5.1 parses with Internet Explorer's engine, which
        # Server Core and a never-started Internet Explorer do not have.
        throw (New-SimError -Message 'The response content cannot be parsed because the Internet Explorer engine is not available, or Internet Explorer''s first-launch configuration is not complete. Specify the UseBasicParsing parameter and try again.' -ErrorId 'WebCmdletIEDomNotSupportedException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand' -ExceptionType 'System.NotSupportedException')
    }
    foreach ($unsupported in @('WebSession', 'SessionVariable', 'Proxy', 'InFile', 'OutFile', 'Body')) {
        if ($PSBoundParameters.ContainsKey($unsupported)) {
            throw (New-SimError -Message ('Invoke-WebRequest -' + $unsupported + ' is not simulated.') -ErrorId 'NotSimulated')
        }
    }
    $answer = Get-SimHttpAnswer -Uri $Uri -ErrorId 'WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand'
    $status = $answer.status
    $description = $answer.description
    $response = $answer.response
    if (($status -lt 200) -or ($status -ge 300)) {
        $exception = [System.Net.WebException]::new(('The remote server returned an error: (' + $status + ') ' + $description + '.'), $null, [System.Net.WebExceptionStatus]::ProtocolError, $response)
        $record = [System.Management.Automation.ErrorRecord]::new($exception, 'WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand', [System.Management.Automation.ErrorCategory]::InvalidOperation, $Uri)
        $global:SimState.lastError = [ordered]@{ call = $global:SimCurrentCall; message = $exception.Message }
        $PSCmdlet.ThrowTerminatingError($record)
    }
    $headersOut = @{}
    foreach ($key in $response.Headers.AllKeys) {
        $headersOut[$key] = $response.Headers[$key]
    }
    [pscustomobject][ordered]@{ StatusCode = $status; StatusDescription = $description; Headers = $headersOut; Content = ''; RawContent = ('HTTP/1.1 ' + $status + ' ' + $description) }
}
