# The Cert: drive (LocalMachine\My and LocalMachine\Root) and New-SelfSignedCertificate.
# State: certificates = { My: [certificate], Root: [certificate] }, each certificate
# { Thumbprint, Subject, Issuer, DnsNameList, NotBefore, NotAfter (ISO 8601), HasPrivateKey,
#   EnhancedKeyUsage (OIDs, or null for no EKU extension), trusted (chains to a trusted root) }.

function Find-SimCertificate {
    param([Parameter(Mandatory = $true)][string]$Store, [AllowEmptyString()][string]$Thumbprint)
    if ([string]::IsNullOrEmpty($Thumbprint)) {
        return $null
    }
    foreach ($certificate in @(Get-SimValue -Table $global:SimState.certificates -Key $Store)) {
        if (($null -ne $certificate) -and ([string]$certificate.Thumbprint -ieq $Thumbprint)) {
            return $certificate
        }
    }
    return $null
}

function Get-SimCertificateNames {
    param([Parameter(Mandatory = $true)]$Certificate)
    $names = @($Certificate.DnsNameList)
    if ($names.Count -eq 0) {
        $names = @(([string]$Certificate.Subject) -replace '^CN=', '')
    }
    return $names
}

function Test-SimCertificateName {
    <# Whether a certificate (state entry) carries a name: exact, or a wildcard covering one label. #>
    param([Parameter(Mandatory = $true)]$Certificate, [Parameter(Mandatory = $true)][string]$Name)
    foreach ($candidate in @(Get-SimCertificateNames -Certificate $Certificate)) {
        $text = [string]$candidate
        if ($text -ieq $Name) {
            return $true
        }
        if ($text.StartsWith('*.') -and $Name.Contains('.') -and ($Name.Substring($Name.IndexOf('.')) -ieq $text.Substring(1))) {
            return $true
        }
    }
    return $false
}

function ConvertTo-SimCertificateObject {
    <# What Get-Item/Get-ChildItem on Cert: return: the X509Certificate2 properties the scripts read. #>
    param([Parameter(Mandatory = $true)]$Certificate, [Parameter(Mandatory = $true)][string]$Store)
    $extensions = New-Object -TypeName 'System.Collections.Generic.List[object]'
    if ($null -ne $Certificate.EnhancedKeyUsage) {
        $oids = New-Object -TypeName 'System.Security.Cryptography.OidCollection'
        foreach ($oid in @($Certificate.EnhancedKeyUsage)) {
            $null = $oids.Add((New-Object -TypeName 'System.Security.Cryptography.Oid' -ArgumentList ([string]$oid)))
        }
        $extensions.Add((New-Object -TypeName 'System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension' -ArgumentList @($oids, $false)))
    }
    $names = @(Get-SimCertificateNames -Certificate $Certificate)
    $object = [pscustomobject]@{
        PSPath        = 'Microsoft.PowerShell.Security\Certificate::LocalMachine\' + $Store + '\' + $Certificate.Thumbprint
        Thumbprint    = ([string]$Certificate.Thumbprint).ToUpperInvariant()
        Subject       = [string]$Certificate.Subject
        Issuer        = [string]$Certificate.Issuer
        NotBefore     = ConvertTo-SimDate -Text ([string]$Certificate.NotBefore)
        NotAfter      = ConvertTo-SimDate -Text ([string]$Certificate.NotAfter)
        HasPrivateKey = [bool]$Certificate.HasPrivateKey
        Extensions    = $extensions
        DnsNameList   = @(foreach ($name in $names) { [pscustomobject]@{ Unicode = [string]$name; Punycode = [string]$name } })
        FriendlyName  = ''
    }
    $first = [string]$names[0]
    $object | Add-Member -MemberType 'ScriptMethod' -Name 'GetNameInfo' -Value { param($type, $forIssuer) return $first }.GetNewClosure()
    return $object
}

