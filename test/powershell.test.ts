/**
 * The command-structure gate for every generated script, on PowerShell's own AST
 * (test/powershell/script-commands.ps1, one pwsh for the file): commands allow-listed, no
 * aliases, no positional parameters, and the check-before-set structure that makes a second run
 * change nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedSpecs, generateSpec } from './helpers/generate.js';
import { describeWithPwsh, PwshServer } from './helpers/pwsh.js';

interface Element {
  kind: 'parameter' | 'argument' | 'splat';
  text: string;
  /** The parameter's name, without the dash. */
  name: string;
  /** `-Name:value`: the value is part of the parameter element. */
  inline: boolean;
}

interface CommandUse {
  name: string;
  /** Invoked with & on a variable or expression (a script path). */
  dynamic: boolean;
  line: number;
  elements: Element[];
  inFunction: boolean;
  /** Line of the enclosing `if ($PSCmdlet.ShouldProcess(...))`, or 0. */
  guardLine: number;
}

interface ScriptCommands {
  path: string;
  problems: string[];
  functions: string[];
  commands: CommandUse[];
}

/** Cmdlets and executables checked against Microsoft documentation (docs/reference/powershell-commands.md). */
const VERIFIED_COMMANDS = new Set([
  // Microsoft.PowerShell.Core / Utility / Management / Security
  'Enable-PSRemoting', 'ForEach-Object', 'Get-ChildItem', 'Get-Command', 'Get-Credential', 'Get-Date', 'Get-ExecutionPolicy',
  'Get-Item', 'Get-ItemProperty', 'Get-PSSessionConfiguration', 'Get-Service', 'Import-Module', 'Import-PSSession', 'Invoke-Command',
  'Join-Path', 'New-Item', 'New-ItemProperty', 'New-Object', 'New-PSSession', 'Remove-Module', 'Remove-PSSession', 'Select-Object',
  'Set-ExecutionPolicy', 'Set-Item', 'Set-Service', 'Set-StrictMode', 'Sort-Object', 'Start-Service', 'Start-Transcript',
  'Stop-Transcript', 'Test-Path', 'Write-Host', 'Write-Verbose', 'Write-Warning', 'Split-Path',
  // Windows PowerShell 2.0 forms (section 19 of the reference)
  'Get-WmiObject',
  // CIM, WSMan, LocalAccounts, NetSecurity, DnsClient, PKI
  'Get-CimInstance', 'Get-WSManInstance', 'Set-WSManInstance', 'Test-WSMan', 'Add-LocalGroupMember', 'Get-LocalGroupMember',
  'Get-NetFirewallRule', 'New-NetFirewallRule', 'Set-NetFirewallRule', 'Disable-NetFirewallRule', 'Get-NetFirewallPortFilter', 'Get-NetFirewallAddressFilter',
  'Resolve-DnsName', 'New-SelfSignedCertificate',
  // ActiveDirectory, Exchange, WebAdministration, SecretManagement
  'Get-ADComputer', 'Get-ADObject', 'Get-ADTrust', 'Get-ADUser', 'Get-WinEvent', 'Set-ADAccountControl', 'Set-ADComputer', 'Set-ADObject',
  'Get-ExchangeServer', 'Get-PowerShellVirtualDirectory', 'Set-PowerShellVirtualDirectory', 'Get-User', 'Get-AuthConfig', 'Get-ExchangeCertificate', 'Get-WebConfigurationProperty', 'Get-Secret',
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
const SWITCHES = new Set(['-force', '-skipnetworkprofilecheck', '-enumerate', '-disablenamechecking', '-allowclobber', '-usessl', '-dnsonly', '-append', '-unique', '-usebasicparsing', '-skipcacheck', '-skipcncheck', '-skiprevocationcheck', '-ignoredefaultscope']);
/** Cmdlets that change the machine: they must sit inside if ($PSCmdlet.ShouldProcess(...)). */
const CHANGING_CMDLET = /^(Set-(?!StrictMode$)|New-(?!Object$|PSSession$|PSSessionOption$)|Add-|Enable-|Start-Service$|Restart-)/;
/** Executables change the machine with these verbs; listing and showing do not. */
const CHANGING_ARGUMENT = /^('?\/?add'?|'?set'?|\$verb|@arguments|'\/EnableTGTDelegation:Yes')$/i;

function isChanging(c: CommandUse): boolean {
  if (EXECUTABLES.has(c.name) || c.dynamic) return c.elements.some((e) => CHANGING_ARGUMENT.test(e.text));
  return CHANGING_CMDLET.test(c.name);
}
const TYPOGRAPHIC = /[\u2013\u2014\u2018-\u201e]/;

/** Elements that are arguments bound by position: not a parameter, not its value, not a splat. */
function positionalArguments(elements: Element[]): string[] {
  const positional: string[] = [];
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]!;
    if (element.kind === 'parameter') {
      if (!element.inline && !SWITCHES.has(`-${element.name.toLowerCase()}`)) i++; // the next element is this parameter's value
      continue;
    }
    if (element.kind === 'splat') continue;
    positional.push(element.text);
  }
  return positional;
}

