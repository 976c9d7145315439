/**
 * SARIF 2.1.0 output, so that GitHub code scanning (and other SARIF viewers) annotate the
 * offending YAML lines of a pull request. One run per invocation; every registry rule is
 * described in tool.driver.rules with its documentation, whether or not it fired.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, FileReport, Severity } from '../../shared/diagnostics.js';
import { ruleDocRelativePath } from '../../shared/paths.js';
import type { Rule } from '../../check.js';

/**
 * Rule documentation URLs are this base plus docs/rules/<id>.md, the same path as in the
 * package and the repository. SARIF requires an absolute URI here; the full page is also
 * embedded as help.markdown, so viewers show it without following the link.
 */
export const DOCS_BASE_URL = 'https://winrm-forge.dev/';

/** The id of the official OASIS schema (errata 01), vendored in test/fixtures/sarif/. */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export interface SarifOptions {
  rules: readonly Rule[];
  /** Markdown documentation of a rule. */
  docOf(id: string): string | undefined;
  /** The caller's working folder: spec names as written are relative to it. */
  cwd: string;
  /**
   * Absolute folder artifact URIs are relative to (the repository root, so code scanning
   * places them whichever folder the command ran in); recorded as the SRCROOT base. Default: cwd.
   */
  root?: string;
  toolVersion: string;
}

const levels: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * The rationale: the whole first paragraph of the doc's "Why" section (no `m` flag: `$` is
 * the end of the doc, never the end of the paragraph's first line).
 */
export function rationale(doc: string | undefined): string | undefined {
  const why = doc === undefined ? undefined : /(?:^|\n)## Why\n\n([\s\S]*?)(?:\n\n|\n?$)/.exec(doc)?.[1];
  return why?.replace(/\s*\n\s*/g, ' ').trim();
}

/** Relative to `root`, forward-slash, percent-encoded: results carry no machine path. */
export function artifactUri(file: string, cwd: string, root = cwd): string {
  const absolute = isAbsolute(file) ? file : resolve(cwd, file);
  const rel = relative(root, absolute);
  // A spec outside the root keeps the name it was given.
  const shown = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
  return shown.replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/');
}

/** Stable across edits elsewhere in the spec: rule, file, host and message, never the line. */
function fingerprint(d: Diagnostic, uri: string): string {
  return createHash('sha256').update([d.ruleId, uri, d.host ?? '', d.message].join('\u0000')).digest('hex');
}

function describeBuiltIn(id: string): { short: string; full: string; help: string } {
  if (id.startsWith('schema-')) {
    return {
      short: 'The spec does not match the winrm-forge JSON Schema (schema/winrm-forge.schema.json).',
      full: 'Every key, type and value of the spec is checked against the JSON Schema before any rule runs: a misspelt key, a value of the wrong type or outside its allowed set, or a required key that is missing. The message names the key and what was expected; the hint says how to fix it.',
      help: 'Correct the key or value the message names; `winrm-forge schema` prints the schema, and an editor with the YAML language server shows these errors as you type (README.md, Spec reference).',
    };
  }
  if (id.startsWith('yaml-')) {
    return {
      short: 'The spec is not well-formed YAML within the input limits.',
      full: 'The spec is read as YAML 1.2 with limits on size, line length, nesting depth and aliases; a syntax error, a tab used for indentation, a duplicate key, an unsupported tag or directive, or input over a limit stops the check before the schema.',
      help: 'Fix the YAML at the place shown; README.md (Input limits) lists the limits.',
    };
  }
  return {
    short: 'The spec file cannot be read as a UTF-8 YAML file.',
    full: 'The spec path does not name a readable regular file, the file is too large, or it is not saved as UTF-8; nothing in it was checked.',
    help: 'Name a YAML file saved as UTF-8 and readable by the user running the check.',
  };
}

/**
 * The result's property bag: the host a waiver names and, for baseline findings, the baseline,
 * its control IDs and their severity; the control IDs are also SARIF tags, so code scanning
 * can filter by them.
 */
function resultProperties(d: Diagnostic): Record<string, unknown> {
  return {
    ...(d.host !== undefined ? { host: d.host } : {}),
    ...(d.compliance !== undefined
      ? { tags: [...d.compliance.controls], baseline: d.compliance.baseline, controls: [...d.compliance.controls], controlSeverity: d.compliance.severity }
      : {}),
  };
}

export function formatSarif(reports: readonly FileReport[], options: SarifOptions): string {
  const ruleIndex = new Map<string, number>();
  const descriptors: Record<string, unknown>[] = [];
  for (const rule of options.rules) {
    const doc = options.docOf(rule.id);
    ruleIndex.set(rule.id, descriptors.length);
    descriptors.push({
      id: rule.id,
      shortDescription: { text: rule.description },
      fullDescription: { text: rationale(doc) ?? rule.description },
      helpUri: `${DOCS_BASE_URL}${ruleDocRelativePath(rule.id)}`,
      ...(doc !== undefined ? { help: { text: `${rule.description} See ${ruleDocRelativePath(rule.id)}.`, markdown: doc } } : {}),
      defaultConfiguration: { level: levels[rule.severity] },
      properties: { source: rule.source },
    });
  }
  // Schema and input checks are not registry rules, but results must still name a descriptor.
  const builtIn = [...new Set(reports.flatMap((r) => r.diagnostics.map((d) => d.ruleId)).filter((id) => !ruleIndex.has(id)))].sort();
  for (const id of builtIn) {
    ruleIndex.set(id, descriptors.length);
    const about = describeBuiltIn(id);
    descriptors.push({ id, shortDescription: { text: about.short }, fullDescription: { text: about.full }, help: { text: about.help, markdown: about.help }, defaultConfiguration: { level: 'error' } });
  }

  const root = options.root ?? options.cwd;
  const results = reports.flatMap((report) =>
    report.diagnostics.map((d: Diagnostic) => {
      const uri = artifactUri(d.file, options.cwd, root);
      const start = report.source?.position(d.range.start);
      const end = report.source?.position(Math.max(d.range.end, d.range.start + 1));
      return {
        ruleId: d.ruleId,
        ruleIndex: ruleIndex.get(d.ruleId),
        level: levels[d.severity],
        message: { text: d.hint ? `${d.message}.\nHow to fix: ${d.hint}` : `${d.message}.` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri, uriBaseId: 'SRCROOT' },
              ...(start && end ? { region: { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column } } : {}),
            },
          },
        ],
        partialFingerprints: { 'winrmForgeFinding/v1': fingerprint(d, uri) },
        ...(d.waived ? { suppressions: [{ kind: 'inSource', status: 'accepted', justification: d.waived.reason }] } : {}),
        ...(d.host !== undefined || d.compliance !== undefined ? { properties: resultProperties(d) } : {}),
      };
    }),
  );

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'winrm-forge', semanticVersion: options.toolVersion, version: options.toolVersion, rules: descriptors } },
        // The one machine path of the log: where SRCROOT is on the machine that ran the check.
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(root.endsWith('/') ? root : `${root}/`).href } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
