/**
 * Stage "render": formats a plan into an in-memory map of output path -> bytes. Pure apart
 * from reading the templates once. Handlebars runs in a private environment (never the global
 * one) with `strict` (a missing field throws) and `noEscape` (PowerShell is not HTML): every
 * value reaches a script through one of the quoting helpers below, never raw; a test checks
 * that templates use no bare mustache.
 *
 * Line endings: .ps1 files get the line ending the caller chose (`--eol`, CRLF by default: what
 * Windows tools expect), firewall.csv CRLF, PLAN.md and manifest.json LF. The PowerShell
 * templates are precompiled with CRLF (scripts/build-templates.mjs, SCRIPT_TEMPLATE_EOL), so a
 * default run encodes what they render as it is; `--eol lf` turns each CRLF into LF. The choice
 * is applied before manifest.json hashes the files, and the manifest records it.
 */
import { outputHash, sha256, type FileMap, type FileSource, type OutputHash, type PlannedFile, type PlannedTree } from '../shared/file-map.js';
import { contextText } from '../shared/context-text.js';
import type { ComplianceSection } from '../shared/compliance-section.js';
import type HandlebarsApi from 'handlebars';
import runtime from 'handlebars/runtime.js';
import { rendererSha256, templateSpecs } from '../generated/templates.js';

// The runtime build of Handlebars (templates are precompiled): the same API without the parser
// and compiler; its package declares no types of its own, so it takes the full package's.
const Handlebars = runtime as unknown as typeof HandlebarsApi;
import { DEFAULT_SCRIPT_EOL, type EndOfLine } from '../shared/line-endings.js';
import { SCRIPT_TEMPLATES, type HostPlan, type Plan, type ScriptPlan, type TemplateName } from '../plan/plan.js';
import { clientScriptPath, FIREWALL_FILE, groupPolicyScriptPath, hostScriptPath, MANIFEST_FILE, PLAN_FILE, treePath } from '../output/layout.js';
import { manifestBytes } from '../output/manifest.js';
import { byCodePoint } from '../shared/order.js';
import { codeSpan } from '../shared/markdown.js';
import { WINDOWS_POWERSHELL_51 } from '../plan/powershell.js';
import type { PowerShellFacts } from '../model/powershell-version.js';

/** Helpers that make a value safe where it lands; the only way a value enters a template. */
export const SAFE_HELPERS = ['psq', 'psarray', 'psint', 'psbool', 'pscomment', 'md', 'mdcode', 'mermaid', 'hex', 'ident'] as const;

// PowerShell treats the typographic single quotes U+2018-U+201B like the ASCII one inside
// single-quoted strings, so every one of them is doubled, not only '.
const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

// Control characters would not survive line-ending normalization inside a literal, and
// bidirectional controls (U+202A-U+202E, U+2066-U+2069, the marks U+200E, U+200F, U+061C) would
// make an editor show the script in another order than PowerShell reads it: both are written
// as [char] codes instead. Spec patterns keep them out of most values anyway.
const CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Bidirectional controls, shown by name in Markdown instead of reordering the text around them. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function verbatim(value: string): string {
  return `'${value.replace(SINGLE_QUOTES, (q) => q + q)}'`;
}

/**
 * `value` as PowerShell source: one single-quoted (verbatim) literal, with ' and its typographic
 * cousins doubled; a value holding control characters becomes a parenthesized concatenation of
 * such literals and [char] codes.
 */