interface Script {
  path: string;
  text: string;
  read: ScriptCommands;
}

async function allScripts(server: PwshServer): Promise<Script[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'winrm-forge-commands-'));
  try {
    const written: { path: string; text: string; file: string }[] = [];
    for (const spec of generatedSpecs) {
      const { files } = await generateSpec(spec);
      for (const [path, bytes] of files ?? []) {
        if (!path.endsWith('.ps1')) continue;
        const file = join(scratch, String(written.length), ...path.split('/'));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, bytes);
        written.push({ path, text: Buffer.from(bytes).toString('utf8'), file });
      }
    }
    const { scripts } = await server.call<{ scripts: ScriptCommands[] }>('test/powershell/script-commands.ps1', { files: written.map((w) => w.file) });
    return written.map((w, i) => ({ path: w.path, text: w.text, read: scripts[i]! }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describeWithPwsh('generated PowerShell', async (pwsh) => {
  const server = new PwshServer(pwsh);
  afterAll(async () => server.close());
  const scripts = await allScripts(server);

  it('covers every example and fixture', () => {
    expect(scripts.length).toBeGreaterThan(100);
  });

  for (const script of scripts) {
    describe(script.path, () => {
      const used = script.read.commands;
      const own = new Set(script.read.functions);

      it("parses with PowerShell's parser with zero errors", () => {
        expect(script.read.problems).toEqual([]);
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

      // The version a script is written for, from its own #Requires line (2.0, 3.0, 4.0), or null for 5.1.
      const downlevel = /\r\n#Requires -Version ([234]\.0)\r\n/.exec(script.text)?.[1] ?? null;
      it('has the script standards: banner, help, strict mode, stop on error', () => {
        // The banner names the tool and the spec; the spec's hash is in manifest.json and PLAN.md only,
        // so a spec change leaves the scripts it does not concern byte for byte the same.
        expect(script.text).toMatch(/^# Generated by winrm-forge \S+ from [\w./-]+\.yaml\r\n# Environment: /);
        expect(script.text).not.toMatch(/[0-9a-f]{64}/);
        for (const keyword of ['.SYNOPSIS', '.DESCRIPTION', '.EXAMPLE']) expect(script.text).toContain(`\r\n${keyword}\r\n`);
        if (downlevel) {
          // Written for Windows PowerShell 2.0, 3.0 or 4.0: the same standards in the forms that version has.
          expect(script.text).toContain('\r\n$principal = New-Object -TypeName \'System.Security.Principal.WindowsPrincipal\'');
          expect(script.text).not.toContain('#Requires -RunAsAdministrator');
          expect(script.text).toMatch(/\r\n\[CmdletBinding(\(SupportsShouldProcess = \$true\)|\(\))\]\r\nparam\(/);
          expect(script.text).toContain(`\r\nSet-StrictMode -Version ${downlevel === '2.0' ? '2.0' : 'Latest'}\r\n`);
        } else {
          // External client tests run on an administrator's workstation, without elevation.
          if (!isClient) expect(script.text).toContain('\r\n#Requires -RunAsAdministrator\r\n');
          expect(script.text).toMatch(/\r\n\[CmdletBinding(\(SupportsShouldProcess\)|\(\))\]\r\nparam\(/);
          expect(script.text).toContain('\r\nSet-StrictMode -Version Latest\r\n');
        }
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
          expect(script.text).toContain(downlevel ? '[CmdletBinding(SupportsShouldProcess = $true)]' : '[CmdletBinding(SupportsShouldProcess)]');
          const changing = used.filter((c) => isChanging(c) && !own.has(c.name));
          for (const c of changing) {
            // Inside a function defined by the script: its call sites are checked instead.
            if (c.inFunction) continue;
            expect(c.guardLine, `line ${c.line}: ${c.name} outside ShouldProcess`).toBeGreaterThan(0);
            // The guard's block records the change as needed first: the step then reports it, and a
            // second run, which finds nothing to record, reports "already configured".
            const before = script.text.replace(/\r\n/g, '\n').split('\n').slice(0, c.guardLine - 1).reverse();
            expect(before.find((l) => l.trim() !== '' && !l.trim().startsWith('#')), `line ${c.line}`).toMatch(/\$Needed\.Add\(|\$change = |\$verb|\$arguments/);
          }
          // Calls of the script's own changing helpers are guarded too.
          for (const c of used.filter((c) => own.has(c.name) && /^(Set|New)-/.test(c.name))) {
            if (c.inFunction) continue;
            expect(c.guardLine, `line ${c.line}: ${c.name}`).toBeGreaterThan(0);
          }
          expect(script.text).toMatch(/\r\nComplete-Step -What .+\r\n$/);
          expect(script.text).toContain("Write-StepLog -Message ('already configured: ' + $What)");
        });
      }
    });
  }
});
