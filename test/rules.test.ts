import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkText } from '../src/index.js';
import { rules } from '../src/rules/index.js';
import type { Rule } from '../src/rules/rule.js';
import { GOLDEN_TODAY } from './helpers/generate.js';
import { repoRoot } from './helpers/spec.js';
import { byCodePoint } from '../src/shared/order.js';

const ruleFiles = readdirSync(join(repoRoot, 'src', 'rules'))
  .filter((f) => f.endsWith('.ts') && !['rule.ts', 'facts.ts', 'index.ts', 'linter.ts', 'waivers.ts', 'baselines.ts', 'compliance.ts', 'gpo-exceptions.ts', 'lifecycle.ts', 'wording.ts', 'disabled-components.ts'].includes(f))
  .map((f) => f.slice(0, -3))
  .sort(byCodePoint);
const docFiles = readdirSync(join(repoRoot, 'docs', 'rules'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => f.slice(0, -3))
  .sort(byCodePoint);

/** Where each rule's bad doc example must be reported: line:col of the offending node. */
const badExampleAt: Record<string, string> = {
  'allow-unencrypted': '10:25',
  'baseline-deviation': '19:23',
  'basic-over-http': '16:14',
  'cbt-hardening-none': '10:29',
  'cbt-hardening-strict': '10:29',
  'connection-auth-disabled': '24:25',
  'connection-certificate-name': '23:14',
  'connection-endpoint-mismatch': '17:14',
  'connection-unknown-exchange': '15:19',
  'credential-guard-delegation': '14:9',
  'delegation-tgt-across-trust': '12:25',
  'delegation-to-sync-server': '12:20',
  'disabled-components-unusual': '10:25',
  'duplicate-host': '10:11',
  'frontend-powershell-https': '17:14',
  'https-listener-certificate': '11:11',
  'ipv6-disabled': '10:25',
  'ipv6-filter-empty': '10:19',
  'kerberos-alias-name': '16:14',
  'kerberos-ip-address': '16:14',
  'kerberos-needs-domain-controllers': '16:25',
  'kerberos-needs-trust': '19:25',
  'kerberos-over-https-exchange': '16:14',
  'kerberos-rc4-removal': '25:25',
  'listener-certificate-name': '12:21',
  'negotiate-over-http-exchange': '17:25',
  'powershell-version-impossible': '11:17',
  'product-lifecycle': '9:22',
  'proxy-backend-basic-missing': '14:16',
  'proxy-backend-certificate': '16:16',
  'proxy-backend-not-dedicated': '14:16',
  'proxy-certificate-name': '14:84',
  'proxy-forward-http': '16:18',
  'proxy-published-name-internal': '13:20',
  'proxy-unknown-backend': '22:16',
  'remote-management-users-missing': '22:14',
  'require-ssl-kerberos-http': '9:47',
  'secret-in-spec': '4:16',
  'self-signed-certificate': '12:38',
  'trusted-hosts-missing': '22:21',
  'trusted-hosts-wildcard': '15:22',
  'trusted-hosts-wildcard-combined': '15:22',
  'unconstrained-delegation': '9:25',
  'unknown-forest': '8:13',
  'vdir-basic-authentication': '9:56',
  'vdir-windows-authentication': '9:58',
  'waiver-unknown-rule': '21:11',
  'ldap-domain-controller-unknown': '20:31',
  'unknown-account-domain': '12:20',
  'waiver-not-waivable': '10:11',
  'waiver-too-broad': '12:11',
  'waiver-unused': '21:5',
  'windows-path-too-long': '7:11',
};

interface RuleDoc {
  title: string;
  summary: string;
  table: string;
  bad: string;
  good: string;
  text: string;
}

function readDoc(id: string): RuleDoc {
  const text = readFileSync(join(repoRoot, 'docs', 'rules', `${id}.md`), 'utf8');
  const block = (name: string) => new RegExp(`^## ${name}\\n\\n\`\`\`yaml\\n([\\s\\S]*?)\`\`\`$`, 'm').exec(text)?.[1] ?? '';
  const lines = text.split('\n');
  return { title: lines[0] ?? '', summary: lines[2] ?? '', table: lines[6] ?? '', bad: block('Bad'), good: block('Good'), text };
}

async function located(text: string) {
  const { report, spec } = await checkText('spec.yaml', text, { today: GOLDEN_TODAY });
  return {
    spec,
    all: report.diagnostics,
    at: report.diagnostics.map((d) => {
      const p = report.source!.position(d.range.start);
      return { ruleId: d.ruleId, where: `${p.line}:${p.column}`, waived: d.waived !== undefined, message: d.message, hint: d.hint ?? '', host: d.host };
    }),
  };
}

describe('rule registry, modules and docs stay in step', () => {
  it('has at least 20 rules, sorted by ID in code point order, with unique kebab-case IDs', () => {
    const ids = rules.map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(20);
    expect(ids).toEqual([...ids].sort(byCodePoint));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('has one module per registered rule, named after its ID', async () => {
    expect(ruleFiles).toEqual(rules.map((r) => r.id));
    for (const file of ruleFiles) {
      const module = (await import(/* @vite-ignore */ pathToFileURL(join(repoRoot, 'src', 'rules', `${file}.ts`)).href)) as { rule: Rule };
      expect(module.rule.id).toBe(file);
      expect(rules).toContain(module.rule);
    }
  });

  it('has one doc per registered rule and no doc without a rule', () => {
    expect(docFiles).toEqual(rules.map((r) => r.id));
  });

  it('README lists every rule with its severity and one line, in registry order', () => {
    const rows = [...readFileSync(join(repoRoot, 'README.md'), 'utf8').matchAll(/^\| \[`([a-z0-9-]+)`\]\(docs\/rules\/([a-z0-9-]+)\.md\) \| (\w+) \| (.*) \|$/gm)];
    expect(rows.map((m) => [m[1], m[2], m[3], m[4]])).toEqual(rules.map((r) => [r.id, r.id, r.severity, r.description]));
  });

  for (const rule of rules) {
    describe(rule.id, () => {
      const doc = readDoc(rule.id);

      it('has metadata: one-line description, severity, source', () => {
        expect(['error', 'warning', 'info']).toContain(rule.severity);
        expect(rule.description).not.toContain('\n');
        expect(rule.description.length).toBeGreaterThan(20);
        expect(rule.source.length).toBeGreaterThan(5);
      });

      it(`doc says whether a finding can be waived (${rule.waivable === false ? 'it cannot' : 'it can'})`, () => {
        expect(doc.text.replace(/\s+/g, ' ').includes('This finding cannot be waived')).toBe(rule.waivable === false);
      });

      it('doc matches the registry and has rationale, bad and good examples', () => {
        expect(doc.title).toBe(`# ${rule.id}`);
        expect(doc.summary).toBe(rule.description);
        expect(doc.table).toBe(`| ${rule.severity} | ${rule.source} |`);
        expect(doc.text).toContain('## Why');
        expect(doc.bad).not.toBe('');
        expect(doc.good).not.toBe('');
        expect(doc.text).toMatch(/^[\x20-\x7e\n]*$/);
      });

      it(`bad example is reported at ${badExampleAt[rule.id]}`, async () => {
        const { spec, at } = await located(doc.bad);
        expect(spec, 'the bad example must pass the schema').toBeDefined();
        const mine = at.filter((d) => d.ruleId === rule.id);
        expect(mine.map((d) => d.where)).toEqual([badExampleAt[rule.id]]);
        expect(mine[0]!.hint.length).toBeGreaterThan(10);
      });

      it('good example passes the schema and has no unwaived finding', async () => {
        const { spec, at } = await located(doc.good);
        expect(spec, 'the good example must pass the schema').toBeDefined();
        expect(at.filter((d) => !d.waived)).toEqual([]);
      });
    });
  }
});
