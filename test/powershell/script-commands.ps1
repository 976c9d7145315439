# The commands of each script, read from PowerShell's own AST, for the command-structure gate
# (test/powershell.test.ts): name, how each argument is passed, and where the command sits.
# Request: { files: [absolute paths] }.
# Result: { scripts: [ { path, problems, functions: [names], commands: [ {
#   name, dynamic, line, elements: [ { kind: parameter|argument|splat, text, name, inline } ],
#   inFunction, guardLine } ] } ] }
# guardLine: the line of the innermost enclosing `if ($PSCmdlet.ShouldProcess(...))`, or 0.
param([Parameter(Mandatory = $true)] $Request)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$scripts = foreach ($path in $Request['files']) {
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$tokens, [ref]$errors)
    $problems = @(foreach ($e in $errors) { '{0}:{1} {2}' -f $e.Extent.StartLineNumber, $e.Extent.StartColumnNumber, $e.Message })
    $functions = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) | ForEach-Object -Process { $_.Name })
    $commands = @(foreach ($command in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $first = $command.CommandElements[0]
        $name = $command.GetCommandName()
        $dynamic = $false
        if ($null -eq $name) { $name = $first.Extent.Text; $dynamic = $true }
        $elements = @(for ($i = 1; $i -lt $command.CommandElements.Count; $i++) {
            $element = $command.CommandElements[$i]
            if ($element -is [System.Management.Automation.Language.CommandParameterAst]) {
                @{ kind = 'parameter'; text = $element.Extent.Text; name = $element.ParameterName; inline = ($null -ne $element.Argument) }
            }
            elseif ($element -is [System.Management.Automation.Language.VariableExpressionAst] -and $element.Splatted) {
                @{ kind = 'splat'; text = $element.Extent.Text; name = ''; inline = $false }
            }
            else {
                @{ kind = 'argument'; text = $element.Extent.Text; name = ''; inline = $false }
            }
        })
        $inFunction = $false
        $guardLine = 0
        for ($parent = $command.Parent; $null -ne $parent; $parent = $parent.Parent) {
            if ($parent -is [System.Management.Automation.Language.FunctionDefinitionAst]) { $inFunction = $true }
            if ($guardLine -eq 0 -and $parent -is [System.Management.Automation.Language.IfStatementAst]) {
                foreach ($clause in $parent.Clauses) {
                    $inBody = $command.Extent.StartOffset -ge $clause.Item2.Extent.StartOffset -and $command.Extent.EndOffset -le $clause.Item2.Extent.EndOffset
                    if ($inBody -and $clause.Item1.Extent.Text.StartsWith('$PSCmdlet.ShouldProcess(')) { $guardLine = $parent.Extent.StartLineNumber }
                }
            }
        }
        @{ name = $name; dynamic = $dynamic; line = $command.Extent.StartLineNumber; elements = $elements; inFunction = $inFunction; guardLine = $guardLine }
    })
    @{ path = $path; problems = $problems; functions = $functions; commands = $commands }
}
return @{ scripts = @($scripts) }
