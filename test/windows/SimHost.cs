// The simulated host's PowerShell host and process facts, compiled once per process by
// Invoke-SimulatedHost.ps1.
//
// SimHost: the host of the runspace scripts run in. Its only interactive member is
// PromptForChoice, which answers -Confirm prompts (ShouldContinue and ShouldProcess): "No" for a
// prompt whose text contains one of SimHost.Decline (the state's host.declineConfirm), else the
// default choice ("Yes"). Every other prompt fails as a host without a user does.
//
// SimEnvironment: stands in for System.Environment under the type accelerators [Environment] and
// [System.Environment], so that a script's [Environment]::Is64BitProcess and
// [Environment]::Is64BitOperatingSystem read the state (host.is64BitProcess,
// host.is64BitOperatingSystem); the other members pass through to System.Environment.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace WinrmForgeSim
{
    public static class SimEnvironment
    {
        public static bool Is64BitProcessValue = true;
        public static bool Is64BitOperatingSystemValue = true;
        public static bool Is64BitProcess { get { return Is64BitProcessValue; } }
        public static bool Is64BitOperatingSystem { get { return Is64BitOperatingSystemValue; } }
        public static string NewLine { get { return Environment.NewLine; } }
        public static string MachineName { get { return Environment.GetEnvironmentVariable("COMPUTERNAME") ?? Environment.MachineName; } }
        public static string UserName { get { return Environment.UserName; } }
        public static OperatingSystem OSVersion { get { return Environment.OSVersion; } }
        public static Version Version { get { return Environment.Version; } }
        public static int ProcessorCount { get { return Environment.ProcessorCount; } }
        public static int TickCount { get { return Environment.TickCount; } }
        public static string CurrentDirectory { get { return Environment.CurrentDirectory; } set { Environment.CurrentDirectory = value; } }
        public static string StackTrace { get { return Environment.StackTrace; } }
        public static string GetEnvironmentVariable(string variable) { return Environment.GetEnvironmentVariable(variable); }
        public static string GetEnvironmentVariable(string variable, EnvironmentVariableTarget target) { return Environment.GetEnvironmentVariable(variable, target); }
        public static IDictionary GetEnvironmentVariables() { return Environment.GetEnvironmentVariables(); }
        public static void SetEnvironmentVariable(string variable, string value) { Environment.SetEnvironmentVariable(variable, value); }
        public static string ExpandEnvironmentVariables(string name) { return Environment.ExpandEnvironmentVariables(name); }
        public static string GetFolderPath(Environment.SpecialFolder folder) { return Environment.GetFolderPath(folder); }
        public static string[] GetCommandLineArgs() { return Environment.GetCommandLineArgs(); }
    }

    public class SimHost : PSHost
    {
        public static List<string> Decline = new List<string>();
        /// <summary>Every prompt of the current run, as "<answer>: <caption>: <message>".</summary>
        public static List<string> Prompts = new List<string>();
        private readonly Guid id = Guid.NewGuid();
        private readonly SimHostUserInterface ui = new SimHostUserInterface();
        public override string Name { get { return "WinrmForgeSimulatedHost"; } }
        public override Version Version { get { return new Version(5, 1); } }
        public override Guid InstanceId { get { return id; } }
        public override PSHostUserInterface UI { get { return ui; } }
        public override CultureInfo CurrentCulture { get { return CultureInfo.InvariantCulture; } }
        public override CultureInfo CurrentUICulture { get { return CultureInfo.InvariantCulture; } }
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() { throw NoUser(); }
        public override void ExitNestedPrompt() { throw NoUser(); }
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        internal static HostException NoUser()
        {
            return new HostException("A command that prompts the user failed because the host program or the command type does not support user interaction.");
        }
    }

    public class SimHostUserInterface : PSHostUserInterface
    {
        public override PSHostRawUserInterface RawUI { get { return null; } }
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice)
        {
            string text = (caption ?? "") + ": " + (message ?? "");
            bool decline = false;
            foreach (string pattern in SimHost.Decline)
            {
                if (!string.IsNullOrEmpty(pattern) && text.IndexOf(pattern, StringComparison.OrdinalIgnoreCase) >= 0) { decline = true; }
            }
            int answer = defaultChoice;
            if (decline)
            {
                answer = -1;
                for (int i = 0; i < choices.Count; i++)
                {
                    if (choices[i].Label.Replace("&", "") == "No") { answer = i; }
                }
                if (answer < 0) { throw new InvalidOperationException("The prompt has no No choice: " + text); }
            }
            SimHost.Prompts.Add((decline ? "No" : "Yes") + ": " + text.Replace("\r", " ").Replace("\n", " "));
            return answer;
        }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) { throw SimHost.NoUser(); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) { throw SimHost.NoUser(); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) { throw SimHost.NoUser(); }
        public override string ReadLine() { throw SimHost.NoUser(); }
        public override SecureString ReadLineAsSecureString() { throw SimHost.NoUser(); }
        public override void Write(string value) { }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
        public override void WriteLine(string value) { }
        public override void WriteErrorLine(string value) { }
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
    }
}
