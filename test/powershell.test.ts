/**
 * The grammar gate for every generated script: parses with tree-sitter-powershell, then walks
 * the syntax tree for commands (allow-listed, no aliases, no positional parameters) and for
 * the check-before-set structure that makes a second run change nothing.
 */
import type { Node } from 'web-tree-sitter';
import { describe, expect, it } from 'vitest';
import { generatedSpecs, generateSpec } from './helpers/generate.js';
import { commands, nodes, parsePowerShell, syntaxProblems, type CommandUse } from './helpers/powershell.js';

/** Cmdlets and executables checked against Microsoft documentation (docs/reference/powershell-commands.md). */
const VERIFIED_COMMANDS = new Set([
  // Microsoft.PowerShell.Core / Utility / Management / Security
  'Enable-PSRemoting', 'ForEach-Object', 'Get-ChildItem', 'Get-Command', 'Get-Credential', 'Get-Date', 'Get-ExecutionPolicy',
  'Get-Item', 'Get-ItemProperty', 'Get-PSSessionConfiguration', 'Get-Service', 'Import-Module', 'Import-PSSession', 'Invoke-Command',
  'Join-Path', 'New-Item', 'New-ItemProperty', 'New-Object', 'New-PSSession', 'Remove-Module', 'Remove-PSSession', 'Select-Object',
  'Set-ExecutionPolicy', 'Set-Item', 'Set-Service', 'Set-StrictMode', 'Sort-Object', 'Start-Service', 'Start-Transcript',
  'Stop-Transcript', 'Test-Path', 'Write-Host', 'Write-Verbose', 'Write-Warning',
  // CIM, WSMan, LocalAccounts, NetSecurity, DnsClient, PKI
  'Get-CimInstance', 'Get-WSManInstance', 'Set-WSManInstance', 'Test-WSMan', 'Add-LocalGroupMember', 'Get-LocalGroupMember',
  'Get-NetFirewallRule', 'New-NetFirewallRule', 'Set-NetFirewallRule', 'Get-NetFirewallPortFilter', 'Get-NetFirewallAddressFilter',
  'Resolve-DnsName', 'New-SelfSignedCertificate',
  // ActiveDirectory, Exchange, WebAdministration, SecretManagement
  'Get-ADComputer', 'Get-ADObject', 'Get-ADTrust', 'Set-ADAccountControl', 'Set-ADComputer', 'Set-ADObject',
  'Get-ExchangeServer', 'Get-PowerShellVirtualDirectory', 'Set-PowerShellVirtualDirectory', 'Get-WebConfigurationProperty', 'Get-Secret',
  'Set-WebConfigurationProperty', 'Add-WebConfigurationProperty', 'Get-WebGlobalModule', 'Get-WebBinding', 'New-WebBinding', 'Restart-WebAppPool',
  // ServerManager, web requests and session options (section 17 and 11 of the reference)
  'Get-WindowsFeature', 'Invoke-WebRequest', 'New-PSSessionOption',
  // Executables, always with their extension
  'net.exe', 'netsh.exe', 'setspn.exe', 'klist.exe', 'netdom.exe',
]);
const EXECUTABLES = new Set(['net.exe', 'netsh.exe', 'setspn.exe', 'klist.exe', 'netdom.exe']);
/** Invoked by variable: the script path in run-all.ps1 and appcmd.exe by its full path. */
const DYNAMIC_COMMANDS = new Set(['$path', '$appcmd']);
/** Common aliases that must never appear as command names. */
const ALIASES = ['%', '?', 'cd', 'cls', 'copy', 'del', 'dir', 'echo', 'foreach', 'gc', 'gci', 'gcm', 'gi', 'gp', 'iex', 'ls', 'measure', 'ps', 'rm', 'select', 'set', 'sls', 'sort', 'where', 'write'];
/** Switch parameters used in generated code: they take no argument. */
const SWITCHES = new Set(['-force', '-skipnetworkprofilecheck', '-enumerate', '-disablenamechecking', '-allowclobber', '-usessl', '-dnsonly', '-append', '-unique', '-usebasicparsing', '-skipcacheck', '-skipcncheck', '-skiprevocationcheck']);
/** Cmdlets that change the machine: they must sit inside if ($PSCmdlet.ShouldProcess(...)). */
const CHANGING_CMDLET = /^(Set-(?!StrictMode$)|New-(?!Object$|PSSession$|PSSessionOption$)|Add-|Enable-|Start-Service$|Restart-)/;
/** Executables change the machine with these verbs; listing and showing do not. */
const CHANGING_ARGUMENT = /^('?\/?add'?|'?set'?|\$verb|@arguments|'\/EnableTGTDelegation:Yes')$/i;

function isChanging(c: CommandUse): boolean {
  if (EXECUTABLES.has(c.name) || c.dynamic) return c.elements.some((e) => CHANGING_ARGUMENT.test(e.text));
  return CHANGING_CMDLET.test(c.name);
}
const TYPOGRAPHIC = /[\u2013\u2014\u2018-\u201e]/;

function functionNames(all: Node[]): Set<string> {
  return new Set(all.filter((n) => n.type === 'function_statement').map((n) => n.children.find((c) => c?.type === 'function_name')?.text ?? ''));
}

/** Elements that are arguments bound by position: not a parameter, not its value, not a splat. */
function positionalArguments(elements: Node[]): string[] {
  const positional: string[] = [];
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]!;
    if (element.type === 'command_parameter') {
      const name = element.text.toLowerCase();
      if (!SWITCHES.has(name.replace(/:$/, ''))) i++; // the next element is this parameter's value
      continue;
    }
    if (element.text.startsWith('@') && /^@\w+$/.test(element.text)) continue; // splatting
    positional.push(element.text);
  }
  return positional;
}

