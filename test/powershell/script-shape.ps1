# What the injection test compares, read by PowerShell's own parser: for each script text,
#   problems: parse errors as "line:col message";
#   shape:    the AST's node types in pre-order, then the token kinds, with every string literal
#             (a single-quoted StringConstantExpressionAst, or psq's parenthesized concatenation of
#             single-quoted literals and [char] codes) collapsed to one "literal";
#   literals: the content of each such literal as PowerShell reads it.
# Typographic single quotes (U+2018-U+201B) are quotes to this parser, as on Windows.
# Request: { texts: [string] }. Result: { scripts: [ { problems, shape, literals } ] }.
param([Parameter(Mandatory = $true)] $Request)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$L = 'System.Management.Automation.Language'

function Test-SingleQuoted($Ast) {
    return ($Ast -is [System.Management.Automation.Language.StringConstantExpressionAst]) -and
        ($Ast.StringConstantType -in 'SingleQuoted', 'SingleQuotedHereString')
}

# The leaves of a chain of + whose every leaf is a single-quoted literal or [char]<integer>; $null otherwise.
function Get-ConcatenationLeaves($Ast) {
    if ($Ast -is [System.Management.Automation.Language.BinaryExpressionAst]) {
        if ($Ast.Operator -ne [System.Management.Automation.Language.TokenKind]::Plus) { return $null }
        $left = Get-ConcatenationLeaves $Ast.Left
        $right = Get-ConcatenationLeaves $Ast.Right
        if ($null -eq $left -or $null -eq $right) { return $null }
        return @($left) + @($right)
    }
    if (Test-SingleQuoted $Ast) { return , @($Ast.Value) }
    if ($Ast -is [System.Management.Automation.Language.ConvertExpressionAst] -and $Ast.Type.TypeName.FullName -eq 'char' -and
        $Ast.Child -is [System.Management.Automation.Language.ConstantExpressionAst] -and $Ast.Child.Value -is [int]) {
        return , @([string][char]$Ast.Child.Value)
    }
    return $null
}

# psq's form for values with control characters: ('a' + [char]0x0A + 'b'). Its content, or $null.
function Get-ConcatenationValue($Ast) {
    if ($Ast -isnot [System.Management.Automation.Language.ParenExpressionAst]) { return $null }
    if (-not $Ast.Extent.Text.Contains('[char]0x')) { return $null }
    $pipeline = $Ast.Pipeline
    if ($pipeline -isnot [System.Management.Automation.Language.PipelineAst] -or $pipeline.PipelineElements.Count -ne 1) { return $null }
    $element = $pipeline.PipelineElements[0]
    if ($element -isnot [System.Management.Automation.Language.CommandExpressionAst] -or $element.Redirections.Count -gt 0) { return $null }
    $leaves = Get-ConcatenationLeaves $element.Expression
    if ($null -eq $leaves) { return $null }
    return (@($leaves) -join '')
}

$scripts = foreach ($text in $Request['texts']) {
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput([string]$text, [ref]$tokens, [ref]$errors)
    $problems = @(foreach ($e in $errors) { '{0}:{1} {2}: {3}' -f $e.Extent.StartLineNumber, $e.Extent.StartColumnNumber, $e.ErrorId, $e.Message })
    $shape = [System.Collections.Generic.List[string]]::new()
    $literals = [System.Collections.Generic.List[string]]::new()
    $spans = [System.Collections.Generic.List[int[]]]::new()
    $insideEnd = -1
    foreach ($node in $ast.FindAll({ $true }, $true)) {
        if ($node.Extent.StartOffset -lt $insideEnd) { continue }
        $value = $null
        if (Test-SingleQuoted $node) { $value = $node.Value }
        else { $value = Get-ConcatenationValue $node }
        if ($null -ne $value) {
            $shape.Add('literal')
            $literals.Add($value)
            $spans.Add(@($node.Extent.StartOffset, $node.Extent.EndOffset))
            $insideEnd = $node.Extent.EndOffset
            continue
        }
        $name = $node.GetType().Name
        if ($node -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $name += ':' + $node.StringConstantType }
        $shape.Add($name)
    }
    $shape.Add('|tokens')
    $span = 0
    $lastWasLiteral = $false
    foreach ($token in $tokens) {
        while ($span -lt $spans.Count -and $spans[$span][1] -le $token.Extent.StartOffset) { $span++ }
        if ($span -lt $spans.Count -and $token.Extent.StartOffset -ge $spans[$span][0]) {
            if (-not $lastWasLiteral) { $shape.Add('literal') }
            $lastWasLiteral = $true
            continue
        }
        $lastWasLiteral = $false
        $shape.Add([string]$token.Kind)
    }
    @{ problems = $problems; shape = @($shape); literals = @($literals) }
}
return @{ scripts = @($scripts) }
