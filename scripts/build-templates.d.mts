/** Digest over every template's name and bytes: what src/generated/templates.ts was built from. */
export function templatesDigest(dir?: string): string;
export function rendererSources(): string[];
/** How every template is precompiled (part of the renderer's digest). */
export const PRECOMPILE_OPTIONS: Readonly<{ strict: boolean; noEscape: boolean; knownHelpersOnly: boolean; knownHelpers: Readonly<Record<string, boolean>> }>;
export function rendererDigest(dir?: string, options?: Readonly<Record<string, unknown>>): string;
