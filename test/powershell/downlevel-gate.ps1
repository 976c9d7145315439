# The down-level gate: reads each script with PowerShell's own parser and reports, as
# "line:col what (Windows PowerShell N; source)", every construct, command and parameter the
# Windows PowerShell version the script is written for does not have. The table below names the
# version each came in and Microsoft's page that says so; the self-test (test/downlevel-gate.test.ts)
# runs every entry's Example one version below its Since and expects exactly that entry.
# Request: { files: [ { path, version } ] } -> { parsed: n, problems: { path: [ "line:col message" ] } }
#          { table: true }                  -> [ { Id, Since, Source, Example } ]
#          { snippets: [ { text, version } ] } -> [ [ "Id line:col message" ] ] (for the self-test)
# Static limits: member enumeration is found where the target is an array expression @(...) only
# (the parser cannot know the type of other expressions); commands are found by name as written.
param([Parameter(Mandatory = $true)] $Request)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$lang = 'System.Management.Automation.Language'
$aboutOperators = 'PowerShell-Docs reference/5.1/Microsoft.PowerShell.Core/About/about_Comparison_Operators.md'

# Kind: Ast (NodeType + Test), Command (Name), Parameter (Command + Parameter), Member (static Type + Member, or instance Member).
$table = @(
    @{ Id = 'pscustomobject-cast'; Since = '3.0'; Kind = 'Ast'; NodeType = 'ConvertExpressionAst'; Source = 'about_PSCustomObject: "The [pscustomobject] type accelerator was added in PowerShell 3.0"'
        Test = { param($n) $n.Type.TypeName.Name -eq 'pscustomobject' }; Example = '$o = [pscustomobject]@{ A = 1 }' }
    @{ Id = 'ordered-cast'; Since = '3.0'; Kind = 'Ast'; NodeType = 'ConvertExpressionAst'; Source = 'about_Hash_Tables: "Beginning in PowerShell 3.0, you can use the [ordered] attribute"'
        Test = { param($n) $n.Type.TypeName.Name -eq 'ordered' }; Example = '$h = [ordered]@{ A = 1 }' }
    @{ Id = 'in-operator'; Since = '3.0'; Kind = 'Ast'; NodeType = 'BinaryExpressionAst'; Source = "$aboutOperators (-in and -notin were introduced in PowerShell 3)"
        Test = { param($n) [string]$n.Operator -in 'Iin', 'Cin' }; Example = '$b = 1 -in @(1, 2)' }
    @{ Id = 'notin-operator'; Since = '3.0'; Kind = 'Ast'; NodeType = 'BinaryExpressionAst'; Source = "$aboutOperators (-in and -notin were introduced in PowerShell 3)"
        Test = { param($n) [string]$n.Operator -in 'NotIn', 'Inotin', 'Cnotin' }; Example = '$b = 3 -notin @(1, 2)' }
    @{ Id = 'shift-operator'; Since = '3.0'; Kind = 'Ast'; NodeType = 'BinaryExpressionAst'; Source = 'about_Arithmetic_Operators: -shl and -shr were introduced in PowerShell 3.0'
        Test = { param($n) $n.Operator -in 'Shl', 'Shr' }; Example = '$b = 1 -shl 2' }
    @{ Id = 'foreach-where-method'; Since = '4.0'; Kind = 'Ast'; NodeType = 'InvokeMemberExpressionAst'; Source = 'about_Arrays: "Beginning in Windows PowerShell 4.0" the ForEach() and Where() methods'
        Test = { param($n) (-not $n.Static) -and $n.Member -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $n.Member.Value -in 'ForEach', 'Where' }; Example = '$a = @(1, 2).Where({ $_ -gt 1 })' }
    @{ Id = 'static-new'; Since = '5.0'; Kind = 'Ast'; NodeType = 'InvokeMemberExpressionAst'; Source = 'about_Object_Creation: the static new() method, PowerShell 5.0'
        Test = { param($n) $n.Static -and $n.Member -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $n.Member.Value -eq 'new' }; Example = '$l = [System.Collections.ArrayList]::new()' }
    @{ Id = 'class-or-enum'; Since = '5.0'; Kind = 'Ast'; NodeType = 'TypeDefinitionAst'; Source = 'about_Classes and about_Enum: classes and enums came with PowerShell 5.0'
        Test = { param($n) $true }; Example = 'class C { [int]$A }' }
    @{ Id = 'using-statement'; Since = '5.0'; Kind = 'Ast'; NodeType = 'UsingStatementAst'; Source = 'about_Using: the using statement, PowerShell 5.0'
        Test = { param($n) $true }; Example = 'using namespace System.Text' }
    @{ Id = 'using-scope'; Since = '3.0'; Kind = 'Ast'; NodeType = 'UsingExpressionAst'; Source = 'about_Remote_Variables: the Using scope modifier, PowerShell 3.0'
        Test = { param($n) $true }; Example = 'Invoke-Command -ScriptBlock { $using:a }' }
    @{ Id = 'psitem'; Since = '3.0'; Kind = 'Ast'; NodeType = 'VariableExpressionAst'; Source = 'about_PSItem: $PSItem was introduced in PowerShell 3.0'
        Test = { param($n) $n.VariablePath.UserPath -eq 'PSItem' }; Example = '1 | ForEach-Object -Process { $PSItem }' }
    @{ Id = 'attribute-argument-omitted'; Since = '3.0'; Kind = 'Ast'; NodeType = 'NamedAttributeArgumentAst'; Source = 'Windows PowerShell Language Specification 3.0 chapter 12.1 (a named attribute argument without a value, true implied); Windows PowerShell 2.0 needs Name = $true'
        Test = { param($n) $n.ExpressionOmitted }; Example = 'function F { [CmdletBinding(SupportsShouldProcess)] param() }' }
    @{ Id = 'stream-redirection'; Since = '3.0'; Kind = 'Ast'; NodeType = 'RedirectionAst'; Source = 'about_Redirection: the warning, verbose and debug streams (3>, 4>, 5>, *>) can be redirected from PowerShell 3.0'
        Test = { param($n) [string]$n.FromStream -notin 'Output', 'Error' }; Example = 'Write-Warning -Message x 3> $null' }
    @{ Id = 'psscriptroot-in-script'; Since = '3.0'; Kind = 'Ast'; NodeType = 'VariableExpressionAst'; Source = 'about_Automatic_Variables: $PSScriptRoot "In PowerShell 2.0, this variable is valid only in script modules (.psm1). Beginning in PowerShell 3.0, it is valid in all scripts"'
        Test = { param($n) $n.VariablePath.UserPath -eq 'PSScriptRoot' }; Example = '$p = Join-Path -Path $PSScriptRoot -ChildPath x' }
    @{ Id = 'member-enumeration'; Since = '3.0'; Kind = 'Ast'; NodeType = 'MemberExpressionAst'; Source = 'about_Member-Access_Enumeration: "Starting in PowerShell 3.0, the member-access enumeration feature"'
        Test = { param($n) (-not $n.Static) -and $n.Expression -is [System.Management.Automation.Language.ArrayExpressionAst] -and $n.Member -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $n.Member.Value -notin 'Count', 'Length', 'LongLength', 'Rank', 'IsReadOnly', 'IsFixedSize', 'IsSynchronized', 'SyncRoot' }
        Example = '$n = @(Get-Service -Name WinRM).Status' }
    @{ Id = 'strict-mode-latest'; Since = '3.0'; Kind = 'Ast'; NodeType = 'CommandAst'; Source = 'Set-StrictMode (reference/3.0): strict mode version 3.0 came with PowerShell 3.0, so -Version Latest means 2.0 on Windows PowerShell 2.0: pin the version the script is written for'
        Test = { param($n) $n.GetCommandName() -eq 'Set-StrictMode' -and ($n.Extent.Text -match '-Version\s+''?(Latest|3\.0)''?') }; Example = 'Set-StrictMode -Version Latest' }
    @{ Id = 'requires-run-as-administrator'; Since = '4.0'; Kind = 'Requires'; Source = 'about_Requires: "-RunAsAdministrator ... was introduced in Windows PowerShell 4.0"'; Example = "#Requires -RunAsAdministrator`r`nWrite-Host -Object x" }
    @{ Id = 'requires-version'; Since = '3.0'; Kind = 'Requires'; Source = 'about_Requires: #Requires -Version stops a script on any older version'; Example = "#Requires -Version 3.0`r`nWrite-Host -Object x" }
    # Commands, by the version whose release first has them (cmdlet reference per version; modules that come with the OS are named with it).
    @{ Id = 'Get-CimInstance'; Since = '3.0'; Kind = 'Command'; Name = 'Get-CimInstance'; Source = 'reference/3.0/CimCmdlets/Get-CimInstance.md (CimCmdlets came with PowerShell 3.0; use Get-WmiObject)'; Example = 'Get-CimInstance -ClassName Win32_Service' }
    @{ Id = 'Invoke-CimMethod'; Since = '3.0'; Kind = 'Command'; Name = 'Invoke-CimMethod'; Source = 'reference/3.0/CimCmdlets/Invoke-CimMethod.md'; Example = 'Invoke-CimMethod -ClassName Win32_Process -MethodName Create' }
    @{ Id = 'ConvertTo-Json'; Since = '3.0'; Kind = 'Command'; Name = 'ConvertTo-Json'; Source = 'reference/3.0/Microsoft.PowerShell.Utility/ConvertTo-Json.md (introduced in Windows PowerShell 3.0)'; Example = 'ConvertTo-Json -InputObject 1' }
    @{ Id = 'ConvertFrom-Json'; Since = '3.0'; Kind = 'Command'; Name = 'ConvertFrom-Json'; Source = 'reference/3.0/Microsoft.PowerShell.Utility/ConvertFrom-Json.md (introduced in Windows PowerShell 3.0)'; Example = 'ConvertFrom-Json -InputObject 1' }
    @{ Id = 'Invoke-WebRequest'; Since = '3.0'; Kind = 'Command'; Name = 'Invoke-WebRequest'; Source = 'reference/3.0/Microsoft.PowerShell.Utility/Invoke-WebRequest.md (introduced in Windows PowerShell 3.0)'; Example = 'Invoke-WebRequest -Uri https://x -UseBasicParsing' }
    @{ Id = 'Invoke-RestMethod'; Since = '3.0'; Kind = 'Command'; Name = 'Invoke-RestMethod'; Source = 'reference/3.0/Microsoft.PowerShell.Utility/Invoke-RestMethod.md (introduced in Windows PowerShell 3.0)'; Example = 'Invoke-RestMethod -Uri https://x' }
    @{ Id = 'Unblock-File'; Since = '3.0'; Kind = 'Command'; Name = 'Unblock-File'; Source = 'reference/3.0/Microsoft.PowerShell.Utility/Unblock-File.md (introduced in Windows PowerShell 3.0)'; Example = 'Unblock-File -Path x' }
    @{ Id = 'NetSecurity'; Since = '3.0'; Kind = 'Command'; Name = 'Get-NetFirewallRule', 'New-NetFirewallRule', 'Set-NetFirewallRule', 'Enable-NetFirewallRule', 'Disable-NetFirewallRule', 'Get-NetFirewallPortFilter', 'Get-NetFirewallAddressFilter'; Source = 'windows-powershell-docs docset/winserver2012-ps/netsecurity (Windows Server 2012 and PowerShell 3.0; use netsh advfirewall and HNetCfg.FwPolicy2)'; Example = 'Get-NetFirewallRule -Name x' }
    @{ Id = 'Resolve-DnsName'; Since = '3.0'; Kind = 'Command'; Name = 'Resolve-DnsName'; Source = 'windows-powershell-docs docset/winserver2012-ps/dnsclient/Resolve-DnsName.md (Windows Server 2012)'; Example = 'Resolve-DnsName -Name x' }
    @{ Id = 'New-SelfSignedCertificate'; Since = '3.0'; Kind = 'Command'; Name = 'New-SelfSignedCertificate'; Source = 'windows-powershell-docs docset/winserver2012r2-ps/pki/New-SelfSignedCertificate.md (the PKI module, Windows Server 2012)'; Example = 'New-SelfSignedCertificate -DnsName x -CertStoreLocation Cert:\LocalMachine\My' }
    @{ Id = 'Install-WindowsFeature'; Since = '3.0'; Kind = 'Command'; Name = 'Install-WindowsFeature'; Source = 'windows-powershell-docs docset/winserver2012-ps/servermanager/Install-WindowsFeature.md (Windows Server 2008 R2 has Add-WindowsFeature)'; Example = 'Install-WindowsFeature -Name Web-Server' }
    @{ Id = 'Test-NetConnection'; Since = '4.0'; Kind = 'Command'; Name = 'Test-NetConnection'; Source = 'windows-powershell-docs docset/winserver2012r2-ps/nettcpip/Test-NetConnection.md (Windows Server 2012 R2 and PowerShell 4.0)'; Example = 'Test-NetConnection -ComputerName x -Port 1' }
    @{ Id = 'Get-FileHash'; Since = '4.0'; Kind = 'Command'; Name = 'Get-FileHash'; Source = 'reference/4.0/Microsoft.PowerShell.Utility/Get-FileHash.md (introduced in Windows PowerShell 4.0)'; Example = 'Get-FileHash -Path x' }
    @{ Id = 'LocalAccounts'; Since = '5.1'; Kind = 'Command'; Name = 'Get-LocalGroupMember', 'Add-LocalGroupMember', 'Get-LocalGroup', 'Get-LocalUser'; Source = 'reference/5.1/Microsoft.PowerShell.LocalAccounts (first in Windows PowerShell 5.1; use net localgroup)'; Example = 'Get-LocalGroupMember -SID S-1-5-32-580' }
    @{ Id = 'Get-Secret'; Since = '5.1'; Kind = 'Command'; Name = 'Get-Secret'; Source = 'Microsoft.PowerShell.SecretManagement (PowerShell Gallery: requires Windows PowerShell 5.1)'; Example = 'Get-Secret -Name x -Vault y' }
    @{ Id = 'Write-Information'; Since = '5.0'; Kind = 'Command'; Name = 'Write-Information'; Source = 'reference/5.0/Microsoft.PowerShell.Utility/Write-Information.md (introduced in Windows PowerShell 5.0)'; Example = 'Write-Information -MessageData x' }
    @{ Id = 'Get-ItemPropertyValue'; Since = '5.0'; Kind = 'Command'; Name = 'Get-ItemPropertyValue'; Source = 'reference/5.0/Microsoft.PowerShell.Management/Get-ItemPropertyValue.md (introduced in Windows PowerShell 5.0)'; Example = 'Get-ItemPropertyValue -Path x -Name y' }
    # Parameters added after the command.
    @{ Id = 'Enable-PSRemoting -SkipNetworkProfileCheck'; Since = '3.0'; Kind = 'Parameter'; Command = 'Enable-PSRemoting'; Parameter = 'SkipNetworkProfileCheck'; Source = 'reference/3.0/Microsoft.PowerShell.Core/Enable-PSRemoting.md ("This parameter is introduced in Windows PowerShell 3.0")'; Example = 'Enable-PSRemoting -SkipNetworkProfileCheck -Force' }
    @{ Id = 'Get-Credential -UserName'; Since = '3.0'; Kind = 'Parameter'; Command = 'Get-Credential'; Parameter = 'UserName'; Source = 'reference/3.0/Microsoft.PowerShell.Security/Get-Credential.md (-UserName and -Message are introduced in Windows PowerShell 3.0)'; Example = 'Get-Credential -UserName x' }
    @{ Id = 'Get-Credential -Message'; Since = '3.0'; Kind = 'Parameter'; Command = 'Get-Credential'; Parameter = 'Message'; Source = 'reference/3.0/Microsoft.PowerShell.Security/Get-Credential.md (-UserName and -Message are introduced in Windows PowerShell 3.0)'; Example = 'Get-Credential -Message x' }
    @{ Id = 'Get-ChildItem -File'; Since = '3.0'; Kind = 'Parameter'; Command = 'Get-ChildItem'; Parameter = 'File', 'Directory'; Source = 'reference/3.0/Microsoft.PowerShell.Management/Get-ChildItem.md (-File and -Directory, Windows PowerShell 3.0)'; Example = 'Get-ChildItem -Path . -File' }
    @{ Id = 'Get-Content -Raw'; Since = '3.0'; Kind = 'Parameter'; Command = 'Get-Content'; Parameter = 'Raw'; Source = 'reference/3.0/Microsoft.PowerShell.Management/Get-Content.md (-Raw, introduced in Windows PowerShell 3.0)'; Example = 'Get-Content -Path x -Raw' }
    @{ Id = 'Set-Content -NoNewline'; Since = '5.0'; Kind = 'Parameter'; Command = 'Set-Content', 'Out-File', 'Add-Content'; Parameter = 'NoNewline'; Source = 'reference/5.0/Microsoft.PowerShell.Management/Set-Content.md (-NoNewline, introduced in Windows PowerShell 5.0)'; Example = 'Set-Content -Path x -Value y -NoNewline' }
    @{ Id = 'Where-Object simplified'; Since = '3.0'; Kind = 'Parameter'; Command = 'Where-Object'; Parameter = 'Property', 'EQ', 'NE', 'Value', 'Like', 'Match', 'In', 'Contains'; Source = 'reference/3.0/Microsoft.PowerShell.Core/Where-Object.md (the comparison-statement syntax, Windows PowerShell 3.0)'; Example = 'Get-Service | Where-Object -Property Status -EQ -Value Running' }
    @{ Id = 'ForEach-Object -MemberName'; Since = '3.0'; Kind = 'Parameter'; Command = 'ForEach-Object'; Parameter = 'MemberName'; Source = 'reference/3.0/Microsoft.PowerShell.Core/ForEach-Object.md (the operation-statement syntax, Windows PowerShell 3.0)'; Example = 'Get-Service | ForEach-Object -MemberName Name' }
    @{ Id = 'Add-Member -NotePropertyName'; Since = '3.0'; Kind = 'Parameter'; Command = 'Add-Member'; Parameter = 'NotePropertyName', 'NotePropertyValue', 'NotePropertyMembers'; Source = 'reference/3.0/Microsoft.PowerShell.Utility/Add-Member.md (NotePropertySingleMemberSet, Windows PowerShell 3.0)'; Example = '$o = New-Object -TypeName psobject; Add-Member -InputObject $o -NotePropertyName A -NotePropertyValue 1' }
    # .NET members: Windows PowerShell 2.0 runs on the .NET Framework 2.0 CLR (3.5); 3.0 and later on .NET Framework 4.
    @{ Id = '[Environment]::Is64BitProcess'; Since = '3.0'; Kind = 'Member'; Type = 'Environment', 'System.Environment'; Member = 'Is64BitProcess', 'Is64BitOperatingSystem'; Source = '.NET API reference Environment.Is64BitProcess (.NET Framework 4.0; Windows PowerShell 2.0 runs on CLR 2.0: use [IntPtr]::Size -eq 8)'; Example = '$b = [Environment]::Is64BitProcess' }
    @{ Id = '[string]::IsNullOrWhiteSpace'; Since = '3.0'; Kind = 'Member'; Type = 'string', 'System.String'; Member = 'IsNullOrWhiteSpace'; Source = '.NET API reference String.IsNullOrWhiteSpace (.NET Framework 4.0)'; Example = '$b = [string]::IsNullOrWhiteSpace(" ")' }
    @{ Id = '[Net.SecurityProtocolType]::Tls12'; Since = '3.0'; Kind = 'Member'; Type = 'Net.SecurityProtocolType', 'System.Net.SecurityProtocolType'; Member = 'Tls11', 'Tls12', 'SystemDefault'; Source = '.NET API reference SecurityProtocolType (Tls11 and Tls12 from .NET Framework 4.5; Windows PowerShell 2.0 runs on .NET Framework 3.5, whose enum has Ssl3 and Tls only, learn.microsoft.com/dotnet/framework/network-programming/tls)'; Example = '$p = [System.Net.SecurityProtocolType]::Tls12' }
    @{ Id = '.HasFlag()'; Since = '3.0'; Kind = 'Member'; Type = $null; Member = 'HasFlag'; Source = '.NET API reference Enum.HasFlag (.NET Framework 4.0)'; Example = '$b = [System.IO.FileAttributes]::Hidden.HasFlag([System.IO.FileAttributes]::Hidden)' }
)