export function psQuote(value: string): string {
  if (!CONTROL.test(value)) return verbatim(value);
  const parts: string[] = [];
  let run = '';
  for (const ch of value) {
    if (CONTROL.test(ch)) {
      if (run) parts.push(verbatim(run));
      run = '';
      parts.push(`[char]0x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
    } else run += ch;
  }
  if (run) parts.push(verbatim(run));
  return `(${parts.join(' + ')})`;
}

function requireString(helper: string, value: unknown): string {
  if (typeof value !== 'string') throw new Error(`bug: template helper ${helper} expects a string, got ${value === null ? 'null' : typeof value}`);
  return value;
}

/** Text safe inside a PowerShell comment: one line, no block-comment delimiters, ASCII. */
export function commentSafe(value: string): string {
  // Most values are plain ASCII without comment delimiters: nothing to replace.
  if (!/[^\u0020-\u007e]|#>|<#/.test(value)) return value;
  return value
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')
    .replace(/#>/g, '# >')
    .replace(/<#/g, '< #')
    .replace(/[^\u0020-\u007e]/g, '?');
}

/** Any character markdownSafe rewrites (the union of its patterns below, BIDI included). */
const MARKDOWN_SPECIAL = /[\u0000-\u001f\u007f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\\`*[\]|<>]/;

/** Text safe in one Markdown table cell or line. */
export function markdownSafe(value: string): string {
  // Most names need nothing: one scan instead of four replacements (PLAN.md holds thousands).
  if (!MARKDOWN_SPECIAL.test(value)) return value;
  return value
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')
    .replace(BIDI, (c) => `(U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`)
    // A backslash is literal unless punctuation follows; intraword _ is not emphasis in CommonMark/GFM.
    .replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\')
    .replace(/([`*[\]|<>])/g, '\\$1');
}

/** A Markdown code span of `value`, made one ASCII line first (`codeSpan` fences it). */
export function markdownCode(value: string): string {
  return codeSpan(commentSafe(value));
}

function createEnvironment(): typeof Handlebars {
  const hbs = Handlebars.create();
  hbs.registerHelper('psq', (value: unknown) => psQuote(requireString('psq', value)));
  hbs.registerHelper('psarray', (value: unknown) => {
    if (!Array.isArray(value)) throw new Error('bug: template helper psarray expects a list');
    return `@(${value.map((v) => psQuote(requireString('psarray', v))).join(', ')})`;
  });
  hbs.registerHelper('psint', (value: unknown) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Error('bug: template helper psint expects an integer');
    return String(value);
  });
  hbs.registerHelper('psbool', (value: unknown) => {
    if (typeof value !== 'boolean') throw new Error('bug: template helper psbool expects a boolean');
    return value ? '$true' : '$false';
  });
  hbs.registerHelper('hex', (value: unknown) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Error('bug: template helper hex expects a non-negative integer');
    return `0x${value.toString(16).toUpperCase()}`;
  });
  hbs.registerHelper('pscomment', (value: unknown) => commentSafe(requireString('pscomment', value)));
  hbs.registerHelper('md', (value: unknown) => markdownSafe(typeof value === 'number' ? String(value) : requireString('md', value)));
  hbs.registerHelper('mdcode', (value: unknown) => markdownCode(typeof value === 'number' ? String(value) : requireString('mdcode', value)));
  hbs.registerHelper('mermaid', (value: unknown) => `"${requireString('mermaid', value).replace(/[^A-Za-z0-9 .:/_(),-]/g, (c) => `#${c.charCodeAt(0)};`)}"`);
  hbs.registerHelper('ident', (value: unknown) => {
    const text = requireString('ident', value);
    if (!/^[a-z][a-z0-9]*$/.test(text)) throw new Error(`bug: template helper ident expects a generated identifier, got ${text}`);
    return text;
  });
  return hbs;
}

/** Every template render compiles: one per script template of the plan, PLAN.md, and the Group Policy exceptions script. */
export type TemplateId = TemplateName | 'plan' | 'gpo-exceptions';

/** The file of each template in templates/; files named `_<name>.*.hbs` are partials. */
export const TEMPLATE_FILES: Readonly<Record<TemplateId, string>> = {
  ...(Object.fromEntries(SCRIPT_TEMPLATES.map((name) => [name, `${name}.ps1.hbs`])) as Record<TemplateName, string>),
  plan: 'plan.md.hbs',
  'gpo-exceptions': 'gpo-exceptions.ps1.hbs',
};

interface Templates {
  hbs: typeof Handlebars;
  compiled: Record<TemplateId, HandlebarsApi.TemplateDelegate>;
}

let cache: Templates | undefined;

type TemplateSpec = Parameters<typeof HandlebarsApi.template>[0];
const SPECS = templateSpecs as unknown as Readonly<Record<string, TemplateSpec>>;

/**
 * Instantiates every template once per process from the specifications precompiled at build
 * time (scripts/build-templates.mjs, with `strict` and `noEscape`), after registering the
 * partials (files named `_<name>.*.hbs`): only the Handlebars runtime is loaded.
 */
function templates(): Templates {
  if (cache) return cache;
  const hbs = createEnvironment();
  for (const [file, spec] of Object.entries(SPECS)) {
    const match = /^_(.+)\.(ps1|md|csv)\.hbs$/.exec(file);
    if (match) hbs.registerPartial(match[1]!, hbs.template(spec));
  }
  const instantiate = (file: string) => {
    const spec = SPECS[file];
    if (spec === undefined) throw new Error(`bug: templates/${file} was not precompiled (run npm run build)`);
    return hbs.template(spec);
  };
  const compiled = Object.fromEntries(Object.entries(TEMPLATE_FILES).map(([id, file]) => [id, instantiate(file)])) as Record<TemplateId, HandlebarsApi.TemplateDelegate>;
  cache = { hbs, compiled };
  return cache;
}

function renderTemplate(id: TemplateId, context: Record<string, unknown>): string {
  return templates().compiled[id](context);
}

const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

/**
 * Bytes of a PowerShell script as a script template renders it (CRLF line endings) with `eol`
 * line endings (CRLF by default); ASCII stays as is, anything else gets a UTF-8 BOM because
 * Windows PowerShell 5.1 reads BOM-less scripts in the ANSI code page. The templates emit tidy
 * text (no trailing blanks, no runs of blank lines, one final newline:
 * test/tidy-output.test.ts checks every rendered file), so the text is only given its line
 * ending here, and encoded once.
 */
export function powershellBytes(text: string, eol: EndOfLine = DEFAULT_SCRIPT_EOL): Uint8Array {
  const withEol = eol === 'crlf' ? text : text.replaceAll('\r\n', '\n');
  const body = Buffer.from(withEol, 'utf8');
  // ASCII exactly when every character took one byte (cheaper than scanning with a regex).
  return body.length === withEol.length ? body : Buffer.concat([UTF8_BOM, body]);
}

/** What a script template is rendered from: the banner, the host it runs on, the script's own header, its data. */
interface ScriptHeader {
  fileName: string;
  stepName: string;
  synopsis: string;
  description: readonly string[];
  changes: boolean;
}

function templateContext(plan: Plan, host: Pick<HostPlan, 'host' | 'roleLabel' | 'runFrom'>, ps: PowerShellFacts, script: ScriptHeader, data: unknown): Record<string, unknown> {
  const e = plan.environment;
  return {
    // No spec hash: it is in manifest.json and PLAN.md only, so a spec change leaves unrelated scripts (and their input digests) alone.
    banner: { version: e.toolVersion, specPath: e.specPath, environment: e.name },
    // ps: the Windows PowerShell the script is written for (templates branch on ps.legacy and ps.v2).
    host: { host: host.host, roleLabel: host.roleLabel, runFrom: host.runFrom, ps: { version: ps.version, legacy: ps.legacy, v2: ps.v2 } },
    script,
    data,
  };
}

function scriptContext(plan: Plan, host: Pick<HostPlan, 'host' | 'roleLabel' | 'runFrom'>, script: ScriptPlan, ps: PowerShellFacts): Record<string, unknown> {
  const { fileName, stepName, synopsis, description } = script;
  return templateContext(plan, host, ps, { fileName, stepName, synopsis, description, changes: script.kind === 'change' }, script.data);
}

/** The script a domain admin runs to put the waived deviations' policy values into one GPO per host. */
function gpoExceptionsContext(plan: Plan, compliance: ComplianceSection, path: string): Record<string, unknown> {
  const admin = 'a computer with the GroupPolicy module (RSAT), as a domain admin';
  // Windows PowerShell 5.1: the admin computer's GroupPolicy module, not a managed host's version.
  return templateContext(
    plan,
    { host: admin, roleLabel: 'Group Policy', runFrom: admin },
    WINDOWS_POWERSHELL_51,
    {
      fileName: path.slice(path.lastIndexOf('/') + 1),
      stepName: 'group-policy-exceptions',
      synopsis: `Writes the Group Policy values the waived deviations from ${compliance.title} need, one GPO per host.`,
      description: [
        'Each waived baseline-deviation of the spec is an exception a GPO must grant: the script sets its policy value with Set-GPRegistryValue in the GPO named for that host, which must exist and be linked to (or security-filtered for) that computer only, so the exception reaches no other host.',
        'Run it as a domain admin on a computer with the GroupPolicy module. It reads each value first and sets only those that differ; -WhatIf lists them.',
      ],
      changes: true,
    },
    {
      gpoPrefix: `${plan.environment.name} WinRM exceptions`,
      baseline: compliance.title,
      exceptions: compliance.exceptions.map((x) => ({
        host: x.host,
        values: x.values.map((v) => ({ ...v, isDword: v.type === 'DWord', dword: v.dword ?? 0, text: v.text ?? '' })),
      })),
    },
  );
}

export interface RenderOptions {
  /** Line ending of the scripts (`--eol`); default CRLF. */
  scriptEol?: EndOfLine;
}

/**
 * The input digest of a script: sha256 over its template, its data as text (`contextText`), its line
 * ending, the renderer (templates, helpers, Handlebars: `rendererSha256`) and the tool version.
 * Everything rendering reads is in it, so equal digests give equal bytes.
 */
export function inputDigest(template: TemplateId, context: Record<string, unknown>, scriptEol: EndOfLine, toolVersion: string): string {
  return sha256(`${template}\0${scriptEol}\0${rendererSha256}\0${toolVersion}\0${contextText(context)}`);
}

/**
 * Every file of the plan, planned but not rendered: each script with its input digest and how to
 * render it (with its line ending), PLAN.md and firewall.csv (always rendered: they are made from
 * the whole plan), and the manifest over them. `diff` and `generate --check` render only what
 * they must; `render` renders everything.
 */
export function planFiles(plan: Plan, options: RenderOptions = {}): PlannedTree {
  const scriptEol = options.scriptEol ?? DEFAULT_SCRIPT_EOL;
  const e = plan.environment;
  const root = e.name;
  const files = new Map<string, PlannedFile>();
  const script = (path: string, template: TemplateId, context: Record<string, unknown>) =>
    files.set(treePath(root, path), { input: inputDigest(template, context, scriptEol, e.toolVersion), render: () => powershellBytes(renderTemplate(template, context), scriptEol) });
  for (const host of plan.hosts) {
    for (const s of [...host.steps, ...host.extras, host.verify, host.runAll]) {
      const where = s.runFrom === undefined ? host : { ...host, runFrom: s.runFrom };
      script(hostScriptPath(host.folder, s.fileName), s.template, scriptContext(plan, where, s, host.powershell ?? WINDOWS_POWERSHELL_51));
    }
  }
  for (const client of plan.clients) {
    script(clientScriptPath(client.folder, client.script.fileName), client.script.template, scriptContext(plan, { host: client.folder, roleLabel: client.label, runFrom: client.runFrom }, client.script, WINDOWS_POWERSHELL_51));
  }
  if (plan.compliance && plan.compliance.exceptions.length > 0) {
    const path = groupPolicyScriptPath(plan.compliance.id);
    script(path, 'gpo-exceptions', gpoExceptionsContext(plan, plan.compliance, path));
  }
  files.set(treePath(root, PLAN_FILE), { render: () => planDocument(plan, scriptEol) });
  files.set(treePath(root, FIREWALL_FILE), { render: () => Buffer.from(firewallCsv(plan), 'utf8') });
  const inputs = new Map<string, string>();
  for (const [path, file] of files) if (file.input !== undefined) inputs.set(path, file.input);
  return {
    manifestPath: treePath(root, MANIFEST_FILE),
    files: new Map([...files.entries()].sort((a, b) => byCodePoint(a[0], b[0]))),
    // Scripts already carry `scriptEol` (see powershellBytes); the other files keep their fixed endings.
    manifest: (outputs) => manifestBytes({ toolVersion: e.toolVersion, environment: root, specPath: e.specPath, specSha256: e.specSha256, scriptEol, outputs, inputs }),
  };
}

/** Renders every file of a planned tree and the manifest over them: the map `generate` writes. */
export function renderPlanned(planned: PlannedTree): FileMap {
  const files = new Map<string, Uint8Array>();
  const outputs = new Map<string, OutputHash>();
  for (const [path, file] of planned.files) {
    const bytes = file.render();
    files.set(path, bytes);
    outputs.set(path, outputHash(bytes));
  }
  files.set(planned.manifestPath, planned.manifest(outputs));
  return new Map([...files.entries()].sort((a, b) => byCodePoint(a[0], b[0])));
}

/**
 * A planned tree as the writer reads it: each file rendered when asked for and hashed at once,
 * the manifest (asked for last) built from those running digests, so no more than one file's
 * bytes need be held: `generate` writes host by host.
 */
export function plannedSource(planned: PlannedTree): FileSource {
  const outputs = new Map<string, OutputHash>();
  return {
    keys: [...planned.files.keys(), planned.manifestPath],
    read: (key) => {
      if (key === planned.manifestPath) {
        if (outputs.size !== planned.files.size) throw new Error('bug: manifest.json asked for before every other file was rendered');
        return planned.manifest(outputs);
      }
      const file = planned.files.get(key);
      if (!file) throw new Error(`bug: ${key} is not in the planned tree`);
      const bytes = file.render();
      outputs.set(key, outputHash(bytes));
      return bytes;
    },
  };
}

/** Renders every file of the plan, gives the scripts their line ending, then the manifest over them. */
export function render(plan: Plan, options: RenderOptions = {}): FileMap {
  return renderPlanned(planFiles(plan, options));
}

/** PLAN.md alone, the same bytes `render` puts in the tree (for `plan`, which prints only it). */
export function planDocument(plan: Plan, scriptEol: EndOfLine = DEFAULT_SCRIPT_EOL): Uint8Array {
  return Buffer.from(renderTemplate('plan', planContext(plan, scriptEol)), 'utf8');
}

/** What PLAN.md shows; `scriptEol` because its Files section names the scripts' line ending. */
function planContext(plan: Plan, scriptEol: EndOfLine): Record<string, unknown> {
  const e = plan.environment;
  const nodes = [
    ...e.syncServers.map((s) => ({ id: '', host: s.host, label: `${s.host} (sync server)` })),
    ...e.reverseProxies.map((p) => ({ id: '', host: p.host, label: `${p.host} (reverse proxy)` })),
    ...e.exchange.map((x) => ({ id: '', host: x.host, label: `${x.host} (Exchange)` })),
    ...e.forests.flatMap((f) => f.domainControllers.map((d) => ({ id: '', host: d.host, label: `${d.host} (DC ${f.name})` }))),
  ];
  const ids = new Map<string, string>();
  nodes.forEach((n, i) => {
    n.id = `n${i}`;
    if (!ids.has(n.host)) ids.set(n.host, n.id);
  });
  const internet = plan.flows.some((f) => f.from === 'internet clients');
  if (internet) ids.set('internet clients', 'internet');
  // One edge per pair of hosts, listing its ports.
  const edges = new Map<string, { from: string; to: string; ports: string[] }>();
  for (const f of plan.flows) {
    const from = ids.get(f.from);
    const to = ids.get(f.to);
    if (!from || !to) continue;
    const key = `${from}>${to}`;
    const edge = edges.get(key) ?? { from, to, ports: [] };
    const port = `${f.protocol} ${f.port}`;
    if (!edge.ports.includes(port)) edge.ports.push(port);
    edges.set(key, edge);
  }
  return {
    scriptsLf: scriptEol === 'lf',
    environment: e,
    metadataLines: [
      ...(e.metadata.description ? [{ key: 'Description', value: e.metadata.description }] : []),
      ...(e.metadata.owner ? [{ key: 'Owner', value: e.metadata.owner }] : []),
      ...(e.metadata.changeReference ? [{ key: 'Change', value: e.metadata.changeReference }] : []),
      ...(e.metadata.documentation ? [{ key: 'Runbook', value: e.metadata.documentation }] : []),
    ],
    hosts: plan.hosts.map((h) => ({
      ...h,
      osLabel: h.os ? `${h.os.os}${h.os.source === 'fallback' ? ' (assumed: not declared)' : ''}` : 'any with the ActiveDirectory module',
    })),
    runOrder: plan.runOrder.map((s) => ({ ...s, restart: s.script === 'restart' })),
    // Both address families in one cell: the network team opens each.
    flows: plan.flows.map((f) => ({ ...f, fromIp: addressCell(f.fromIp, f.fromIpv6), toIp: addressCell(f.toIp, f.toIpv6) })),
    firewallRules: plan.firewallRules.map((r) => ({ ...r, remote: r.remoteAddresses.join(', '), profileList: r.profiles.join(', ') })),
    findings: plan.findings.map((f) => ({ ...f, line: f.line })),
    hasFindings: plan.findings.length > 0,
    notes: [...plan.notes, ...plan.hosts.flatMap((h) => h.notes.map((n) => `${h.host}: ${n}`))],
    hasNotes: plan.notes.length > 0 || plan.hosts.some((h) => h.notes.length > 0),
    troubleshooting: plan.troubleshooting,
    clients: plan.clients.map((c) => ({ path: clientScriptPath(c.folder, c.script.fileName), summary: c.script.summary, runFrom: c.runFrom })),
    hasClients: plan.clients.length > 0,
    // Hosts whose steps need Exchange cmdlets: their section says to run from the Exchange Management Shell.
    // Hosts whose scripts are written for Windows PowerShell 2.0, 3.0 or 4.0.
    downlevelHosts: plan.hosts.filter((h) => h.powershell?.legacy).map((h) => `${h.host} (${h.powershell!.version})`).join(', '),
    exchangeShellHosts: plan.hosts.filter((h) => h.steps.some((s) => s.template === 'powershell-virtual-directory')).map((h) => h.host).join(', '),
    compliance: plan.compliance ? { ...plan.compliance, exceptionsScript: plan.compliance.exceptions.length > 0 ? groupPolicyScriptPath(plan.compliance.id) : '' } : null,
    mermaid: {
      nodes: nodes.filter((n) => ids.get(n.host) === n.id),
      internet,
      edges: [...edges.values()].map((edge) => ({ ...edge, label: edge.ports.join(', ') })),
    },
  };
}

/** A CSV field, always quoted; a leading formula character is defused for spreadsheet users. */
function csvField(value: string | number): string {
  const text = String(value);
  const defused = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${defused.replace(/"/g, '""')}"`;
}

/** The addresses of one end of a flow in PLAN.md: IPv4, then IPv6, or '-' when the spec declares none. */
function addressCell(ipv4: string | null, ipv6: string | null): string {
  const addresses = [...(ipv4 ? [ipv4] : []), ...(ipv6 ? [ipv6] : [])];
  return addresses.length > 0 ? addresses.join(', ') : '-';
}

/**
 * Every flow the network team opens, one row per source, destination, protocol and port. CRLF per
 * RFC 4180. The IPv6 addresses are columns of their own, after the original ones, so that a reader
 * of the older columns by position is not broken.
 */
function firewallCsv(plan: Plan): string {
  const header = ['source', 'sourceIp', 'destination', 'destinationIp', 'protocol', 'port', 'purpose', 'sourceIpv6', 'destinationIpv6'];
  const rows = plan.flows.map((f) => [f.from, f.fromIp ?? '', f.to, f.toIp ?? '', f.protocol, f.port, f.purpose, f.fromIpv6 ?? '', f.toIpv6 ?? '']);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
