# IIS for the simulated host: WebAdministration (configuration properties, bindings, global
# modules, application pools) and ServerManager (Windows features).
#
# State: $global:SimState.iis =
#   features:      { '<feature name>': installed (bool) }    (Web-Server, Web-Scripting-Tools, ...)
#   globalModules: [ { name, image, preCondition } ]
#   sites:         [ { name, id, bindings: [ { protocol, bindingInformation ('*:443:'), sslFlags (int) } ] } ]
#   sslBindings:   HTTP.sys's SSL configuration, one entry per IP:port endpoint:
#                  [ { ipPort ('0.0.0.0:443'), certificateHash, certificateStoreName, appId } ]
#                  A site binding holds no certificate: IIS serves the certificate HTTP.sys holds for
#                  the binding's endpoint, IIS's '*' being HTTP.sys's 0.0.0.0 (MicrosoftDocs/iis-docs
#                  iis/manage/powershell/powershell-snap-in-configuring-ssl-with-the-iis-powershell-snap-in.md).
#                  Get-WebBinding's certificateHash, AddSslCertificate, the IIS:\SslBindings drive
#                  and netsh http show|add sslcert (native-ad-iis.ps1) all read and write this list.
#   applications:  [ { site, path, applicationPool } ]      which path runs in which pool
#   appPools:      [ { name, state ('Started'|'Stopped'), recycles (int) } ]
#   configWritten: ISO time applicationHost.config was last written (Get-Item of that file; every
#                  IIS or Exchange virtual directory change sets it to host.now, Simulator.psm1)
# $global:SimState.processes: [ { Name, ProcessId, CommandLine, CreationDate (ISO) } ] (Win32_Process:
#                  the w3wp.exe of each pool, '-ap "<pool>"'; Restart-WebAppPool replaces the pool's)
#   config:        the MACHINE/WEBROOT/APPHOST tree (below)
#   locations:     { '<site>/<path>': tree }                 <location path="..."> elements
# A tree is the XML of applicationHost.config as nested objects: an element is an object whose
# scalar members are its attributes and whose object members are its child elements; a collection
# holds its entries in an array under the entry's element name. Example:
#   config.webFarms.webFarm[0] = { name, server: [ { address, applicationRequestRouting: { httpsPort } } ] }
#   config.'system.webServer'.rewrite.globalRules.rule = [ { name, stopProcessing, match: { url },
#       conditions: { add: [ { input, pattern } ] }, action: { type, url } } ]   (in rule order)
#   config.'system.webServer'.proxy = { enabled, preserveHostHeader }
#   locations.'Default Web Site/PowerShell'.'system.webServer'.security = {
#       authentication: { windowsAuthentication: { enabled }, basicAuthentication: { enabled }, ... },
#       access: { sslFlags: 'SslNegotiateCert' } }
# A value missing from a location is inherited from config, then from the schema default below.

# Collection entry element of each collection element: a filter step naming the entry selects entries.
function Get-SimIisCollectionEntry {
    param([string]$Container)
    $map = @{ webFarms = 'webFarm'; webFarm = 'server'; globalRules = 'rule'; rules = 'rule'; conditions = 'add'; serverVariables = 'set'; modules = 'add'; globalModules = 'add' }
    return $map[$Container]
}

function Test-SimIisCollectionTag {
    param([string]$Tag)
    return @('webFarm', 'server', 'rule', 'add', 'set') -contains $Tag
}

# Attribute schema of the elements the scripts touch: type and default (IIS, URL Rewrite 2.1 and
# ARR 3.0 configuration schema). Unknown attributes are refused, as IIS refuses them.
function Get-SimIisAttributeSchema {
    param([string]$Element, [string]$Attribute)
    $schema = @{
        'proxy'                                     = @{ enabled = @('bool', $false); preserveHostHeader = @('bool', $false); reverseRewriteHostInResponseHeaders = @('bool', $true); httpVersion = @('enum:PassThrough,Http11,Http2', 'PassThrough') }
        'rule'                                      = @{ name = @('string', ''); enabled = @('bool', $true); patternSyntax = @('enum:ECMAScript,Wildcard,ExactMatch', 'ECMAScript'); stopProcessing = @('bool', $false) }
        'match'                                     = @{ url = @('string', ''); ignoreCase = @('bool', $true); negate = @('bool', $false) }
        'action'                                    = @{ type = @('enum:None,Rewrite,Redirect,CustomResponse,AbortRequest', 'None'); url = @('string', ''); appendQueryString = @('bool', $true); logRewrittenUrl = @('bool', $false) }
        'conditions'                                = @{ logicalGrouping = @('enum:MatchAll,MatchAny', 'MatchAll'); trackAllCaptures = @('bool', $false) }
        'add@conditions'                            = @{ input = @('string', ''); pattern = @('string', ''); negate = @('bool', $false); ignoreCase = @('bool', $true); matchType = @('enum:Pattern,IsFile,IsDirectory', 'Pattern') }
        'webFarm'                                   = @{ name = @('string', ''); enabled = @('bool', $true) }
        'server'                                    = @{ address = @('string', ''); enabled = @('bool', $true) }
        'applicationRequestRouting'                 = @{ httpPort = @('int', 80); httpsPort = @('int', 443); weight = @('int', 100) }
        'access'                                    = @{ sslFlags = @('flags:None,Ssl,SslNegotiateCert,SslRequireCert,SslMapCert,Ssl128', 'None') }
        'basicAuthentication'                       = @{ enabled = @('bool', $false); realm = @('string', ''); defaultLogonDomain = @('string', '') }
        'windowsAuthentication'                     = @{ enabled = @('bool', $false); useKernelMode = @('bool', $true) }
        'anonymousAuthentication'                   = @{ enabled = @('bool', $false); userName = @('string', 'IUSR') }
        'digestAuthentication'                      = @{ enabled = @('bool', $false); realm = @('string', '') }
        'clientCertificateMappingAuthentication'    = @{ enabled = @('bool', $false) }
        'iisClientCertificateMappingAuthentication' = @{ enabled = @('bool', $false) }
    }
    $entry = $schema[$Element]
    if ($null -eq $entry) {
        return $null
    }
    return $entry[$Attribute]
}

function Split-SimIisFilter {
    <# A filter as steps: @{ tag; attribute; value } (the predicate [@a='v'] is optional). #>
    param([Parameter(Mandatory = $true)][string]$Filter)
    $text = $Filter.Trim()
    if ($text.StartsWith('/')) {
        $text = $text.TrimStart('/')
    }
    $steps = [System.Collections.Generic.List[object]]::new()
    $current = ''
    $depth = 0
    foreach ($ch in $text.ToCharArray()) {
        if ($ch -eq '[') { $depth++ }
        if ($ch -eq ']') { $depth-- }
        if (($ch -eq '/') -and ($depth -eq 0)) {
            $steps.Add($current)
            $current = ''
            continue
        }
        $current += $ch
    }
    $steps.Add($current)
    $parsed = [System.Collections.Generic.List[object]]::new()
    foreach ($step in $steps) {
        if ($step -match "^([A-Za-z][A-Za-z0-9._-]*)(?:\[@([A-Za-z][A-Za-z0-9_-]*)=(?:'([^']*)'|""([^""]*)"")\])?$") {
            $value = $Matches[3]
            if ($null -eq $value) {
                $value = $Matches[4]
            }
            $parsed.Add(@{ tag = $Matches[1]; attribute = $Matches[2]; value = $value })
        }
        else {
            throw (New-SimError -Message ("Filter '" + $Filter + "' is not a configuration path the simulated host reads (element steps with an optional [@attribute='value'])") -ErrorId 'InvalidFilter')
        }
    }
    return $parsed
}