function ancestors(node: Node): Node[] {
  const out: Node[] = [];
  for (let p = node.parent; p; p = p.parent) out.push(p);
  return out;
}

interface Script {
  path: string;
  text: string;
}

async function allScripts(): Promise<Script[]> {
  const scripts: Script[] = [];
  for (const spec of generatedSpecs) {
    const { files } = await generateSpec(spec);
    for (const [path, bytes] of files ?? []) if (path.endsWith('.ps1')) scripts.push({ path, text: Buffer.from(bytes).toString('utf8') });
  }
  return scripts;
}

describe('generated PowerShell', async () => {
  const scripts = await allScripts();

  it('covers every example and fixture', () => {
    expect(scripts.length).toBeGreaterThan(100);
  });

  for (const script of scripts) {
    describe(script.path, async () => {
      const tree = await parsePowerShell(script.text);
      const all = nodes(tree);
      const used = commands(tree);
      const own = functionNames(all);

      it('parses with no ERROR or MISSING node', () => {
        expect(syntaxProblems(tree)).toEqual([]);
      });

      it('is ASCII with CRLF line endings and no typographic quotes or dashes', () => {
        expect(script.text).not.toMatch(TYPOGRAPHIC);
        expect(script.text).toMatch(/^[\x00-\x7f]*$/);
        expect(script.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      });

      it('uses only verified commands or its own functions, never aliases', () => {
        for (const c of used) {
          if (c.dynamic) expect(DYNAMIC_COMMANDS, `line ${c.line}`).toContain(c.name);
          else expect(VERIFIED_COMMANDS.has(c.name) || own.has(c.name), `line ${c.line}: ${c.name}`).toBe(true);
          expect(ALIASES).not.toContain(c.name.toLowerCase());
        }
      });

      it('passes every cmdlet argument by parameter name', () => {
        for (const c of used.filter((c) => !EXECUTABLES.has(c.name) && !c.dynamic)) {
          expect(positionalArguments(c.elements), `line ${c.line}: ${c.name}`).toEqual([]);
        }
      });

      const isClient = script.path.includes('/clients/');

      it('has the script standards: banner, help, strict mode, stop on error', () => {
        expect(script.text).toMatch(/^# Generated by winrm-forge \S+ from [\w./-]+\.yaml\r\n# Spec sha256: [0-9a-f]{64}\r\n/);
        for (const keyword of ['.SYNOPSIS', '.DESCRIPTION', '.EXAMPLE']) expect(script.text).toContain(`\r\n${keyword}\r\n`);
        // External client tests run on an administrator's workstation, without elevation.
        if (!isClient) expect(script.text).toContain('\r\n#Requires -RunAsAdministrator\r\n');
        expect(script.text).toMatch(/\r\n\[CmdletBinding(\(SupportsShouldProcess\)|\(\))\]\r\nparam\(/);
        expect(script.text).toContain('\r\nSet-StrictMode -Version Latest\r\n');
        expect(script.text).toContain("\r\n$ErrorActionPreference = 'Stop'\r\n");
      });

      const isVerify = /\/verify\.ps1$/.test(script.path) || isClient;
      const isRunAll = /\/run-all\.ps1$/.test(script.path);

      if (isVerify) {
        it('changes nothing', () => {
          expect(script.text).not.toContain('ShouldProcess');
          const changing = used.filter((c) => isChanging(c) && !own.has(c.name));
          expect(changing.map((c) => `${c.line} ${c.name}`)).toEqual([]);
        });
      } else if (!isRunAll) {
        it('checks before it sets: every change sits in ShouldProcess, after recording that it is needed', () => {
          expect(script.text).toContain('[CmdletBinding(SupportsShouldProcess)]');
          const changing = used.filter((c) => isChanging(c) && !own.has(c.name));
          for (const c of used) {
            if (!changing.includes(c)) continue;
            const node = all.find((n) => n.type === 'command' && n.startPosition.row + 1 === c.line && n.text.includes(c.name.replace(/^\$/, '')))!;
            // Inside a function defined by the script: its call sites are checked instead.
            if (ancestors(node).some((a) => a.type === 'function_statement')) continue;
            const guard = ancestors(node).find((a) => a.type === 'if_statement' && /^if \(\$PSCmdlet\.ShouldProcess\(/.test(a.text));
            expect(guard, `line ${c.line}: ${c.name} outside ShouldProcess`).toBeDefined();
            // The guard's block records the change as needed first: the step then reports it, and a
            // second run, which finds nothing to record, reports "already configured".
            const before = script.text.replace(/\r\n/g, '\n').split('\n').slice(0, guard!.startPosition.row).reverse();
            expect(before.find((l) => l.trim() !== '' && !l.trim().startsWith('#')), `line ${c.line}`).toMatch(/\$Needed\.Add\(|\$change = |\$verb|\$arguments/);
          }
          // Calls of the script's own changing helpers are guarded too.
          for (const c of used.filter((c) => own.has(c.name) && /^(Set|New)-/.test(c.name))) {
            const node = all.find((n) => n.type === 'command' && n.startPosition.row + 1 === c.line && n.text.startsWith(c.name))!;
            if (ancestors(node).some((a) => a.type === 'function_statement')) continue;
            expect(ancestors(node).some((a) => a.type === 'if_statement' && /^if \(\$PSCmdlet\.ShouldProcess\(/.test(a.text)), `line ${c.line}: ${c.name}`).toBe(true);
          }
          expect(script.text).toMatch(/\r\nComplete-Step -What .+\r\n$/);
          expect(script.text).toContain("Write-StepLog -Message ('already configured: ' + $What)");
        });
      }
    });
  }
});
