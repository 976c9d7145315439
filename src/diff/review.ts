/**
 * The per-host Markdown summary of a tree comparison, for a pull-request comment: changes grouped
 * by environment and host, renumbered steps matched by name, the settings the changed lines touch.
 */
import { hasHostFiles, locate } from '../output/layout.js';
import { codeSpan } from '../shared/markdown.js';
import { byCodePoint } from '../shared/order.js';
import { plural } from '../shared/text.js';
import { displayText, hunksOf, SHA256_HEX, type DiffHunk, type FileChange, type TreeDiff } from './core.js';
import { formatNotes, formatUnifiedDiff } from './unified.js';

/** Cmdlets that only move data around a script; naming them tells a reviewer nothing. */
const PLUMBING_CMDLETS = new Set([
  'Get-ChildItem', 'Get-Command', 'Get-Content', 'Get-Date', 'Get-Item', 'Get-ItemProperty', 'Get-Variable',
  'Join-Path', 'New-Item', 'New-Object', 'Set-Item', 'Set-ItemProperty', 'Set-StrictMode', 'Split-Path',
  'Start-Transcript', 'Stop-Transcript', 'Test-Path',
]);
/** Verbs of cmdlets that change a machine or open a session; Get- and Test- only read. */
const SETTING_VERBS = 'Add|Clear|Disable|Enable|Enter|Import|Install|Invoke|New|Register|Remove|Rename|Restart|Set|Start|Stop|Unregister|Update';
const FUNCTION_DEFINITION = /\bfunction\s+([A-Za-z]+-[A-Za-z]+)/gi;
const CMDLET = new RegExp(`\\b(?:${SETTING_VERBS})-[A-Z][A-Za-z]+\\b`, 'g');
const WSMAN_PATH = /WSMan:\\[A-Za-z0-9_\\]*[A-Za-z0-9_]/gi;
const WINRM_CONFIG = /\bwinrm\/config(?:\/[A-Za-z]+)*/g;
const REGISTRY_PATH = /\bHK(?:LM|CU):\\[A-Za-z0-9_\\ .-]*[A-Za-z0-9_]/g;
const THUMBPRINT = /\b[0-9A-Fa-f]{40}\b/g;
/** `-LocalPort 5986` in a cmdlet call, or `Port = 5986` in the hashtables firewall steps loop over. */
const PORT = /(?:-(?:Local|Remote)?Port\s+'?|\bPort\s*=\s*)(\d{1,5})\b/g;
const URI = /\bhttps?:\/\/[A-Za-z0-9.\-:]+\/[A-Za-z0-9/_.-]*/g;
/** Setting names that matter whatever cmdlet writes them. */
const SETTING_WORDS = [
  'AllowUnencrypted', 'BasicAuthentication', 'CbtHardeningLevel', 'CertificateThumbprint', 'CredSSP', 'DisabledComponents',
  'ExecutionPolicy', 'IPv4Filter', 'IPv6Filter', 'PrincipalsAllowedToDelegateToAccount', 'Remote Management Users', 'RemoteAddress',
  'TrustedForDelegation', 'TrustedHosts', 'WindowsAuthentication', 'prefixpolicy', 'sslFlags',
];

/**
 * The settings, cmdlets, paths, thumbprints, ports and URIs that `lines` (changed lines of a
 * script, without their +/- marker) touch, sorted by code point. Comment lines count too: the
 * generator explains settings in comments, and a changed explanation deserves a look. Only
 * cmdlets that change something are named; `ownFunctions` (lowercase) are helper functions the
 * script defines itself, which say nothing to a reviewer.
 */
export function settingsInvolved(lines: readonly string[], ownFunctions: ReadonlySet<string> = new Set()): string[] {
  const found = new Set<string>();
  const add = (value: string) => found.add(value);
  for (const line of lines) {
    for (const m of line.matchAll(WSMAN_PATH)) add(m[0]);
    for (const m of line.matchAll(WINRM_CONFIG)) add(m[0]);
    for (const m of line.matchAll(REGISTRY_PATH)) add(m[0]);
    for (const m of line.matchAll(CMDLET)) if (!PLUMBING_CMDLETS.has(m[0]) && !ownFunctions.has(m[0].toLowerCase())) add(m[0]);
    for (const m of line.matchAll(THUMBPRINT)) add(`thumbprint ${m[0].toUpperCase()}`);
    for (const m of line.matchAll(PORT)) add(`port ${m[1]}`);
    for (const m of line.matchAll(URI)) add(m[0]);
    for (const word of SETTING_WORDS) if (line.includes(word)) add(word);
  }
  // A WSMan path already names its leaf setting; listing the bare word as well is noise.
  for (const word of SETTING_WORDS) {
    if ([...found].some((value) => value !== word && value.toLowerCase().endsWith(`\\${word.toLowerCase()}`))) found.delete(word);
  }
  return [...found].sort(byCodePoint);
}

/** Lowercased names of the functions `texts` define (`function Set-Thing {`). */
function definedFunctions(...texts: (Uint8Array | undefined)[]): Set<string> {
  const names = new Set<string>();
  for (const bytes of texts) {
    const text = bytes && displayText(bytes);
    if (text) for (const m of text.matchAll(FUNCTION_DEFINITION)) names.add(m[1]!.toLowerCase());
  }
  return names;
}

function changedLines(hunks: readonly DiffHunk[]): string[] {
  const lines: string[] = [];
  for (const hunk of hunks) for (const line of hunk.lines) if (line.startsWith('+') || line.startsWith('-')) lines.push(line.slice(1));
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Markdown summary per host.

/** What the caller knows about a host from the spec (optional: paths alone give host names). */
export interface HostFacts {
  host: string;
  /** Human name of the role, e.g. "Exchange server", "sync server", "reverse proxy". */
  role: string;
  forest?: string;
}

export interface ReviewSummaryOptions {
  /** First line of the comment (a level-2 heading). */
  title?: string;
  /** Hosts of the base and head specs, to name roles and forests that appear or disappear. */
  hosts?: { before: readonly HostFacts[]; after: readonly HostFacts[] };
  /** Append the unified diff in a collapsed block (default true). */
  includeUnifiedDiff?: boolean;
  /** Longest comment to produce; GitHub refuses comments over 65,536 characters. */
  maxLength?: number;
}

interface StepChange {
  step: string;
  kind: 'added' | 'removed' | 'changed' | 'renumbered' | 'format' | 'hashes';
  detail: string;
  settings: string[];
}

interface HostChange {
  environment: string;
  host: string;
  status: 'added' | 'removed' | 'changed';
  steps: StepChange[];
}

const SCRIPT_SUFFIX = /\.ps1$/i;
const STEP_NUMBER = /^\d+-/;

function stepName(file: string): string {
  return file.replace(SCRIPT_SUFFIX, '');
}

/** `05-firewall.ps1` and `06-firewall.ps1` are the same step moved: match steps by name. */
function stepKey(file: string): string {
  return stepName(file).replace(STEP_NUMBER, '');
}

function maskedText(bytes: Uint8Array): string | undefined {
  return displayText(bytes)?.replace(SHA256_HEX, '#');
}

function formatDetail(change: FileChange): string {
  return formatNotes(change).join('; ');
}

function hostSteps(changes: readonly FileChange[]): StepChange[] {
  const byKey = new Map<string, { removed?: FileChange; added?: FileChange; modified?: FileChange }>();
  for (const change of changes) {
    const file = locate(change.path).file;
    const key = change.status === 'modified' ? `${file}\u0000modified` : stepKey(file);
    const entry = byKey.get(key) ?? {};
    entry[change.status] = change;
    byKey.set(key, entry);
  }
  const steps: StepChange[] = [];
  for (const { removed, added, modified } of byKey.values()) {
    if (modified) {
      const step = stepName(locate(modified.path).file);
      if (modified.modification === 'format') steps.push({ step, kind: 'format', detail: formatDetail(modified), settings: [] });
      else if (modified.modification === 'hashes') steps.push({ step, kind: 'hashes', detail: '', settings: [] });
      else steps.push({ step, kind: 'changed', detail: formatDetail(modified), settings: settingsInvolved(changedLines(modified.hunks), definedFunctions(modified.before, modified.after)) });
    } else if (removed && added) {
      const from = stepName(locate(removed.path).file);
      const to = stepName(locate(added.path).file);
      const same = maskedText(removed.before!) === maskedText(added.after!);
      const beforeText = displayText(removed.before!) ?? '';
      const afterText = displayText(added.after!) ?? '';
      steps.push({
        step: to,
        kind: same ? 'renumbered' : 'changed',
        detail: `was ${from}`,
        settings: same ? [] : settingsInvolved(changedLines(hunksOf(to, beforeText, afterText) ?? []), definedFunctions(removed.before, added.after)),
      });
    } else if (added) {
      steps.push({ step: stepName(locate(added.path).file), kind: 'added', detail: '', settings: settingsInvolved(changedLines(added.hunks), definedFunctions(added.after)) });
    } else if (removed) {
      steps.push({ step: stepName(locate(removed.path).file), kind: 'removed', detail: '', settings: settingsInvolved(changedLines(removed.hunks), definedFunctions(removed.before)) });
    }
  }
  return steps.sort((a, b) => byCodePoint(a.step, b.step) || byCodePoint(a.kind, b.kind));
}

function groupByHost(diff: TreeDiff): { hosts: HostChange[]; environmentFiles: FileChange[] } {
  const hostChanges = new Map<string, FileChange[]>();
  const environmentFiles: FileChange[] = [];
  for (const change of diff.changes) {
    const parsed = locate(change.path);
    if (parsed.host === undefined) {
      environmentFiles.push(change);
      continue;
    }
    const key = `${parsed.environment}\u0000${parsed.host}`;
    hostChanges.set(key, [...(hostChanges.get(key) ?? []), change]);
  }
  const hosts: HostChange[] = [];
  for (const [key, changes] of [...hostChanges].sort(([a], [b]) => byCodePoint(a, b))) {
    const [environment, host] = key.split('\u0000') as [string, string];
    const existedBefore = hasHostFiles(diff.beforePaths, environment, host);
    const existsAfter = hasHostFiles(diff.afterPaths, environment, host);
    hosts.push({ environment, host, status: !existedBefore ? 'added' : !existsAfter ? 'removed' : 'changed', steps: hostSteps(changes) });
  }
  return { hosts, environmentFiles };
}

/** An inline code span that survives any content (backticks inside; pipes in table cells). */
function code(text: string, inTable = false): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return codeSpan(inTable ? flat.replace(/\|/g, '\\|') : flat);
}

const MAX_SETTINGS_PER_STEP = 12;

function settingsText(settings: readonly string[]): string {
  if (settings.length === 0) return '';
  const shown = settings.slice(0, MAX_SETTINGS_PER_STEP).map((text) => code(text)).join(', ');
  return settings.length > MAX_SETTINGS_PER_STEP ? `${shown} and ${settings.length - MAX_SETTINGS_PER_STEP} more` : shown;
}

const STEP_VERBS: Record<StepChange['kind'], string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  renumbered: 'renumbered',
  format: 'line endings or encoding only',
  hashes: 'spec hash only',
};

