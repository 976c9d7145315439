import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { estateShape, syntheticEstate } from '../bench/estate.js';
import { checkText } from '../src/index.js';
import { GOLDEN_TODAY } from './helpers/generate.js';

interface Estate {
  forests: { domainControllers: unknown[] }[];
  exchange: { forest: string }[];
  syncServers: { connections: unknown[] }[];
}

describe('synthetic estates for the benchmark', () => {
  for (const hosts of [10, 100, 1_000]) {
    it(`writes a clean spec of exactly ${hosts} hosts`, async () => {
      const text = syntheticEstate(hosts);
      const { report, spec } = await checkText(`estate-${hosts}.yaml`, text, { today: GOLDEN_TODAY });
      expect(report.diagnostics).toEqual([]);
      expect(spec).toBeDefined();
      const estate = parse(text) as Estate;
      const dcs = estate.forests.reduce((n, f) => n + f.domainControllers.length, 0);
      expect(dcs + estate.exchange.length + estate.syncServers.length).toBe(hosts);
      const shape = estateShape(hosts);
      // Several forests with Exchange servers in each, and sync servers reaching every one.
      expect(new Set(estate.exchange.map((e) => e.forest)).size).toBe(shape.targetForests);
      expect(estate.syncServers.every((s) => s.connections.length === shape.targetForests)).toBe(true);
    });
  }

  it('scales forests and sync servers with the estate', () => {
    expect(estateShape(5_000)).toMatchObject({ hosts: 5_000, targetForests: 50, syncServers: 20 });
    expect(estateShape(10)).toMatchObject({ targetForests: 2, syncServers: 1 });
  });
});