function Get-SimIisLocationTree {
    <# The tree a -PSPath/-Location pair addresses; $null for the apphost root. #>
    param([string[]]$PSPath, [string[]]$Location)
    $root = 'MACHINE/WEBROOT/APPHOST'
    $path = $root
    if ($null -ne $PSPath) {
        if (@($PSPath).Count -ne 1) {
            throw (New-SimError -Message 'Only one -PSPath is simulated.' -ErrorId 'NotSimulated')
        }
        $path = [string]@($PSPath)[0]
    }
    $result = ''
    if ($path -match '^(?i)IIS:\\?$') {
        $path = $root
    }
    if ($path -match '^(?i)MACHINE/WEBROOT/APPHOST(/(.+))?$') {
        if ($null -ne $Matches[2]) {
            $result = $Matches[2]
        }
    }
    elseif ($path -match '^(?i)IIS:\\Sites\\(.+)$') {
        $result = ($Matches[1] -replace '\\', '/')
    }
    else {
        throw (New-SimError -Message ('-PSPath ' + $path + ' is not simulated: the scripts address MACHINE/WEBROOT/APPHOST.') -ErrorId 'NotSimulated')
    }
    if ($null -ne $Location) {
        if (@($Location).Count -ne 1) {
            throw (New-SimError -Message 'Only one -Location is simulated.' -ErrorId 'NotSimulated')
        }
        $extra = [string]@($Location)[0]
        if ($result -eq '') {
            $result = $extra
        }
        else {
            $result = $result + '/' + $extra
        }
    }
    return $result.Trim('/')
}

function Get-SimIisState {
    $iis = $global:SimState.iis
    if ($null -eq $iis) {
        throw (New-SimError -Message 'Filename: redirection.config Error: Cannot read configuration file (IIS is not installed on this host).' -ErrorId 'IisNotInstalled' -ExceptionType 'System.IO.FileNotFoundException')
    }
    foreach ($key in @('config', 'locations')) {
        if ($null -eq (Get-SimValue -Table $iis -Key $key)) {
            $iis[$key] = @{}
        }
    }
    return $iis
}

function Get-SimIisRoot {
    param([string]$Location, [switch]$Create)
    $iis = Get-SimIisState
    if ($Location -eq '') {
        return $iis.config
    }
    $key = Get-SimKey -Table $iis.locations -Key $Location
    if ($null -eq $key) {
        if (-not $Create) {
            return $null
        }
        $iis.locations[$Location] = @{}
        $key = $Location
    }
    return $iis.locations[$key]
}

function Find-SimIisNodes {
    <#
    Walks the steps from a tree root. Returns @{ node; element; parent; path } for each match.
    Child elements that do not exist yet are implicit (IIS shows their defaults); with -Create they
    are added to the tree. Collection entries must exist.
    #>
    param($Root, $Steps, [switch]$Create)
    $current = @(@{ node = $Root; element = ''; parent = ''; path = '' })
    foreach ($step in $Steps) {
        $next = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $current) {
            $node = $item.node
            $key = $null
            if ($null -ne $node) {
                $key = Get-SimKey -Table $node -Key $step.tag
            }
            $child = $null
            if ($null -ne $key) {
                $child = $node[$key]
            }
            $isCollection = ($child -is [array]) -or ($child -is [System.Collections.IList]) -or (($null -eq $child) -and (Test-SimIisCollectionTag -Tag $step.tag))
            if ($isCollection) {
                foreach ($entry in @($child)) {
                    if ($null -eq $entry) {
                        continue
                    }
                    if (($null -ne $step.attribute) -and ([string](Get-SimValue -Table $entry -Key $step.attribute) -ne $step.value)) {
                        continue
                    }
                    $next.Add(@{ node = $entry; element = $step.tag; parent = $item.element; path = ($item.path + '/' + $step.tag) })
                }
                continue
            }
            if ($null -ne $step.attribute) {
                # A predicate on a single element: it matches when the attribute has the value.
                if (($null -eq $child) -or ([string](Get-SimValue -Table $child -Key $step.attribute) -ne $step.value)) {
                    continue
                }
            }
            if ($null -eq $child) {
                $child = @{}
                if ($Create -and ($null -ne $node)) {
                    $node[$step.tag] = $child
                }
                elseif (-not $Create) {
                    $child = $null
                }
            }
            $next.Add(@{ node = $child; element = $step.tag; parent = $item.element; path = ($item.path + '/' + $step.tag) })
        }
        $current = @($next)
    }
    return , @($current)
}

function Get-SimIisSchemaKey {
    param([string]$Element, [string]$Parent)
    if (($Element -eq 'add') -and ($Parent -eq 'conditions')) {
        return 'add@conditions'
    }
    return $Element
}

function ConvertTo-SimIisValue {
    <# A value as IIS stores it after schema conversion; throws for a value the schema refuses. #>
    param($Value, [string]$Type, [string]$Attribute)
    if ($Type -eq 'bool') {
        if ($Value -is [bool]) { return $Value }
        if ([string]$Value -ieq 'true') { return $true }
        if ([string]$Value -ieq 'false') { return $false }
        throw (New-SimError -Message ("'" + [string]$Value + "' is not a valid value for " + $Attribute + ': expected true or false.') -ErrorId 'InvalidValue')
    }
    if ($Type -eq 'int') {
        $n = 0
        if ([int]::TryParse([string]$Value, [ref]$n)) { return $n }
        throw (New-SimError -Message ("'" + [string]$Value + "' is not a valid integer for " + $Attribute + '.') -ErrorId 'InvalidValue')
    }
    if ($Type.StartsWith('enum:')) {
        foreach ($allowed in $Type.Substring(5).Split(',')) {
            if ([string]$Value -ieq $allowed) { return $allowed }
        }
        throw (New-SimError -Message ("'" + [string]$Value + "' is not a valid value for enumeration attribute " + $Attribute + '.') -ErrorId 'InvalidValue')
    }
    if ($Type.StartsWith('flags:')) {
        $allowed = $Type.Substring(6).Split(',')
        $flags = @(foreach ($part in ([string]$Value).Split(',')) {
                $p = $part.Trim()
                $match = @($allowed | Where-Object { $_ -ieq $p })
                if ($match.Count -ne 1) {
                    throw (New-SimError -Message ("'" + $p + "' is not a valid flag of " + $Attribute + '.') -ErrorId 'InvalidValue')
                }
                $match[0]
            })
        $flags = @($flags | Where-Object { $_ -ne 'None' })
        if ($flags.Count -eq 0) { return 'None' }
        return ($flags -join ',')
    }
    return [string]$Value
}

