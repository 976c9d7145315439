/**
 * SARIF 2.1.0 output, so that GitHub code scanning (and other SARIF viewers) annotate the
 * offending YAML lines of a pull request. One run per invocation; every registry rule is
 * described in tool.driver.rules with its documentation, whether or not it fired.
 */
import { isAbsolute, relative } from 'node:path';
import type { Diagnostic, FileReport, Severity } from '../diagnostics.js';
import { ruleDocRelativePath } from '../paths.js';
import type { Rule } from '../rules/index.js';

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
  /** Folder that artifact URIs are made relative to (the caller's working folder). */
  cwd: string;
  toolVersion: string;
}

const levels: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** The rationale: the first paragraph of the doc's "Why" section. */
function rationale(doc: string | undefined): string | undefined {
  const why = doc === undefined ? undefined : /^## Why\n\n([\s\S]*?)(\n\n|$)/m.exec(doc)?.[1];
  return why?.replace(/\s*\n\s*/g, ' ').trim();
}

/** Relative, forward-slash, percent-encoded: SARIF artifact URIs must not carry machine paths. */
export function artifactUri(file: string, cwd: string): string {
  const rel = isAbsolute(file) ? relative(cwd, file) : file;
  return rel.replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/');
}

function describeBuiltIn(id: string): string {
  if (id.startsWith('schema-')) return 'The spec does not match the winrm-forge JSON Schema (schema/winrm-forge.schema.json).';
  if (id.startsWith('yaml-')) return 'The spec is not well-formed YAML within the input limits.';
  return 'The spec file cannot be read as a UTF-8 YAML file.';
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
    descriptors.push({ id, shortDescription: { text: describeBuiltIn(id) }, defaultConfiguration: { level: 'error' } });
  }

  const results = reports.flatMap((report) =>
    report.diagnostics.map((d: Diagnostic) => {
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
              artifactLocation: { uri: artifactUri(d.file, options.cwd) },
              ...(start && end ? { region: { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column } } : {}),
            },
          },
        ],
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
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
