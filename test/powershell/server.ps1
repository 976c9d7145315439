# The request loop behind test/helpers/pwsh.ts: one pwsh process serves many requests.
# Each request is one line of JSON on standard input: { "id": n, "op": "<path of a .ps1>", "input": ... }.
# The op script is called with -Request <input as hashtable> and returns one value; the answer
# is one line on standard output, "<marker>" followed by { "id": n, "result": ... } or
# { "id": n, "error": "..." }. Anything else an op writes to the console is passed on as a log.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$marker = [string][char]1 + 'winrm-forge-pwsh '
$ops = @{}
[Console]::Out.WriteLine($marker + '{"ready":true}')
[Console]::Out.Flush()
while ($true) {
    $line = [Console]::In.ReadLine()
    if ($null -eq $line) { break }
    if ($line.Trim() -eq '') { continue }
    $id = $null
    try {
        $message = ConvertFrom-Json -InputObject $line -AsHashtable -Depth 100
        $id = $message['id']
        $op = [string]$message['op']
        if (-not $ops.ContainsKey($op)) { $ops[$op] = (Get-Command -Name $op -CommandType ExternalScript).ScriptBlock }
        $result = & $ops[$op] -Request $message['input']
        $answer = @{ id = $id; result = $result }
    }
    catch {
        $answer = @{ id = $id; error = ($_.Exception.Message + ' (' + $_.InvocationInfo.PositionMessage + ')') }
    }
    [Console]::Out.WriteLine($marker + (ConvertTo-Json -InputObject $answer -Depth 100 -Compress))
    [Console]::Out.Flush()
}
