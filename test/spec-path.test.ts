import { describe, expect, it } from 'vitest';
import { specDisplayPath } from '../src/cli/commands/spec-path.js';

describe('specDisplayPath', () => {
  it('names the spec relative to the working folder, with forward slashes, never absolute', () => {
    expect(specDisplayPath('/repo', 'examples/a.yaml')).toBe('examples/a.yaml');
    expect(specDisplayPath('/repo', '/repo/envs/prod.yaml')).toBe('envs/prod.yaml');
    expect(specDisplayPath('/repo/sub', '../envs/prod.yaml')).toBe('../envs/prod.yaml');
    expect(specDisplayPath('/repo', '/repo')).not.toMatch(/^\//);
  });
});
