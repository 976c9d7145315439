#!/usr/bin/env bash
# Installs the PowerShell tooling the tests need into .tools/ (git-ignored), from the package
# registries only:
#   .tools/pwsh/pwsh                  PowerShell 7.6.9, as a .NET tool (dotnet tool install --tool-path)
#   .tools/modules/Pester/<version>/  Pester, restored from NuGet by a throwaway project's PackageDownload
# Idempotent: when both are already there at the pinned versions it only says so.
# Pester 5.9.1: the newest of the 5.x line the registry serves. Our tests use the Pester 5 API
# (Describe/It/Should -Be, New-PesterConfiguration); 6.x is a new major with breaking changes we do
# not need, and 5.x also runs under Windows PowerShell 5.1, so the same tests can run on Windows.
set -euo pipefail

PWSH_VERSION=7.6.9
PESTER_VERSION=5.9.1

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
pwsh_dir="$tools/pwsh"
modules="$tools/modules"
pester_dir="$modules/Pester/$PESTER_VERSION"

say() { printf 'install-powershell: %s\n' "$*"; }

if ! command -v dotnet >/dev/null 2>&1; then
  say "the .NET SDK (dotnet) is not on PATH; it is needed to install pwsh $PWSH_VERSION as a .NET tool." >&2
  exit 1
fi

installed_pwsh=""
if [ -x "$pwsh_dir/pwsh" ]; then
  installed_pwsh="$("$pwsh_dir/pwsh" -NoLogo -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null || true)"
fi
if [ "$installed_pwsh" = "$PWSH_VERSION" ]; then
  say "pwsh $PWSH_VERSION already installed in .tools/pwsh"
else
  if [ -n "$installed_pwsh" ] || [ -d "$pwsh_dir" ]; then
    say "replacing pwsh ${installed_pwsh:-(unusable)} in .tools/pwsh"
    dotnet tool uninstall PowerShell --tool-path "$pwsh_dir" >/dev/null 2>&1 || rm -rf "$pwsh_dir"
  fi
  say "installing pwsh $PWSH_VERSION into .tools/pwsh"
  dotnet tool install PowerShell --version "$PWSH_VERSION" --tool-path "$pwsh_dir"
fi

if [ -f "$pester_dir/Pester.psd1" ]; then
  say "Pester $PESTER_VERSION already installed in .tools/modules"
else
  say "installing Pester $PESTER_VERSION into .tools/modules"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cat > "$work/pester-download.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net$(dotnet --version | cut -d. -f1).0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Pester" Version="[$PESTER_VERSION]" />
  </ItemGroup>
</Project>
PROJECT
  dotnet restore "$work/pester-download.csproj" --packages "$work/packages" --verbosity quiet
  mkdir -p "$modules/Pester"
  rm -rf "$pester_dir.partial"
  cp -R "$work/packages/pester/$PESTER_VERSION/tools" "$pester_dir.partial"
  mv "$pester_dir.partial" "$pester_dir"
fi

"$pwsh_dir/pwsh" -NoLogo -NoProfile -NonInteractive -Command "\$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + \$env:PSModulePath; Import-Module -Name Pester -RequiredVersion $PESTER_VERSION; 'install-powershell: ready: pwsh ' + \$PSVersionTable.PSVersion + ', Pester ' + (Get-Module -Name Pester).Version"