function Test-Newer([string]$Since, [string]$Version) { return ([version]$Since) -gt ([version]$Version) }

function Format-Problem($Entry, [System.Management.Automation.Language.IScriptExtent]$Extent) {
    return ('{0}:{1} {2} (Windows PowerShell {3}; {4})' -f $Extent.StartLineNumber, $Extent.StartColumnNumber, $Entry.Id, $Entry.Since, $Entry.Source)
}

# Every problem of one parsed script for $Version, as @{ Id; Text }.
function Find-Downlevel([System.Management.Automation.Language.ScriptBlockAst]$Ast, [string]$Version) {
    $found = [System.Collections.Generic.List[object]]::new()
    $entries = @($table | Where-Object { Test-Newer $_.Since $Version })
    $byNode = @{}
    foreach ($e in $entries) {
        if ($e.Kind -ne 'Ast') { continue }
        if (-not $byNode.ContainsKey($e.NodeType)) { $byNode[$e.NodeType] = [System.Collections.Generic.List[object]]::new() }
        $byNode[$e.NodeType].Add($e)
    }
    $commands = @($entries | Where-Object { $_.Kind -eq 'Command' })
    $parameters = @($entries | Where-Object { $_.Kind -eq 'Parameter' })
    $members = @($entries | Where-Object { $_.Kind -eq 'Member' })
    foreach ($node in $Ast.FindAll({ $true }, $true)) {
        $type = $node.GetType()
        foreach ($name in @($type.Name, $type.BaseType.Name)) {
            if ($byNode.ContainsKey($name)) {
                foreach ($e in $byNode[$name]) { if (& $e.Test $node) { $found.Add(@{ Id = $e.Id; Text = (Format-Problem $e $node.Extent) }) } }
            }
        }
        if ($node -is [System.Management.Automation.Language.CommandAst]) {
            $command = $node.GetCommandName()
            foreach ($e in $commands) { if ($command -and ($e.Name -contains $command)) { $found.Add(@{ Id = $e.Id; Text = (Format-Problem $e $node.Extent) }) } }
            foreach ($e in $parameters) {
                if (-not ($command -and ($e.Command -contains $command))) { continue }
                foreach ($element in $node.CommandElements) {
                    if ($element -is [System.Management.Automation.Language.CommandParameterAst] -and ($e.Parameter -contains $element.ParameterName)) { $found.Add(@{ Id = $e.Id; Text = (Format-Problem $e $element.Extent) }) }
                }
            }
        }
        if ($node -is [System.Management.Automation.Language.MemberExpressionAst] -and $node.Member -is [System.Management.Automation.Language.StringConstantExpressionAst]) {
            foreach ($e in $members) {
                if ($e.Member -notcontains $node.Member.Value) { continue }
                if ($null -eq $e.Type) { if (-not $node.Static) { $found.Add(@{ Id = $e.Id; Text = (Format-Problem $e $node.Extent) }) }; continue }
                if ($node.Static -and $node.Expression -is [System.Management.Automation.Language.TypeExpressionAst] -and ($e.Type -contains $node.Expression.TypeName.FullName)) { $found.Add(@{ Id = $e.Id; Text = (Format-Problem $e $node.Extent) }) }
            }
        }
    }
    $requires = $Ast.ScriptRequirements
    if ($null -ne $requires) {
        $admin = $table | Where-Object { $_.Id -eq 'requires-run-as-administrator' }
        if ($requires.IsElevationRequired -and (Test-Newer $admin.Since $Version)) { $found.Add(@{ Id = $admin.Id; Text = (Format-Problem $admin $Ast.Extent) }) }
        if ($null -ne $requires.RequiredPSVersion -and $requires.RequiredPSVersion -gt [version]$Version) {
            $entry = $table | Where-Object { $_.Id -eq 'requires-version' }
            $found.Add(@{ Id = $entry.Id; Text = ('{0}:{1} requires-version {2} (Windows PowerShell {2}; {3}; the script is written for {4})' -f 1, 1, $requires.RequiredPSVersion, $entry.Source, $Version) })
        }
    }
    return $found
}

function Read-Script([string]$Path, [string]$Text) {
    $tokens = $null
    $errors = $null
    if ($Path) { $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors) }
    else { $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$errors) }
    if ($errors.Count -gt 0) { throw ('cannot parse ' + $Path + ': ' + $errors[0].Message) }
    return $ast
}

if ($Request.ContainsKey('table')) {
    return @($table | ForEach-Object { @{ Id = $_.Id; Since = $_.Since; Source = $_.Source; Example = $_.Example } })
}
if ($Request.ContainsKey('snippets')) {
    return @(foreach ($s in $Request['snippets']) { , @(Find-Downlevel (Read-Script '' $s['text']) $s['version'] | ForEach-Object { $_.Id + ' ' + $_.Text }) })
}
$problems = [ordered]@{}
$parsed = 0
foreach ($file in $Request['files']) {
    $found = @(Find-Downlevel (Read-Script $file['path'] '') $file['version'])
    $parsed++
    if ($found.Count -gt 0) { $problems[$file['path']] = @($found | ForEach-Object { $_.Text }) }
}
return @{ parsed = $parsed; problems = $problems }
