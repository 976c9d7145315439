import type { ScriptOf, ScriptPlan, TemplateName } from '../../src/plan/plan.js';

/** A type guard for scripts of one template: `steps.find(isScript('firewall'))` is typed by its data. */
export function isScript<K extends TemplateName>(template: K): (script: ScriptPlan) => script is ScriptOf<K> {
  return (script): script is ScriptOf<K> => script.template === template;
}

/** `script`, which must be rendered by `template`, typed by that template's data. */
export function scriptOf<K extends TemplateName>(script: ScriptPlan, template: K): ScriptOf<K> {
  if (!isScript(template)(script)) throw new Error(`${script.fileName} is rendered by ${script.template}, not ${template}`);
  return script;
}
