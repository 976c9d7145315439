# What a script written for Windows PowerShell 2.0 calls instead of the later cmdlets and
# directives: Get-WmiObject (Get-CimInstance came with 3.0; Win32_Process's CreationDate read with
# ManagementDateTimeConverter) and the Windows identity types its
# elevation check reads (#Requires -RunAsAdministrator came with 4.0).
#
# State: host.elevated (default true): whether the process runs elevated (the Administrators role
# is in its token).

# pwsh on Linux has WindowsIdentity and WindowsPrincipal only as types that throw "not supported
# on this platform". The stand-ins take their full names (type accelerators, as in
# activedirectory.ps1) with the members the scripts use; Elevated is set from the state at each run.
if (-not ('WinrmForgeSim.WindowsIdentity' -as [type])) {
    Add-Type -ReferencedAssemblies @([System.Security.Principal.WindowsBuiltInRole].Assembly.Location, [object].Assembly.Location, 'System.Runtime', 'netstandard') -TypeDefinition @'
using System.Security.Principal;

namespace WinrmForgeSim {
    public sealed class WindowsIdentity {
        public static bool Elevated = true;
        public static string CurrentName = "";
        private WindowsIdentity() { }
        public string Name { get { return CurrentName; } }
        public static WindowsIdentity GetCurrent() { return new WindowsIdentity(); }
    }
    public sealed class WindowsPrincipal {
        private readonly WindowsIdentity identity;
        public WindowsPrincipal(WindowsIdentity ntIdentity) { identity = ntIdentity; }
        public WindowsIdentity Identity { get { return identity; } }
        public bool IsInRole(WindowsBuiltInRole role) { return role == WindowsBuiltInRole.Administrator ? WindowsIdentity.Elevated : true; }
    }
}
'@
}
# System.Management (WMI) throws "only supported for Windows desktop applications" on Linux: the
# DMTF date converter the 2.0 scripts use on Get-WmiObject's CreationDate is a stand-in under its full
# name (DMTF datetime: yyyyMMddHHmmss.ffffff then the UTC offset in minutes, +UUU or -UUU).
if (-not ('WinrmForgeSim.ManagementDateTimeConverter' -as [type])) {
    Add-Type -ReferencedAssemblies @([object].Assembly.Location, 'System.Runtime', 'netstandard') -TypeDefinition @'
using System;
using System.Globalization;

namespace WinrmForgeSim {
    public static class ManagementDateTimeConverter {
        public static DateTime ToDateTime(string dmtfDate) {
            if (dmtfDate == null || dmtfDate.Length != 25 || (dmtfDate[21] != '+' && dmtfDate[21] != '-')) {
                throw new ArgumentOutOfRangeException("dmtfDate");
            }
            DateTime local = DateTime.ParseExact(dmtfDate.Substring(0, 21), "yyyyMMddHHmmss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            int offset = int.Parse(dmtfDate.Substring(22, 3), CultureInfo.InvariantCulture) * (dmtfDate[21] == '-' ? -1 : 1);
            return DateTime.SpecifyKind(local.AddMinutes(-offset), DateTimeKind.Utc).ToLocalTime();
        }
    }
}
'@
}
Register-SimTypeAccelerator -Name 'System.Management.ManagementDateTimeConverter' -Type ([WinrmForgeSim.ManagementDateTimeConverter])
Register-SimTypeAccelerator -Name 'System.Security.Principal.WindowsIdentity' -Type ([WinrmForgeSim.WindowsIdentity])
Register-SimTypeAccelerator -Name 'System.Security.Principal.WindowsPrincipal' -Type ([WinrmForgeSim.WindowsPrincipal])

# Signature: MicrosoftDocs/PowerShell-Docs/reference/5.1/Microsoft.PowerShell.Management/Get-WmiObject.md (Windows PowerShell 2.0 has the same query set)
function Get-WmiObject {
    [CmdletBinding(DefaultParameterSetName = 'query')]
    param(
        [Parameter(ParameterSetName = 'query', Mandatory = $true, Position = 0)][Parameter(ParameterSetName = 'list', Position = 0)][Alias('ClassName')][string]$Class,
        [Parameter(ParameterSetName = 'query', Position = 1)][string[]]$Property,
        [Parameter(ParameterSetName = 'query')][string]$Filter,
        [switch]$Amended,
        [Parameter(ParameterSetName = 'query')][Parameter(ParameterSetName = 'WQLQuery')][switch]$DirectRead,
        [Parameter(ParameterSetName = 'list')][switch]$List,
        [Parameter(ParameterSetName = 'list')][switch]$Recurse,
        [Parameter(ParameterSetName = 'WQLQuery', Mandatory = $true)][string]$Query,
        [switch]$AsJob,
        [System.Management.ImpersonationLevel]$Impersonation,
        [System.Management.AuthenticationLevel]$Authentication,
        [string]$Locale,
        [switch]$EnableAllPrivileges,
        [string]$Authority,
        [pscredential]$Credential,
        [int]$ThrottleLimit,
        [Alias('Cn')][string[]]$ComputerName,
        [string]$Namespace
    )
    Assert-SimCommand -Name 'Get-WmiObject' -Arguments $PSBoundParameters
    if ($PSCmdlet.ParameterSetName -ne 'query' -or $PSBoundParameters.ContainsKey('ComputerName') -or $PSBoundParameters.ContainsKey('AsJob')) {
        throw (New-SimError -Message 'Get-WmiObject is simulated for -Class [-Filter] on the local computer only: no generated script uses another form.' -ErrorId 'NotSimulated')
    }
    Get-SimWin32Instance -Cmdlet $PSCmdlet -ClassName $Class -Filter $Filter
}