function stepLine(step: StepChange): string {
  const parts = [`**${STEP_VERBS[step.kind]}** ${code(step.step)}`];
  if (step.detail) parts.push(`(${step.detail})`);
  const settings = settingsText(step.settings);
  return `- ${parts.join(' ')}${settings ? `: ${settings}` : ''}`;
}

function roleAndForestLines(hosts: { before: readonly HostFacts[]; after: readonly HostFacts[] }): string[] {
  const lines: string[] = [];
  const groups = (facts: readonly HostFacts[], keyOf: (f: HostFacts) => string | undefined) => {
    const map = new Map<string, string[]>();
    for (const f of facts) {
      const key = keyOf(f);
      if (key !== undefined) map.set(key, [...(map.get(key) ?? []), f.host]);
    }
    return map;
  };
  for (const [label, keyOf] of [['forest', (f: HostFacts) => f.forest], ['role', (f: HostFacts) => f.role]] as const) {
    const before = groups(hosts.before, keyOf);
    const after = groups(hosts.after, keyOf);
    for (const name of [...new Set([...before.keys(), ...after.keys()])].sort(byCodePoint)) {
      const hostList = (names: string[]) => [...new Set(names)].sort(byCodePoint).map((text) => code(text)).join(', ');
      if (!before.has(name)) lines.push(`- New ${label} ${code(name)}: ${hostList(after.get(name)!)}`);
      else if (!after.has(name)) lines.push(`- ${label === 'forest' ? 'Forest' : 'Role'} ${code(name)} removed: ${hostList(before.get(name)!)}`);
    }
  }
  return lines;
}

