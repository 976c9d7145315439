# The parser gate: parses each file with PowerShell's own parser and reports, as
# "line:col message": every parse error; syntax Windows PowerShell 5.1 does not have (it would
# parse here, under PowerShell 7, and fail there); non-ASCII bytes in a file without a UTF-8
# byte order mark (Windows PowerShell 5.1 would read them as the ANSI code page).
# Request: { files: [absolute paths] }. Result: { parsed: n, problems: { path: [ "line:col message" ] } }.
param([Parameter(Mandatory = $true)] $Request)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Format-Position([System.Management.Automation.Language.IScriptExtent]$Extent, [string]$Message) {
    return ('{0}:{1} {2}' -f $Extent.StartLineNumber, $Extent.StartColumnNumber, $Message)
}

# Syntax added after Windows PowerShell 5.1, found on the AST.
function Get-NewerSyntax([System.Management.Automation.Language.Ast]$Ast, $Tokens) {
    $found = [System.Collections.Generic.List[string]]::new()
    $all = $Ast.FindAll({ $true }, $true)
    foreach ($node in $all) {
        switch ($node.GetType().Name) {
            'TernaryExpressionAst' { $found.Add((Format-Position $node.Extent 'ternary operator ?: (PowerShell 7; Windows PowerShell 5.1 has no ternary)')) }
            'PipelineChainAst' { $found.Add((Format-Position $node.Extent ('pipeline chain ' + [System.Management.Automation.Language.TokenTraits]::Text($node.Operator) + ' (PowerShell 7; use if ($?) in Windows PowerShell 5.1)'))) }
            'BinaryExpressionAst' {
                if ($node.Operator -eq [System.Management.Automation.Language.TokenKind]::QuestionQuestion) { $found.Add((Format-Position $node.Extent 'null-coalescing operator ?? (PowerShell 7)')) }
            }
            'AssignmentStatementAst' {
                if ($node.Operator -eq [System.Management.Automation.Language.TokenKind]::QuestionQuestionEquals) { $found.Add((Format-Position $node.Extent 'null-coalescing assignment ??= (PowerShell 7)')) }
            }
            { $_ -in 'MemberExpressionAst', 'InvokeMemberExpressionAst' } {
                if ($node.NullConditional) { $found.Add((Format-Position $node.Extent 'null-conditional member access ?. (PowerShell 7)')) }
            }
            'IndexExpressionAst' {
                if ($node.NullConditional) { $found.Add((Format-Position $node.Extent 'null-conditional index ?[] (PowerShell 7)')) }
            }
            'NamedBlockAst' {
                if ($node.BlockKind -eq [System.Management.Automation.Language.TokenKind]::Clean) { $found.Add((Format-Position $node.Extent 'clean {} block (PowerShell 7.3)')) }
            }
            'PipelineAst' {
                if ($node.Background) { $found.Add((Format-Position $node.Extent 'background operator & (PowerShell 6)')) }
            }
            'CommandAst' {
                $name = $node.GetCommandName()
                if ($name -in 'ForEach-Object', 'foreach', '%') {
                    foreach ($element in $node.CommandElements) {
                        if ($element -is [System.Management.Automation.Language.CommandParameterAst] -and $element.ParameterName.Length -ge 2 -and 'parallel'.StartsWith($element.ParameterName.ToLowerInvariant())) {
                            $found.Add((Format-Position $element.Extent 'ForEach-Object -Parallel (PowerShell 7)'))
                        }
                    }
                }
            }
        }
    }
    foreach ($token in $Tokens) {
        # `u{...} escapes in expandable strings are PowerShell 6 and later.
        if ($token -is [System.Management.Automation.Language.StringExpandableToken] -and $token.Text -match '`u\{') {
            $found.Add((Format-Position $token.Extent 'escape `u{} (PowerShell 6)'))
        }
    }
    return $found
}

function Get-EncodingProblem([string]$Path) {
    $bytes = [System.IO.File]::ReadAllBytes($Path)
    if ($bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF) { return $null }
    $line = 1
    $column = 1
    foreach ($byte in $bytes) {
        if ($byte -gt 0x7F) { return ('{0}:{1} non-ASCII byte 0x{2:X2} in a file without a UTF-8 byte order mark (Windows PowerShell 5.1 reads it as ANSI)' -f $line, $column, $byte) }
        if ($byte -eq 0x0A) { $line++; $column = 1 } else { $column++ }
    }
    return $null
}

$problems = [ordered]@{}
$parsed = 0
foreach ($path in $Request['files']) {
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$tokens, [ref]$errors)
    $parsed++
    $found = [System.Collections.Generic.List[string]]::new()
    foreach ($e in $errors) { $found.Add((Format-Position $e.Extent ($e.ErrorId + ': ' + $e.Message))) }
    foreach ($p in (Get-NewerSyntax $ast $tokens)) { $found.Add($p) }
    $encoding = Get-EncodingProblem $path
    if ($encoding) { $found.Add($encoding) }
    if ($found.Count -gt 0) { $problems[$path] = @($found) }
}
return @{ parsed = $parsed; problems = $problems }
