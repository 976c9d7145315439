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
      [{ data: { port: Number.NaN } }, 'data.port holds the number NaN'],
      [{ data: { port: Number.POSITIVE_INFINITY } }, 'data.port holds the number Infinity'],
      [{ data: { render: () => 'x' } }, 'data.render holds a function'],
      [{ data: { id: 1n } }, 'data.id holds a bigint'],
      // JSON.stringify would write what these toJSON methods return, whatever the data.
      [{ data: { host: { name: 'a', toJSON: () => 'b' } } }, 'data.host has a toJSON method'],
      [{ data: { list: Object.assign([1], { toJSON: () => [2] }) } }, 'data.list has a toJSON method'],
      [{ data: { list: Object.defineProperty({ a: 1 }, 'toJSON', { value: () => ({}), enumerable: false }) } }, 'data.list has a toJSON method'],
      [{ data: { list: new (class Ports extends Array<number> {})() } }, 'data.list holds a Ports'],
    ];
    for (const [value, problem] of cases) {
      expect(plainDataProblem(value)).toBe(problem);
      expect(() => contextText(value)).toThrow(`bug: template data is not plain data: ${problem}`);
    }
  });

  it('tells undefined from absent and from null, as a strict template does', () => {
    const texts = [{ a: undefined }, {}, { a: null }, [undefined], [null], [], [1, , 3], [1, null, 3], undefined].map(contextText);
    expect(new Set(texts).size).toBe(texts.length);
    // A hole in an array reads as undefined, as a template sees it.
    expect(contextText([1, , 3])).toBe(contextText([1, undefined, 3]));
    // Plain data without undefined is written as JSON writes it.
    expect(contextText({ a: [1, 'x', null] })).toBe('{"a":[1,"x",null]}');
  });

  it('accepts objects without a prototype, which JSON writes like plain ones', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    expect(contextText({ bare })).toBe('{"bare":{"a":1}}');
  });

  it('keeps key order, which a template iterating an object sees', () => {
    expect(contextText({ a: 1, b: 2 })).not.toBe(contextText({ b: 2, a: 1 }));
  });

  it('refuses exactly what the walk that names the place refuses (the digests take a quicker walk)', () => {
    const odd = fc.constantFrom<unknown>(new Map(), new Date(0), Number.NaN, Infinity, () => 1, { toJSON: () => 1 }, new (class Port {})(), undefined, 1n);
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), odd, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 3 }), tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const problem = plainDataProblem(v);
        if (problem === undefined) expect(() => contextText(v)).not.toThrow();
        else expect(() => contextText(v)).toThrow(`bug: template data is not plain data: ${problem}`);
      }),
      { numRuns: 500, seed: 20261201 },
    );
  });
});
