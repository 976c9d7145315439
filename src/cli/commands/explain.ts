import type { ExitCode, Io } from '../io.js';
import { EXIT_USAGE } from '../io.js';
import { ruleDocText } from '../../shared/paths.js';
import { findRule, rules } from '../../check.js';
import { suggest } from '../../shared/suggest.js';

export interface ExplainOptions {
  rule?: string;
}

/** Lists the rules (ID, severity, one line), or prints the documentation of one rule. */
export function runExplain(options: ExplainOptions, io: Io): ExitCode {
  if (options.rule === undefined) {
    const idWidth = Math.max(...rules.map((r) => r.id.length));
    const lines = rules.map((r) => `${r.id.padEnd(idWidth)}  ${r.severity.padEnd(7)}  ${r.description}`);
    io.stdout(`${lines.join('\n')}\n\n${rules.length} rules. winrm-forge explain <rule-id> prints the rationale and examples of one.\n`);
    return 0;
  }
  const id = options.rule.trim().toLowerCase();
  const rule = findRule(id);
  const doc = rule ? ruleDocText(rule.id) : undefined;
  if (rule && doc !== undefined) {
    io.stdout(doc.endsWith('\n') ? doc : `${doc}\n`);
    return 0;
  }
  if (rule) throw new Error(`winrm-forge: rule ${rule.id} has no documentation in docs/rules/`);
  const guess = suggest(id, rules.map((r) => r.id));
  const builtIn = /^(schema|file|yaml)-/.test(id)
    ? ` ${id} is a ${id.startsWith('schema-') ? 'schema' : 'input'} check, not a semantic rule: its message and hint say what to fix (README.md, Command-line reference).`
    : '';
  io.stderr(`Unknown rule ${options.rule}.${guess ? ` Did you mean ${guess}?` : ''}${builtIn}\nRun winrm-forge explain to list the rules.\n`);
  return EXIT_USAGE;
}
