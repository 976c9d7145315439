import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { contextText, plainDataProblem } from '../src/shared/context-text.js';

describe('the context text of an input digest', () => {
  it('is the JSON of plain data', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(plainDataProblem(value)).toBeUndefined();
        expect(contextText(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });

  it('refuses what JSON would write like other data, naming where it is', () => {
    const cases: [unknown, string][] = [
      [{ data: { when: new Date(0) } }, 'data.when holds a Date'],
      [{ data: { seen: new Map() } }, 'data.seen holds a Map'],
      [{ data: { ports: new Set([1]) } }, 'data.ports holds a Set'],
      [{ data: { port: undefined } }, 'data.port holds undefined'],
      [{ data: { port: Number.NaN } }, 'data.port holds the number NaN'],
      [{ data: { port: Number.POSITIVE_INFINITY } }, 'data.port holds the number Infinity'],
      [{ data: { list: [1, undefined] } }, 'data.list[1] holds undefined'],
      // A hole in an array reads as undefined: JSON would write null there.
      [{ data: { list: [1, , 3] } }, 'data.list[1] holds undefined'],
      [{ data: { render: () => 'x' } }, 'data.render holds a function'],
      [{ data: { id: 1n } }, 'data.id holds a bigint'],
      [undefined, '(root) holds undefined'],
    ];
    for (const [value, problem] of cases) {
      expect(plainDataProblem(value)).toBe(problem);
      expect(() => contextText(value)).toThrow(`bug: template data is not plain data: ${problem}`);
    }
  });

  it('accepts objects without a prototype, which JSON writes like plain ones', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    expect(contextText({ bare })).toBe('{"bare":{"a":1}}');
  });

  it('keeps key order, which a template iterating an object sees', () => {
    expect(contextText({ a: 1, b: 2 })).not.toBe(contextText({ b: 2, a: 1 }));
  });
});