function Get-SimIisAttributeValue {
    <# The effective value of an attribute: the element's own, else the apphost root's (for a location), else the schema default. #>
    param($Item, [string]$Attribute, $Steps, [string]$Location)
    $schemaKey = Get-SimIisSchemaKey -Element $Item.element -Parent $Item.parent
    $schema = Get-SimIisAttributeSchema -Element $schemaKey -Attribute $Attribute
    if ($null -ne $Item.node) {
        $key = Get-SimKey -Table $Item.node -Key $Attribute
        if ($null -ne $key) {
            return @{ value = $Item.node[$key]; inherited = $false; schema = $schema }
        }
    }
    if ($Location -ne '') {
        $rootItems = Find-SimIisNodes -Root (Get-SimIisRoot -Location '') -Steps $Steps
        foreach ($rootItem in $rootItems) {
            if ($null -ne $rootItem.node) {
                $key = Get-SimKey -Table $rootItem.node -Key $Attribute
                if ($null -ne $key) {
                    return @{ value = $rootItem.node[$key]; inherited = $true; schema = $schema }
                }
            }
        }
    }
    if ($null -eq $schema) {
        throw (New-SimError -Message ('Property ' + $Attribute + ' is not found on ' + $Item.path.TrimStart('/') + '.') -ErrorId 'PropertyNotFound' -Category 'ObjectNotFound')
    }
    return @{ value = $schema[1]; inherited = $true; schema = $schema }
}

function New-SimIisElementObject {
    param($Item)
    $properties = [ordered]@{ ItemXPath = $Item.path; ElementTagName = $Item.element }
    if ($null -ne $Item.node) {
        foreach ($k in @($Item.node.Keys)) {
            $v = $Item.node[$k]
            if (($v -isnot [System.Collections.IDictionary]) -and ($v -isnot [array])) {
                $properties[[string]$k] = $v
            }
        }
    }
    $object = [pscustomobject]$properties
    $object.PSObject.TypeNames.Insert(0, 'Microsoft.IIs.PowerShell.Framework.ConfigurationElement')
    return $object
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/WebAdministration/Get-WebConfigurationProperty.md
function Get-WebConfigurationProperty {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string[]]$Name,
        [switch]$Recurse,
        [string]$Clr,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string[]]$Location,
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$Filter,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)][string[]]$PSPath
    )
    Assert-SimCommand -Name 'Get-WebConfigurationProperty' -Arguments $PSBoundParameters
    $locationPath = Get-SimIisLocationTree -PSPath $PSPath -Location $Location
    foreach ($oneFilter in $Filter) {
        $steps = Split-SimIisFilter -Filter $oneFilter
        $root = Get-SimIisRoot -Location $locationPath
        $items = @()
        if ($null -ne $root) {
            $items = Find-SimIisNodes -Root $root -Steps $steps
        }
        if (($locationPath -ne '') -and ((@($items).Count -eq 0) -or ($null -eq $root))) {
            # The location does not hold the element: IIS shows it as inherited from the apphost root.
            $items = Find-SimIisNodes -Root (Get-SimIisRoot -Location '') -Steps $steps
            if (@($items).Count -eq 0 -and -not (Test-SimIisCollectionTag -Tag $steps[$steps.Count - 1].tag)) {
                $items = @(@{ node = $null; element = $steps[$steps.Count - 1].tag; parent = $(if ($steps.Count -gt 1) { $steps[$steps.Count - 2].tag } else { '' }); path = '/' + $oneFilter })
            }
        }
        foreach ($item in $items) {
            foreach ($oneName in $Name) {
                if ($oneName -eq '.') {
                    New-SimIisElementObject -Item $item
                    continue
                }
                $effective = Get-SimIisAttributeValue -Item $item -Attribute $oneName -Steps $steps -Location $locationPath
                $type = 'string'
                if ($null -ne $effective.schema) {
                    $type = [string]$effective.schema[0]
                }
                if ($type.StartsWith('enum:') -or $type.StartsWith('flags:')) {
                    # Enumeration and flag attributes come back as their text.
                    [string]$effective.value
                    continue
                }
                $attribute = [pscustomobject][ordered]@{ Name = $oneName; Value = $effective.value; IsInheritedFromDefaultValue = [bool]$effective.inherited; Schema = $null }
                $attribute.PSObject.TypeNames.Insert(0, 'Microsoft.IIs.PowerShell.Framework.ConfigurationAttribute')
                $attribute
            }
        }
    }
}