function roleOf(hosts: ReviewSummaryOptions['hosts'], host: string): string {
  const facts = hosts?.after.find((f) => f.host === host) ?? hosts?.before.find((f) => f.host === host);
  if (!facts) return '';
  return facts.forest ? `${facts.role}, ${facts.forest}` : facts.role;
}

function fencedBlock(language: string, body: string): string {
  const longestRun = Math.max(2, ...[...body.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${body}${body.endsWith('\n') ? '' : '\n'}${fence}`;
}

/**
 * A markdown summary of `diff` per host, for a pull-request comment: a table of hosts, then per
 * host the steps added, removed and changed with the settings their changed lines touch.
 */
export function summarizeForReview(diff: TreeDiff, options: ReviewSummaryOptions = {}): string {
  const title = options.title ?? 'winrm-forge: what changes on which host';
  const maxLength = options.maxLength ?? 60_000;
  const out: string[] = [`## ${title}`, ''];
  if (diff.changes.length === 0) {
    out.push('No change to the generated scripts.', '');
    return out.join('\n');
  }
  const grouped = groupByHost(diff);
  const { environmentFiles } = grouped;
  // Hosts whose scripts differ only in the banner's spec hash are named once, not reviewed.
  const bannerOnly = grouped.hosts.filter((h) => h.status === 'changed' && h.steps.every((s) => s.kind === 'hashes'));
  const hosts = grouped.hosts.filter((h) => !bannerOnly.includes(h));
  const count = (status: HostChange['status']) => hosts.filter((h) => h.status === status).length;
  const environments = [...new Set(diff.changes.map((c) => locate(c.path).environment))].sort(byCodePoint);
  // Name hosts with their environment when the trees hold several, even if one changes.
  const multiEnvironment = new Set([...diff.beforePaths, ...diff.afterPaths].map((p) => locate(p).environment)).size > 1;
  const hostName = (h: HostChange) => (multiEnvironment ? `${h.environment}/${h.host}` : h.host);
  out.push(
    `${plural(hosts.length, 'host')} affected (${count('added')} new, ${count('removed')} removed, ${count('changed')} changed) in ${environments.map((text) => code(text)).join(', ')}; ` +
      `${plural(diff.changes.length, 'file')} differ, ${diff.unchanged} unchanged.`,
    '',
  );
  if (options.hosts) {
    const lines = roleAndForestLines(options.hosts);
    if (lines.length > 0) out.push(...lines, '');
  }
  if (hosts.length > 0) {
    out.push(`| host |${options.hosts ? ' role |' : ''} change | steps added | removed | changed |`);
    out.push(`|---|${options.hosts ? '---|' : ''}---|---:|---:|---:|`);
    for (const h of hosts) {
      const n = (kinds: StepChange['kind'][]) => h.steps.filter((s) => kinds.includes(s.kind)).length;
      const role = options.hosts ? ` ${roleOf(options.hosts, h.host).replace(/\|/g, '\\|')} |` : '';
      out.push(`| ${code(hostName(h), true)} |${role} ${h.status === 'added' ? 'new host' : h.status === 'removed' ? 'host removed' : 'changed'} | ${n(['added'])} | ${n(['removed'])} | ${n(['changed', 'renumbered', 'format'])} |`);
    }
    out.push('');
    for (const h of hosts) {
      out.push(`### ${code(hostName(h))}${h.status === 'added' ? ' (new host)' : h.status === 'removed' ? ' (host removed)' : ''}`, '');
      const hashOnly = h.steps.filter((s) => s.kind === 'hashes');
      for (const step of h.steps) if (step.kind !== 'hashes') out.push(stepLine(step));
      if (hashOnly.length > 0) out.push(`- ${plural(hashOnly.length, 'other script')} differ only in the spec hash of the banner: ${hashOnly.map((s) => code(s.step)).join(', ')}`);
      out.push('');
    }
  }
  if (bannerOnly.length > 0) {
    out.push(`Scripts of ${plural(bannerOnly.length, 'other host')} differ only in the spec hash of the banner: ${bannerOnly.map((h) => code(hostName(h))).join(', ')}.`, '');
  }
  if (environmentFiles.length > 0) {
    out.push('### Environment files', '');
    for (const change of environmentFiles) {
      const added = change.hunks.reduce((n, h) => n + h.lines.filter((l) => l.startsWith('+')).length, 0);
      const removed = change.hunks.reduce((n, h) => n + h.lines.filter((l) => l.startsWith('-')).length, 0);
      const what = change.status === 'modified' ? (change.modification === 'format' ? formatDetail(change) : `${plural(added, 'line')} added, ${removed} removed`) : change.status;
      out.push(`- ${code(change.path)}: ${what}`);
    }
    out.push('');
  }
  let text = out.join('\n');
  if (options.includeUnifiedDiff ?? true) {
    const shown = diff.changes.filter((c) => c.modification !== 'hashes');
    const hidden = diff.changes.length - shown.length;
    const unified = formatUnifiedDiff({ ...diff, changes: shown });
    const note = hidden > 0 ? `; ${plural(hidden, 'file')} differing only in the spec hash left out` : '';
    const opening = `\n<details><summary>Unified diff (${plural(shown.length, 'file')}${note})</summary>\n\n`;
    const closing = '\n</details>\n';
    const room = maxLength - text.length - opening.length - closing.length - 200;
    if (room > 0 && shown.length > 0) {
      const truncated = unified.length > room;
      const body = truncated ? `${unified.slice(0, unified.lastIndexOf('\n', room) + 1)}` : unified;
      text += `${opening}${fencedBlock('diff', body)}${truncated ? '\n\nThe diff is longer than a comment allows; run `winrm-forge diff` locally for all of it.' : ''}${closing}`;
    }
  }
  if (text.length > maxLength) text = `${text.slice(0, text.lastIndexOf('\n', maxLength - 80))}\n\n(summary truncated: run \`winrm-forge diff --format markdown\` locally)\n`;
  return text;
}
