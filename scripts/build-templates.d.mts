/** Digest over every template's name and bytes: what src/generated/templates.ts was built from. */
export function templatesDigest(dir?: string): string;
export function rendererSources(): string[];
export function rendererDigest(dir?: string): string;