function Set-SimIisAttribute {
    param($Item, [string]$Attribute, $Value, [string]$Where)
    $schemaKey = Get-SimIisSchemaKey -Element $Item.element -Parent $Item.parent
    $schema = Get-SimIisAttributeSchema -Element $schemaKey -Attribute $Attribute
    $existing = Get-SimKey -Table $Item.node -Key $Attribute
    if (($null -eq $schema) -and ($null -eq $existing)) {
        throw (New-SimError -Message ('Property ' + $Attribute + ' is not found on ' + $Item.path.TrimStart('/') + '.') -ErrorId 'PropertyNotFound' -Category 'ObjectNotFound')
    }
    $type = 'string'
    if ($null -ne $schema) {
        $type = [string]$schema[0]
    }
    $converted = ConvertTo-SimIisValue -Value $Value -Type $type -Attribute $Attribute
    $before = ''
    if ($null -ne $existing) {
        $before = [string]$Item.node[$existing]
    }
    else {
        $existing = $Attribute
    }
    $Item.node[$existing] = $converted
    # A write is recorded even when the value does not change: IIS rewrites applicationHost.config.
    Register-SimChange -Area 'iis' -Target ($Where + ' ' + $Item.path.TrimStart('/') + ' ' + $Attribute) -Detail ($before + ' -> ' + [string]$converted)
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/WebAdministration/Set-WebConfigurationProperty.md
function Set-WebConfigurationProperty {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'InputPSObject')]
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(ParameterSetName = 'InputPSObject', Mandatory = $true)][psobject]$Value,
        [Parameter(ParameterSetName = 'InputObject', Mandatory = $true)][object]$InputObject,
        [string]$Clr,
        [hashtable]$AtElement,
        [int]$AtIndex,
        [string]$AtName,
        [switch]$Force,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string[]]$Location,
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$Filter,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)][string[]]$PSPath
    )
    Assert-SimCommand -Name 'Set-WebConfigurationProperty' -Arguments $PSBoundParameters
    foreach ($unsupported in @('AtElement', 'AtIndex', 'AtName', 'InputObject')) {
        if ($PSBoundParameters.ContainsKey($unsupported)) {
            throw (New-SimError -Message ('Set-WebConfigurationProperty -' + $unsupported + ' is not simulated: no generated script uses it.') -ErrorId 'NotSimulated')
        }
    }
    $locationPath = Get-SimIisLocationTree -PSPath $PSPath -Location $Location
    $newValue = $Value
    if ($Value -is [psobject]) {
        $newValue = $Value.PSObject.BaseObject
    }
    foreach ($oneFilter in $Filter) {
        $steps = Split-SimIisFilter -Filter $oneFilter
        $where = 'MACHINE/WEBROOT/APPHOST'
        if ($locationPath -ne '') {
            $where = $where + ' location ' + $locationPath
        }
        if (-not $PSCmdlet.ShouldProcess($where + ' ' + $oneFilter, 'Set ' + $Name)) {
            continue
        }
        $items = Find-SimIisNodes -Root (Get-SimIisRoot -Location $locationPath -Create) -Steps $steps -Create
        if (@($items).Count -eq 0) {
            throw (New-SimError -Message ('Target configuration object ''' + $oneFilter + ''' is not found at path ''' + $where + '''.') -ErrorId 'TargetNotFound' -Category 'ObjectNotFound')
        }
        foreach ($item in $items) {
            Set-SimIisAttribute -Item $item -Attribute $Name -Value $newValue -Where $where
        }
    }
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/WebAdministration/Add-WebConfigurationProperty.md
function Add-WebConfigurationProperty {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [string]$Type,
        [psobject]$Value,
        [string]$Clr,
        [hashtable]$AtElement,
        [int]$AtIndex,
        [string]$AtName,
        [switch]$Force,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string[]]$Location,
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$Filter,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)][string[]]$PSPath
    )
    Assert-SimCommand -Name 'Add-WebConfigurationProperty' -Arguments $PSBoundParameters
    foreach ($unsupported in @('AtElement', 'AtIndex', 'AtName', 'Type')) {
        if ($PSBoundParameters.ContainsKey($unsupported)) {
            throw (New-SimError -Message ('Add-WebConfigurationProperty -' + $unsupported + ' is not simulated: no generated script uses it.') -ErrorId 'NotSimulated')
        }
    }
    if ($Name -ne '.') {
        throw (New-SimError -Message 'Add-WebConfigurationProperty is simulated for -Name ''.'' (a new collection entry) only.' -ErrorId 'NotSimulated')
    }
    $entryValues = $Value
    if ($Value -is [psobject]) {
        $entryValues = $Value.PSObject.BaseObject
    }
    if ($entryValues -isnot [System.Collections.IDictionary]) {
        throw (New-SimError -Message 'Add-WebConfigurationProperty -Name ''.'' takes a hashtable of the new entry''s attributes.' -ErrorId 'InvalidValue')
    }
    $locationPath = Get-SimIisLocationTree -PSPath $PSPath -Location $Location
    foreach ($oneFilter in $Filter) {
        $steps = Split-SimIisFilter -Filter $oneFilter
        $where = 'MACHINE/WEBROOT/APPHOST'
        if ($locationPath -ne '') {
            $where = $where + ' location ' + $locationPath
        }
        if (-not $PSCmdlet.ShouldProcess($where + ' ' + $oneFilter, 'Add collection entry')) {
            continue
        }
        $items = @(Find-SimIisNodes -Root (Get-SimIisRoot -Location $locationPath -Create) -Steps $steps -Create)
        if ($items.Count -ne 1) {
            throw (New-SimError -Message ('Target configuration object ''' + $oneFilter + ''' is not found at path ''' + $where + '''.') -ErrorId 'TargetNotFound' -Category 'ObjectNotFound')
        }
        $container = $items[0]
        $entryTag = Get-SimIisCollectionEntry -Container $container.element
        if ($null -eq $entryTag) {
            throw (New-SimError -Message ('The element ' + $container.element + ' is not a collection.') -ErrorId 'NotACollection')
        }
        $entry = @{}
        $schemaKey = Get-SimIisSchemaKey -Element $entryTag -Parent $container.element
        foreach ($k in @($entryValues.Keys)) {
            $schema = Get-SimIisAttributeSchema -Element $schemaKey -Attribute ([string]$k)
            if ($null -eq $schema) {
                throw (New-SimError -Message ('Property ' + [string]$k + ' is not found on ' + $entryTag + '.') -ErrorId 'PropertyNotFound' -Category 'ObjectNotFound')
            }
            $entry[[string]$k] = ConvertTo-SimIisValue -Value $entryValues[$k] -Type ([string]$schema[0]) -Attribute ([string]$k)
        }
        $uniqueKey = @{ webFarm = 'name'; server = 'address'; rule = 'name' }[$entryTag]
        $listKey = Get-SimKey -Table $container.node -Key $entryTag
        if ($null -eq $listKey) {
            $container.node[$entryTag] = @()
            $listKey = $entryTag
        }
        $list = @($container.node[$listKey])
        if ($null -ne $uniqueKey) {
            if (-not $entry.ContainsKey($uniqueKey)) {
                throw (New-SimError -Message ('Missing required attribute ''' + $uniqueKey + ''' of ' + $entryTag + '.') -ErrorId 'MissingAttribute')
            }
            foreach ($existing in $list) {
                if ([string](Get-SimValue -Table $existing -Key $uniqueKey) -ieq [string]$entry[$uniqueKey]) {
                    throw (New-SimError -Message ("Filename: \\?\C:\Windows\system32\inetsrv\config\applicationHost.config Error: Cannot add duplicate collection entry of type '" + $entryTag + "' with unique key attribute '" + $uniqueKey + "' set to '" + [string]$entry[$uniqueKey] + "'") -ErrorId 'DuplicateEntry')
                }
            }
        }
        $container.node[$listKey] = @($list) + @($entry)
        Register-SimChange -Area 'iis' -Target ($where + ' ' + $oneFilter + ' ' + $entryTag) -Detail ('-> ' + (@(foreach ($k in ($entry.Keys | Sort-Object)) { $k + '=' + [string]$entry[$k] }) -join '; '))
    }
}

function Get-SimIisSite {
    param([string]$Name)
    $iis = Get-SimIisState
    foreach ($site in @($iis.sites)) {
        if (($null -ne $site) -and ([string]$site.name -ieq $Name)) {
            return $site
        }
    }
    return $null
}

function Find-SimIisBinding {
    param([string]$Site, [string]$Protocol, [string]$BindingInformation)
    foreach ($b in @((Get-SimIisSite -Name $Site).bindings)) {
        if (($null -ne $b) -and ([string]$b.protocol -eq $Protocol) -and ([string]$b.bindingInformation -eq $BindingInformation)) {
            return $b
        }
    }
    throw (New-SimError -Message ('The binding ' + $Protocol + ' ' + $BindingInformation + ' of ' + $Site + ' no longer exists.') -ErrorId 'BindingNotFound')
}

# IIS's own application ID for the SSL bindings it creates (what netsh http show sslcert prints as Application ID).
$global:SimIisAppId = '{4dc3e181-e14b-4a21-b022-59fc669b0914}'

function ConvertTo-SimSslEndpoint {
    <# The HTTP.sys endpoint ('0.0.0.0:443') of a binding's information ('*:443:host'); $null when it is not IP:port:host. #>
    param([string]$BindingInformation)
    if ($BindingInformation -notmatch '^(.*):(\d+):([^:]*)$') {
        return $null
    }
    $address = $Matches[1]
    if (($address -eq '*') -or ($address -eq '')) {
        $address = '0.0.0.0'
    }
    return ($address + ':' + $Matches[2])
}

function Get-SimSslBinding {
    <# HTTP.sys's SSL binding of one endpoint ('0.0.0.0:443'), or $null. #>
    param([string]$IpPort)
    $iis = $global:SimState.iis
    if ($null -eq $iis) {
        return $null
    }
    foreach ($entry in @(Get-SimValue -Table $iis -Key 'sslBindings')) {
        if (($null -ne $entry) -and ([string]$entry.ipPort -ieq $IpPort)) {
            return $entry
        }
    }
    return $null
}

function Add-SimSslBinding {
    <# Adds HTTP.sys's SSL binding of an endpoint; an endpoint that has one already fails as HTTP.sys does (ERROR_ALREADY_EXISTS, 183). #>
    param([string]$IpPort, [string]$Thumbprint, [string]$StoreName, [string]$AppId)
    if ($null -ne (Get-SimSslBinding -IpPort $IpPort)) {
        throw (New-SimError -Message 'Cannot create a file when that file already exists. (Exception from HRESULT: 0x800700B7)' -ErrorId 'SslBindingExists' -ExceptionType 'System.Runtime.InteropServices.COMException')
    }
    $iis = Get-SimIisState
    $iis['sslBindings'] = @(@(Get-SimValue -Table $iis -Key 'sslBindings') | Where-Object { $null -ne $_ }) + @(@{ ipPort = $IpPort; certificateHash = $Thumbprint.ToUpperInvariant(); certificateStoreName = $StoreName; appId = $AppId })
    Register-SimChange -Area 'iis' -Target ('HTTP.sys SSL binding ' + $IpPort) -Detail (' -> ' + $Thumbprint.ToUpperInvariant() + ' (' + $StoreName + ')')
}

function Remove-SimSslBinding {
    param([string]$IpPort)
    $entry = Get-SimSslBinding -IpPort $IpPort
    if ($null -eq $entry) {
        throw (New-SimError -Message 'The system cannot find the file specified. (Exception from HRESULT: 0x80070002)' -ErrorId 'SslBindingNotFound' -ExceptionType 'System.IO.FileNotFoundException')
    }
    $iis = Get-SimIisState
    $iis['sslBindings'] = @(@(Get-SimValue -Table $iis -Key 'sslBindings') | Where-Object { ($null -ne $_) -and ([string]$_.ipPort -ine $IpPort) })
    Register-SimChange -Area 'iis' -Target ('HTTP.sys SSL binding ' + $IpPort) -Detail ([string]$entry.certificateHash + ' -> ')
}

function Get-SimBindingCertificate {
    <# The certificate an https binding serves: HTTP.sys's entry for its endpoint (@{ certificateHash; certificateStoreName }, both '' when none). #>
    param($Binding)
    $none = @{ certificateHash = ''; certificateStoreName = '' }
    if ([string]$Binding.protocol -ne 'https') {
        return $none
    }
    $entry = Get-SimSslBinding -IpPort (ConvertTo-SimSslEndpoint -BindingInformation ([string]$Binding.bindingInformation))
    if ($null -eq $entry) {
        return $none
    }
    return @{ certificateHash = [string]$entry.certificateHash; certificateStoreName = [string]$entry.certificateStoreName }
}

function New-SimIisBindingObject {
    param($Site, $Binding)
    $served = Get-SimBindingCertificate -Binding $Binding
    $object = [pscustomobject][ordered]@{
        protocol             = [string]$Binding.protocol
        bindingInformation   = [string]$Binding.bindingInformation
        sslFlags             = [int](Get-SimValue -Table $Binding -Key 'sslFlags')
        certificateHash      = $served.certificateHash
        certificateStoreName = $served.certificateStoreName
        ItemXPath            = ("/system.applicationHost/sites/site[@name='" + [string]$Site.name + "' and @id='" + [string]$Site.id + "']")
    }
    $object.PSObject.TypeNames.Insert(0, 'Microsoft.IIs.PowerShell.Framework.ConfigurationElement#site#bindings#binding')
    # The methods find their binding again by site, protocol and binding information: the state
    # object may have been replaced since (each run loads a fresh copy).
    $object | Add-Member -MemberType NoteProperty -Name 'SimSite' -Value ([string]$Site.name)
    $add = {
        param([string]$thumbprint, [string]$storeName)
        $null = Find-SimIisBinding -Site $this.SimSite -Protocol $this.protocol -BindingInformation $this.bindingInformation
        $store = 'My'
        if ($storeName -ieq 'Root') {
            $store = 'Root'
        }
        if ((Get-Command -Name 'Find-SimCertificate' -CommandType 'Function' -ErrorAction 'SilentlyContinue') -and ($null -eq (Find-SimCertificate -Store $store -Thumbprint $thumbprint))) {
            # What the SSL binding API reports for a certificate it cannot find in the store.
            throw (New-SimError -Message 'A specified logon session does not exist. It may already have been terminated. (Exception from HRESULT: 0x80070520)' -ErrorId 'COMException' -ExceptionType 'System.Runtime.InteropServices.COMException')
        }
        # The binding's endpoint in HTTP.sys gets the certificate, replacing what it held.
        $endpoint = ConvertTo-SimSslEndpoint -BindingInformation $this.bindingInformation
        if ($null -ne (Get-SimSslBinding -IpPort $endpoint)) {
            Remove-SimSslBinding -IpPort $endpoint
        }
        Add-SimSslBinding -IpPort $endpoint -Thumbprint $thumbprint -StoreName $storeName -AppId $global:SimIisAppId
        $this.certificateHash = $thumbprint.ToUpperInvariant()
    }
    $remove = {
        $null = Find-SimIisBinding -Site $this.SimSite -Protocol $this.protocol -BindingInformation $this.bindingInformation
        Remove-SimSslBinding -IpPort (ConvertTo-SimSslEndpoint -BindingInformation $this.bindingInformation)
        $this.certificateHash = ''
    }
    $object | Add-Member -MemberType ScriptMethod -Name 'AddSslCertificate' -Value $add
    $object | Add-Member -MemberType ScriptMethod -Name 'RemoveSslCertificate' -Value $remove
    return $object
}

function ConvertTo-SimSslBindingItem {
    <# An item of IIS:\SslBindings as the WebAdministration provider lists it: IP Address, Port, Store, Sites (and the Thumbprint it holds). #>
    param($Entry)
    $ipPort = [string]$Entry.ipPort
    $cut = $ipPort.LastIndexOf(':')
    $sites = [System.Collections.Generic.List[string]]::new()
    foreach ($site in @((Get-SimIisState).sites)) {
        if ($null -eq $site) { continue }
        foreach ($binding in @($site.bindings)) {
            if (($null -ne $binding) -and ([string]$binding.protocol -eq 'https') -and ((ConvertTo-SimSslEndpoint -BindingInformation ([string]$binding.bindingInformation)) -ieq $ipPort) -and (-not $sites.Contains([string]$site.name))) {
                $sites.Add([string]$site.name)
            }
        }
    }
    $item = [pscustomobject][ordered]@{
        PSChildName = ($ipPort.Substring(0, $cut) + '!' + $ipPort.Substring($cut + 1))
        IPAddress   = $ipPort.Substring(0, $cut)
        Port        = [int]$ipPort.Substring($cut + 1)
        Store       = [string]$Entry.certificateStoreName
        Thumbprint  = ([string]$Entry.certificateHash).ToUpperInvariant()
        Sites       = [pscustomobject]@{ Value = ($sites -join ',') }
    }
    return $item
}

function Resolve-SimSslBindingPath {
    <# 'IIS:\SslBindings\0.0.0.0!443' -> '0.0.0.0:443'; 'IIS:\SslBindings' -> ''. Other IIS: paths are not simulated (the scripts reach the configuration through *-WebConfigurationProperty). #>
    param([string]$Path)
    $rest = $Path -replace '^[A-Za-z]+:\\?', ''
    $parts = @($rest.Split('\') | Where-Object { $_ -ne '' })
    if (($parts.Count -lt 1) -or ($parts[0] -ine 'SslBindings') -or ($parts.Count -gt 2)) {
        throw (New-SimError -Message ('IIS:\' + $rest + ' is not simulated: only IIS:\SslBindings (HTTP.sys SSL bindings) is.') -ErrorId 'NotSimulated')
    }
    if ($parts.Count -eq 1) {
        return ''
    }
    if ($parts[1] -notmatch '^(.+)!(\d+)$') {
        throw (New-SimError -Message ("Cannot find path '" + $Path + "' because it does not exist.") -ErrorId 'PathNotFound' -Category 'ObjectNotFound' -ExceptionType 'System.Management.Automation.ItemNotFoundException')
    }
    return ($Matches[1] + ':' + $Matches[2])
}

# Signature: the IIS:\SslBindings items of the WebAdministration provider (MicrosoftDocs/iis-docs
# iis/manage/powershell/powershell-snap-in-configuring-ssl-with-the-iis-powershell-snap-in.md, samples 6 to 8).
# The IIS: drive of WebAdministration, as far as HTTP.sys's SSL bindings: IIS:\SslBindings\<ip>!<port>
# (Get-Item, Test-Path, Get-ChildItem, New-Item -Value <certificate from Cert:\LocalMachine\<store>>,
# Remove-Item), documented for the IIS 7 snap-in in MicrosoftDocs/iis-docs
# iis/manage/powershell/powershell-snap-in-configuring-ssl-with-the-iis-powershell-snap-in.md.
Register-SimProvider -Drive 'IIS' -Handlers @{
    GetItem      = {
        param($Path, $Bound)
        $ipPort = Resolve-SimSslBindingPath -Path $Path
        if ($ipPort -eq '') {
            return [pscustomobject]@{ Name = 'SslBindings' }
        }
        $entry = Get-SimSslBinding -IpPort $ipPort
        if ($null -eq $entry) {
            throw (New-SimError -Message ("Cannot find path '" + $Path + "' because it does not exist.") -ErrorId 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand' -Category 'ObjectNotFound' -ExceptionType 'System.Management.Automation.ItemNotFoundException')
        }
        return (ConvertTo-SimSslBindingItem -Entry $entry)
    }
    TestPath     = {
        param($Path, $Bound)
        $ipPort = Resolve-SimSslBindingPath -Path $Path
        return (($ipPort -eq '') -or ($null -ne (Get-SimSslBinding -IpPort $ipPort)))
    }
    GetChildItem = {
        param($Path, $Bound)
        if ((Resolve-SimSslBindingPath -Path $Path) -ne '') {
            return @()
        }
        return @(foreach ($entry in @(Get-SimValue -Table (Get-SimIisState) -Key 'sslBindings')) { if ($null -ne $entry) { ConvertTo-SimSslBindingItem -Entry $entry } })
    }
    NewItem      = {
        param($Path, $Bound)
        $ipPort = Resolve-SimSslBindingPath -Path $Path
        if ($ipPort -eq '') {
            throw (New-SimError -Message 'New-Item on IIS:\SslBindings itself is not simulated.' -ErrorId 'NotSimulated')
        }
        foreach ($unsupported in @('Force', 'ItemType', 'Name')) {
            if ($Bound.ContainsKey($unsupported)) {
                throw (New-SimError -Message ('New-Item -' + $unsupported + ' on IIS:\SslBindings is not simulated.') -ErrorId 'NotSimulated')
            }
        }
        $certificate = $Bound['Value']
        if (($null -eq $certificate) -or ($null -eq $certificate.PSObject.Properties['Thumbprint']) -or ($null -eq $certificate.PSObject.Properties['PSPath'])) {
            throw (New-SimError -Message 'New-Item IIS:\SslBindings\<ip>!<port> needs -Value: a certificate from Cert:\LocalMachine\<store>.' -ErrorId 'InvalidArgument' -Category 'InvalidArgument' -ExceptionType 'System.ArgumentException')
        }
        $store = 'My'
        if ([string]$certificate.PSPath -match '::LocalMachine\\([^\\]+)\\') {
            $store = $Matches[1]
        }
        if ((Get-Command -Name 'Find-SimCertificate' -CommandType 'Function' -ErrorAction 'SilentlyContinue') -and ($null -eq (Find-SimCertificate -Store $store -Thumbprint ([string]$certificate.Thumbprint)))) {
            throw (New-SimError -Message 'A specified logon session does not exist. It may already have been terminated. (Exception from HRESULT: 0x80070520)' -ErrorId 'COMException' -ExceptionType 'System.Runtime.InteropServices.COMException')
        }
        Add-SimSslBinding -IpPort $ipPort -Thumbprint ([string]$certificate.Thumbprint) -StoreName $store -AppId $global:SimIisAppId
        return (ConvertTo-SimSslBindingItem -Entry (Get-SimSslBinding -IpPort $ipPort))
    }
    RemoveItem   = {
        param($Path, $Bound)
        $ipPort = Resolve-SimSslBindingPath -Path $Path
        Remove-SimSslBinding -IpPort $ipPort
    }
}

function Invoke-SimNetshHttp {
    <#
    netsh http show sslcert [ipport=<ip>:<port>] and netsh http add sslcert ipport=<ip>:<port> certhash=<hash>
    appid=<GUID> [certstorename=<store>], over iis.sslBindings. Returns $false for a form it does not
    simulate (the caller prints the usage).
    #>
    param([string]$Verb, [string[]]$Rest)
    $options = @{}
    foreach ($pair in @($Rest)) {
        if ($pair -notmatch '^([A-Za-z]+)=(.+)$') {
            return $false
        }
        $options[$Matches[1].ToLowerInvariant()] = $Matches[2]
    }
    if ($Verb -eq 'show') {
        $entries = @(@(Get-SimValue -Table $global:SimState.iis -Key 'sslBindings') | Where-Object { $null -ne $_ })
        if ($options.ContainsKey('ipport')) {
            $entries = @($entries | Where-Object { [string]$_.ipPort -ieq [string]$options['ipport'] })
        }
        Write-Output ''
        Write-Output 'SSL Certificate bindings:'
        Write-Output '-------------------------'
        Write-Output ''
        if ($options.ContainsKey('ipport') -and ($entries.Count -eq 0)) {
            Write-Output 'The system cannot find the file specified.'
            Write-Output ''
            Set-SimExitCode -Code 1
            return $true
        }
        foreach ($entry in $entries) {
            Write-Output ('    IP:port                      : ' + [string]$entry.ipPort)
            Write-Output ('    Certificate Hash             : ' + ([string]$entry.certificateHash).ToLowerInvariant())
            Write-Output ('    Application ID               : ' + [string]$entry.appId)
            Write-Output ('    Certificate Store Name       : ' + [string]$entry.certificateStoreName)
            Write-Output ''
        }
        Set-SimExitCode -Code 0
        return $true
    }
    if ($Verb -eq 'add') {
        foreach ($required in @('ipport', 'certhash', 'appid')) {
            if (-not $options.ContainsKey($required)) {
                return $false
            }
        }
        $store = 'MY'
        if ($options.ContainsKey('certstorename')) {
            $store = [string]$options['certstorename']
        }
        if ($null -ne (Get-SimSslBinding -IpPort ([string]$options['ipport']))) {
            Write-Output ''
            Write-Output 'SSL Certificate add failed, Error: 183'
            Write-Output 'Cannot create a file when that file already exists.'
            Write-Output ''
            Set-SimExitCode -Code 1
            return $true
        }
        if ((Get-Command -Name 'Find-SimCertificate' -CommandType 'Function' -ErrorAction 'SilentlyContinue') -and ($null -eq (Find-SimCertificate -Store $store -Thumbprint ([string]$options['certhash'])))) {
            Write-Output ''
            Write-Output 'SSL Certificate add failed, Error: 1312'
            Write-Output 'A specified logon session does not exist. It may already have been terminated.'
            Write-Output ''
            Set-SimExitCode -Code 1
            return $true
        }
        Add-SimSslBinding -IpPort ([string]$options['ipport']) -Thumbprint ([string]$options['certhash']) -StoreName $store -AppId ([string]$options['appid'])
        Write-Output ''
        Write-Output 'SSL Certificate successfully added'
        Write-Output ''
        Set-SimExitCode -Code 0
        return $true
    }
    return $false
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/WebAdministration/Get-WebBinding.md
function Get-WebBinding {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][string]$Name,
        [string]$Protocol,
        [string]$Port,
        [string]$IPAddress,
        [string]$HostHeader
    )
    Assert-SimCommand -Name 'Get-WebBinding' -Arguments $PSBoundParameters
    $iis = Get-SimIisState
    foreach ($site in @($iis.sites)) {
        if (($null -eq $site) -or ($PSBoundParameters.ContainsKey('Name') -and ([string]$site.name -notlike $Name))) {
            continue
        }
        foreach ($binding in @($site.bindings)) {
            if ($null -eq $binding) {
                continue
            }
            $parts = ([string]$binding.bindingInformation).Split(':')
            if ($PSBoundParameters.ContainsKey('Protocol') -and ([string]$binding.protocol -ne $Protocol)) { continue }
            if ($PSBoundParameters.ContainsKey('Port') -and ($parts[1] -ne $Port)) { continue }
            if ($PSBoundParameters.ContainsKey('IPAddress') -and ($parts[0] -ne $IPAddress)) { continue }
            if ($PSBoundParameters.ContainsKey('HostHeader') -and ($parts[2] -ne $HostHeader)) { continue }
            New-SimIisBindingObject -Site $site -Binding $binding
        }
    }
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/WebAdministration/New-WebBinding.md
function New-WebBinding {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][string]$Name,
        [string]$Protocol = 'http',
        [uint32]$Port = 80,
        [string]$IPAddress = '*',
        [string]$HostHeader = '',
        [int]$SslFlags = 0,
        [switch]$Force
    )
    Assert-SimCommand -Name 'New-WebBinding' -Arguments $PSBoundParameters
    if (-not $PSBoundParameters.ContainsKey('Name')) {
        throw (New-SimError -Message 'New-WebBinding without -Name is not simulated (it uses the current IIS: location).' -ErrorId 'NotSimulated')
    }
    $site = Get-SimIisSite -Name $Name
    if ($null -eq $site) {
        throw (New-SimError -Message ("Cannot find path 'IIS:\Sites\" + $Name + "' because it does not exist.") -ErrorId 'PathNotFound' -Category 'ObjectNotFound' -ExceptionType 'System.Management.Automation.ItemNotFoundException')
    }
    $information = $IPAddress + ':' + [string]$Port + ':' + $HostHeader
    foreach ($binding in @($site.bindings)) {
        if (($null -ne $binding) -and ([string]$binding.protocol -eq $Protocol) -and ([string]$binding.bindingInformation -eq $information)) {
            throw (New-SimError -Message ("Cannot add duplicate collection entry of type 'binding' with combined key attributes 'protocol, bindingInformation' respectively set to '" + $Protocol + ', ' + $information + "'") -ErrorId 'DuplicateEntry')
        }
    }
    $site['bindings'] = @($site.bindings | Where-Object { $null -ne $_ }) + @(@{ protocol = $Protocol; bindingInformation = $information; sslFlags = $SslFlags })
    Register-SimChange -Area 'iis' -Target ('binding ' + $Name + ' ' + $Protocol + ' ' + $information) -Detail ' -> created'
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/WebAdministration/Get-WebGlobalModule.md
function Get-WebGlobalModule {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][string]$Name,
        [string]$Image,
        [string]$Precondition
    )
    Assert-SimCommand -Name 'Get-WebGlobalModule' -Arguments $PSBoundParameters
    $iis = Get-SimIisState
    foreach ($module in @($iis.globalModules)) {
        if ($null -eq $module) { continue }
        if ($PSBoundParameters.ContainsKey('Name') -and ([string]$module.name -notlike $Name)) { continue }
        if ($PSBoundParameters.ContainsKey('Image') -and ([string]$module.image -notlike $Image)) { continue }
        if ($PSBoundParameters.ContainsKey('Precondition') -and ([string](Get-SimValue -Table $module -Key 'preCondition') -notlike $Precondition)) { continue }
        [pscustomobject][ordered]@{ Name = [string]$module.name; Image = [string]$module.image; PreCondition = [string](Get-SimValue -Table $module -Key 'preCondition') }
    }
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/WebAdministration/Restart-WebAppPool.md
function Restart-WebAppPool {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][string]$Name
    )
    Assert-SimCommand -Name 'Restart-WebAppPool' -Arguments $PSBoundParameters
    $iis = Get-SimIisState
    foreach ($pool in @($iis.appPools)) {
        if (($null -ne $pool) -and ([string]$pool.name -ieq $Name)) {
            if ([string](Get-SimValue -Table $pool -Key 'state') -eq 'Stopped') {
                throw (New-SimError -Message 'The service cannot accept control messages at this time. (Exception from HRESULT: 0x80070425)' -ErrorId 'InvalidOperation')
            }
            $before = [int](Get-SimValue -Table $pool -Key 'recycles')
            $pool['recycles'] = $before + 1
            # The pool's worker processes are replaced by one started now (one second after the host's
            # clock, so it postdates a configuration change made at that time).
            $processes = @(Get-SimValue -Table $global:SimState -Key 'processes')
            $kept = [System.Collections.Generic.List[object]]::new()
            $next = 1000
            foreach ($process in $processes) {
                if ($null -eq $process) { continue }
                if ([int]$process.ProcessId -ge $next) { $next = [int]$process.ProcessId + 1 }
                if (([string]$process.Name -ieq 'w3wp.exe') -and ([string]$process.CommandLine).Contains('-ap "' + $Name + '"')) { continue }
                $kept.Add($process)
            }
            $started = (ConvertTo-SimDate -Text ([string]$global:SimState.host.now)).AddSeconds(1)
            $kept.Add(@{ Name = 'w3wp.exe'; ProcessId = $next; CommandLine = ('c:\windows\system32\inetsrv\w3wp.exe -ap "' + $Name + '" -v "v4.0" -l "webengine4.dll" -a \\.\pipe\iisipm -h "C:\inetpub\temp\apppools\' + $Name + '\' + $Name + '.config" -w "" -m 0'); CreationDate = $started.ToString('o') })
            $global:SimState['processes'] = $kept.ToArray()
            Register-SimChange -Area 'iis' -Target ('application pool ' + $Name + ' recycled') -Detail ([string]$before + ' -> ' + [string]($before + 1))
            return
        }
    }
    throw (New-SimError -Message ("Cannot find path 'IIS:\AppPools\" + $Name + "' because it does not exist.") -ErrorId 'PathNotFound' -Category 'ObjectNotFound' -ExceptionType 'System.Management.Automation.ItemNotFoundException')
}

function Get-SimIisConfigFile {
    <# applicationHost.config as Get-Item returns it: its LastWriteTimeUtc is iis.configWritten (ISO time). #>
    param([string]$Path)
    $iis = $global:SimState.iis
    if ($null -eq $iis) {
        throw (New-SimError -Message ("Cannot find path '" + $Path + "' because it does not exist.") -ErrorId 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand' -Category 'ObjectNotFound' -ExceptionType 'System.Management.Automation.ItemNotFoundException')
    }
    $written = ConvertTo-SimDate -Text ([string](Get-SimValue -Table $iis -Key 'configWritten'))
    return [pscustomobject]@{ Name = 'applicationHost.config'; FullName = $Path; LastWriteTimeUtc = $written; LastWriteTime = $written.ToLocalTime() }
}

function Get-SimFeatureTable {
    $iis = $global:SimState.iis
    if ($null -eq $iis) {
        $global:SimState['iis'] = @{ features = @{} }
        $iis = $global:SimState.iis
    }
    if ($null -eq (Get-SimValue -Table $iis -Key 'features')) {
        $iis['features'] = @{}
    }
    return $iis.features
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/ServerManager/Get-WindowsFeature.md
function Get-WindowsFeature {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][string[]]$Name,
        [string]$Vhd,
        [string]$ComputerName,
        [pscredential]$Credential,
        [string]$LogPath
    )
    Assert-SimCommand -Name 'Get-WindowsFeature' -Arguments $PSBoundParameters
    foreach ($unsupported in @('Vhd', 'ComputerName', 'Credential')) {
        if ($PSBoundParameters.ContainsKey($unsupported)) {
            throw (New-SimError -Message ('Get-WindowsFeature -' + $unsupported + ' is not simulated.') -ErrorId 'NotSimulated')
        }
    }
    $features = Get-SimFeatureTable
    foreach ($key in @($features.Keys | Sort-Object)) {
        $wanted = (-not $PSBoundParameters.ContainsKey('Name'))
        foreach ($n in @($Name)) {
            if ([string]$key -like $n) { $wanted = $true }
        }
        if (-not $wanted) { continue }
        $installed = [bool]$features[$key]
        $state = 'Available'
        if ($installed) { $state = 'Installed' }
        [pscustomobject][ordered]@{ Name = [string]$key; DisplayName = [string]$key; Installed = $installed; InstallState = $state; FeatureType = 'Role Service' }
    }
}

# Signature: MicrosoftDocs/windows-powershell-docs/docset/winserver2022-ps/ServerManager/Install-WindowsFeature.md
function Install-WindowsFeature {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'ComponentNamesAndRunningComputer')]
    param(
        [Parameter(ParameterSetName = 'ComponentNamesAndRunningComputer', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'ComponentNamesAndVhdPath', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object[]]$Name,
        [Parameter(ParameterSetName = 'ComponentNamesAndRunningComputer')][Parameter(ParameterSetName = 'ConfigurationFile')][switch]$Restart,
        [Parameter(ParameterSetName = 'ComponentNamesAndRunningComputer')][Parameter(ParameterSetName = 'ComponentNamesAndVhdPath')][switch]$IncludeAllSubFeature,
        [Parameter(ParameterSetName = 'ComponentNamesAndRunningComputer')][Parameter(ParameterSetName = 'ComponentNamesAndVhdPath')][switch]$IncludeManagementTools,
        [string[]]$Source,
        [string]$ComputerName,
        [pscredential]$Credential,
        [string]$LogPath,
        [Parameter(ParameterSetName = 'ComponentNamesAndVhdPath', Mandatory = $true)][Parameter(ParameterSetName = 'ConfigurationFile')][string]$Vhd,
        [Parameter(ParameterSetName = 'ConfigurationFile', Mandatory = $true)][string]$ConfigurationFilePath
    )
    Assert-SimCommand -Name 'Install-WindowsFeature' -Arguments $PSBoundParameters
    if ($PSCmdlet.ParameterSetName -ne 'ComponentNamesAndRunningComputer' -or $PSBoundParameters.ContainsKey('ComputerName')) {
        throw (New-SimError -Message 'Install-WindowsFeature is simulated on the running computer only.' -ErrorId 'NotSimulated')
    }
    $features = Get-SimFeatureTable
    $results = [System.Collections.Generic.List[object]]::new()
    foreach ($one in $Name) {
        $featureName = [string]$one
        if ($null -ne $one.PSObject.Properties['Name']) {
            $featureName = [string]$one.Name
        }
        $key = Get-SimKey -Table $features -Key $featureName
        if ($null -eq $key) {
            throw (New-SimError -Message ('ArgumentNotValid: The role, role service, or feature name is not valid: ''' + $featureName + '''. The name was not found.') -ErrorId 'NameDoesNotExist,Microsoft.Windows.ServerManager.Commands.AddWindowsFeatureCommand' -Category 'InvalidArgument')
        }
        if ((-not [bool]$features[$key]) -and $PSCmdlet.ShouldProcess($featureName, 'Install')) {
            $features[$key] = $true
            Register-SimChange -Area 'feature' -Target $featureName -Detail 'Available -> Installed'
            $results.Add($featureName)
        }
    }
    [pscustomobject][ordered]@{ Success = $true; RestartNeeded = 'No'; FeatureResult = @($results); ExitCode = $(if ($results.Count -gt 0) { 'Success' } else { 'NoChangeNeeded' }) }
}
