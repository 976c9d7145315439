import type { ExitCode, Io } from '../io.js';
import { EXIT_OK } from '../io.js';
import { printRefusal, renderSpec } from './render-spec.js';
import { checkOptionsOf } from '../../check.js';

/** Prints PLAN.md of one spec: the same bytes `generate` writes (rendered alone); nothing written. */
export async function runPlan(options: { spec: string; baseline?: string; today?: Date }, io: Io): Promise<ExitCode> {
  const outcome = await renderSpec(options.spec, io, { planOnly: true, ...checkOptionsOf(options) });
  if (!('rendered' in outcome)) {
    printRefusal([outcome.report], io, `no plan: fix the errors in ${options.spec} first.`);
    return outcome.code;
  }
  const { plan, files } = outcome.rendered;
  const planFile = files?.get(`${plan.environment.name}/PLAN.md`);
  if (!planFile) throw new Error('bug: the rendered map holds no PLAN.md');
  io.stdout(Buffer.from(planFile).toString('utf8'));
  return EXIT_OK;
}
