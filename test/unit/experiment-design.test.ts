/** The factorial design: every cell × every replication exactly once, in a seeded random order. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../infra/experiment/config.js';
import { cellsOf, makeDesign, shuffled } from '../../infra/experiment/design.js';

describe('full factorial', () => {
  const config = parseConfig({});
  const d = makeDesign(config);

  it('has 2 × 2 × 3 × 3 cells, last factor fastest, all distinct', () => {
    expect(d.cells).toHaveLength(36);
    expect(new Set(d.cells.map((c) => c.label)).size).toBe(36);
    expect(d.cells[0]?.levels).toEqual({ migration: 'off', placement: 'zinctask', entry: 'frodo', majority: 'long' });
    expect(d.cells[1]?.levels.majority).toBe('medium');
    expect(d.cells[3]?.levels.entry).toBe('grid010');
    expect(d.cells[35]?.levels).toEqual({ migration: 'on', placement: 'random', entry: 'aurora', majority: 'short' });
    expect(d.varied).toEqual(['migration', 'placement', 'entry', 'majority']);
  });

  it('plans every cell once per replication', () => {
    expect(d.runs).toHaveLength(72);
    const seen = new Set(d.runs.map((r) => `${r.cell.index}/${r.replication}`));
    expect(seen.size).toBe(72);
    expect(d.runs.map((r) => r.order)).toEqual(Array.from({ length: 72 }, (_, i) => i + 1));
  });

  it('runs them in a random order that the seed replays', () => {
    const again = makeDesign(config);
    expect(again.runs.map((r) => `${r.cell.index}/${r.replication}`)).toEqual(d.runs.map((r) => `${r.cell.index}/${r.replication}`));
    const other = makeDesign({ ...config, seed: config.seed + 1 });
    expect(other.runs.map((r) => r.cell.index)).not.toEqual(d.runs.map((r) => r.cell.index));
    // Not the standard order, and the replications are interleaved rather than blocked.
    const standard = [...d.runs].sort((a, b) => a.replication - b.replication || a.cell.index - b.cell.index);
    expect(d.runs.map((r) => r.cell.index)).not.toEqual(standard.map((r) => r.cell.index));
    expect(d.runs.slice(0, 36).some((r) => r.replication === 2)).toBe(true);
  });

  it('shares one workload seed per replication (common random numbers) and gives each run its own', () => {
    const byRep = new Map<number, Set<number>>();
    for (const r of d.runs) byRep.set(r.replication, (byRep.get(r.replication) ?? new Set()).add(r.workloadSeed));
    expect([...byRep.values()].map((s) => s.size)).toEqual([1, 1]);
    expect(byRep.get(1)).not.toEqual(byRep.get(2));
    expect(new Set(d.runs.map((r) => r.runSeed)).size).toBe(72);
  });

  it('holds single-level factors constant', () => {
    const small = makeDesign(parseConfig({ factors: { entry: ['aurora'], majority: ['short'] }, replications: 3 }));
    expect(small.cells).toHaveLength(4);
    expect(small.runs).toHaveLength(12);
    expect(small.varied).toEqual(['migration', 'placement']);
  });
});

describe('shuffle', () => {
  it('is a permutation and roughly uniform', () => {
    const counts = new Array<number>(4).fill(0);
    for (let s = 0; s < 4000; s++) {
      const p = shuffled([0, 1, 2, 3], s);
      expect([...p].sort()).toEqual([0, 1, 2, 3]);
      counts[p[0] ?? 0] = (counts[p[0] ?? 0] ?? 0) + 1;
    }
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });

  it('cellsOf handles any level counts', () => {
    expect(cellsOf({ migration: ['on'], placement: ['a', 'b', 'c'], entry: ['x'], majority: ['long', 'short'] })).toHaveLength(6);
  });
});