function Resolve-SimCertificatePath {
    param([string]$Path)
    $parts = @($Path.Split('\') | Where-Object { $_ -ne '' })
    if (($parts.Count -ge 1) -and ($parts[0] -ine 'LocalMachine')) {
        throw (New-SimError -Message ("Cannot find path 'Cert:\" + $Path + "': only Cert:\LocalMachine is simulated.") -ErrorId 'PathNotFound' -Category 'ObjectNotFound' -ExceptionType 'System.Management.Automation.ItemNotFoundException')
    }
    $store = $null
    $thumbprint = $null
    if ($parts.Count -ge 2) {
        $store = Get-SimKey -Table $global:SimState.certificates -Key $parts[1]
        if ($null -eq $store) {
            throw (New-SimError -Message ("Cannot find path 'Cert:\" + $Path + "' because it does not exist.") -ErrorId 'PathNotFound' -Category 'ObjectNotFound' -ExceptionType 'System.Management.Automation.ItemNotFoundException')
        }
    }
    if ($parts.Count -ge 3) {
        $thumbprint = $parts[2]
    }
    return [pscustomobject]@{ Store = $store; Thumbprint = $thumbprint }
}

Register-SimProvider -Drive 'Cert' -Handlers @{
    GetItem      = {
        param($Path, $Bound)
        $Path = $Path -replace '^[A-Za-z]+:\\?', ''
        $target = Resolve-SimCertificatePath -Path $Path
        if ($null -eq $target.Thumbprint) {
            return [pscustomobject]@{ Name = [string]$target.Store; Location = 'LocalMachine' }
        }
        $certificate = Find-SimCertificate -Store $target.Store -Thumbprint $target.Thumbprint
        if ($null -eq $certificate) {
            throw (New-SimError -Message ("Cannot find path 'Cert:\" + $Path + "' because it does not exist.") -ErrorId 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand' -Category 'ObjectNotFound' -ExceptionType 'System.Management.Automation.ItemNotFoundException')
        }
        return (ConvertTo-SimCertificateObject -Certificate $certificate -Store $target.Store)
    }
    GetChildItem = {
        param($Path, $Bound)
        $Path = $Path -replace '^[A-Za-z]+:\\?', ''
        $target = Resolve-SimCertificatePath -Path $Path
        if ($null -eq $target.Store) {
            return @(foreach ($store in @($global:SimState.certificates.Keys)) { [pscustomobject]@{ Name = [string]$store; Location = 'LocalMachine' } })
        }
        return @(foreach ($certificate in @($global:SimState.certificates[$target.Store])) {
                if ($null -ne $certificate) {
                    ConvertTo-SimCertificateObject -Certificate $certificate -Store $target.Store
                }
            })
    }
    RemoveItem   = {
        param($Path, $Bound)
        $Path = $Path -replace '^[A-Za-z]+:\\?', ''
        $target = Resolve-SimCertificatePath -Path $Path
        $certificate = Find-SimCertificate -Store $target.Store -Thumbprint $target.Thumbprint
        if ($null -eq $certificate) {
            throw (New-SimError -Message ("Cannot find path 'Cert:\" + $Path + "' because it does not exist.") -ErrorId 'PathNotFound' -Category 'ObjectNotFound' -ExceptionType 'System.Management.Automation.ItemNotFoundException')
        }
        $global:SimState.certificates[$target.Store] = @($global:SimState.certificates[$target.Store] | Where-Object { [string]$_.Thumbprint -ine $target.Thumbprint })
        Register-SimChange -Area 'certificate' -Target ('Cert:\LocalMachine\' + $target.Store + '\' + $target.Thumbprint) -Detail 'removed'
    }
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/pki/New-SelfSignedCertificate.md
# Windows Server 2012 and 2012 R2 have only -CertStoreLocation, -CloneCert and -DnsName
# (docset/winserver2012r2-ps/pki/New-SelfSignedCertificate.md): any other parameter fails there.
function New-SelfSignedCertificate {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [string[]]$DnsName,
        [string]$CertStoreLocation,
        [object]$CloneCert,
        [string]$Subject,
        [string]$FriendlyName,
        [datetime]$NotAfter,
        [datetime]$NotBefore,
        [string[]]$TextExtension,
        [ValidateSet('CodeSigningCert', 'Custom', 'DocumentEncryptionCert', 'DocumentEncryptionCertLegacyCsp', 'SSLServerAuthentication')][string]$Type,
        [string]$KeyAlgorithm,
        [int]$KeyLength,
        [ValidateSet('None', 'KeyExchange', 'Signature')][string]$KeySpec,
        [string[]]$KeyUsage,
        [ValidateSet('None', 'Exportable', 'ExportableEncrypted', 'AllowPlaintextExport')][string[]]$KeyExportPolicy,
        [string]$HashAlgorithm,
        [string]$Provider,
        [object]$Signer
    )
    Assert-SimCommand -Name 'New-SelfSignedCertificate' -Arguments $PSBoundParameters
    if (-not (Test-SimOsAtLeast -Os 'windows-server-2016')) {
        foreach ($key in @($PSBoundParameters.Keys)) {
            if (@('DnsName', 'CertStoreLocation', 'CloneCert', 'WhatIf', 'Confirm', 'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ErrorVariable', 'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable') -notcontains $key) {
                throw (New-SimError -Message ("A parameter cannot be found that matches parameter name '" + $key + "'.") -ErrorId 'NamedParameterNotFound,Microsoft.CertificateServices.Commands.NewSelfSignedCertificateCommand' -ExceptionType 'System.Management.Automation.ParameterBindingException')
            }
        }
    }
    if ($CertStoreLocation -notmatch '^Cert:\\LocalMachine\\My\\?$') {
        throw (New-SimError -Message ('New-SelfSignedCertificate -CertStoreLocation ' + $CertStoreLocation + ' is not simulated: Cert:\LocalMachine\My only.') -ErrorId 'NotSupported')
    }
    if (-not $PSCmdlet.ShouldProcess($CertStoreLocation, 'New-SelfSignedCertificate')) {
        return
    }
    $now = Get-Date
    $counter = @($global:SimState.certificates.My).Count
    $sha = [System.Security.Cryptography.SHA1]::Create()
    $thumbprint = (($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes(($DnsName -join ',') + '|' + $global:SimState.host.fqdn + '|' + $counter)) | ForEach-Object { $_.ToString('X2') }) -join '')
    $subject = 'CN=' + $DnsName[0]
    $certificate = [ordered]@{
        Thumbprint       = $thumbprint
        Subject          = $subject
        Issuer           = $subject
        DnsNameList      = @($DnsName)
        NotBefore        = $now.AddMinutes(-10).ToString('o')
        NotAfter         = $now.AddYears(1).ToString('o')
        HasPrivateKey    = $true
        EnhancedKeyUsage = @('1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1')
        trusted          = $false
    }
    $global:SimState.certificates.My = @(@($global:SimState.certificates.My | Where-Object { $null -ne $_ }) + $certificate)
    Register-SimChange -Area 'certificate' -Target ('Cert:\LocalMachine\My\' + $thumbprint) -Detail ('self-signed for ' + ($DnsName -join ', '))
    return (ConvertTo-SimCertificateObject -Certificate $certificate -Store 'My')
}
