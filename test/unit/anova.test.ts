import { describe, expect, it } from 'vitest';
import { anovaEffect, factorialAnova, type AnovaRow, type AnovaTable } from '../../infra/experiment/stats/anova.js';
import { renderAnovaMarkdown } from '../../infra/experiment/stats/anova-markdown.js';
import type { Observation } from '../../infra/experiment/stats/design.js';
import {
  AnovaDesignError,
  IncompleteDesignError,
  UnbalancedDesignError,
  UnknownEffectError,
} from '../../infra/experiment/stats/errors.js';
import { cellStats, marginalMeans } from '../../infra/experiment/stats/means.js';
import { battery, batteryLevels, bottling, bottlingLevels } from './fixtures/montgomery-doe.js';

function row(table: AnovaTable, source: string): AnovaRow {
  const r = table.rows.find((x) => x.source === source);
  if (r === undefined) throw new Error(`no row ${source}`);
  return r;
}

/** Published tables print rounded numbers: match to the printed number of decimals. */
function expectPrinted(actual: number | null, printed: number, decimals: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual ?? Number.NaN) - printed)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
}

describe('Montgomery Example 5.1 (battery life: material × temperature, n = 4)', () => {
  const table = factorialAnova(battery, ['material', 'temperature'], { levels: batteryLevels });

  it('has the 36 observations and the published structure', () => {
    expect(battery).toHaveLength(36);
    expect(table.n).toBe(36);
    expect(table.replicates).toBe(4);
    expect(table.rows.map((r) => r.source)).toEqual([
      'material',
      'temperature',
      'material × temperature',
      'Error',
      'Total',
    ]);
    expect(table.hasErrorTerm).toBe(true);
    expect(table.notes).toEqual([]);
  });

  it('reproduces the published sums of squares, df and F', () => {
    const expected: [string, number, number, number | null][] = [
      ['material', 10683.72, 2, 7.91],
      ['temperature', 39118.72, 2, 28.97],
      ['material × temperature', 9613.78, 4, 3.56],
      ['Error', 18230.75, 27, null],
      ['Total', 77646.97, 35, null],
    ];
    for (const [source, ss, df, f] of expected) {
      const r = row(table, source);
      expectPrinted(r.ss, ss, 2);
      expect(r.df).toBe(df);
      if (f === null) expect(r.f).toBeNull();
      else expectPrinted(r.f, f, 2);
    }
    expectPrinted(row(table, 'Error').ms, 675.21, 2);
  });

  it('reproduces the published p-values (0.0020, < 0.0001, 0.0186)', () => {
    expectPrinted(row(table, 'material').p, 0.002, 4);
    expect(row(table, 'temperature').p).toBeLessThan(0.0001);
    expectPrinted(row(table, 'material × temperature').p, 0.0186, 4);
  });

  it('partitions the corrected total exactly', () => {
    const parts = table.rows.filter((r) => r.kind !== 'total').reduce((a, r) => a + r.ss, 0);
    expect(parts).toBeCloseTo(row(table, 'Total').ss, 8);
    expect(table.grandMean).toBeCloseTo(105.5278, 4);
  });

  it('reports partial eta squared as SS / (SS + SS_error)', () => {
    expect(row(table, 'material').partialEtaSquared).toBeCloseTo(10683.72 / (10683.72 + 18230.75), 4);
    expect(row(table, 'Error').partialEtaSquared).toBeNull();
  });

  it('gives the cell means of the example', () => {
    const cells = cellStats(battery, ['material', 'temperature'], batteryLevels);
    expect(cells).toHaveLength(9);
    expect(cells[0]).toMatchObject({ levels: { material: '1', temperature: '15' }, n: 4, mean: 134.75 });
    expect(cells.map((c) => c.mean)).toEqual([134.75, 57.25, 57.5, 155.75, 119.75, 49.5, 144, 145.75, 85.5]);
    expect(cells[0]?.sd).toBeCloseTo(45.353, 3);
    expect(cells[0]?.se).toBeCloseTo(45.353 / 2, 3);
  });

  it('gives marginal means for any subset of factors, in level order', () => {
    const byTemp = marginalMeans(battery, ['temperature'], batteryLevels);
    expect(byTemp.map((g) => g.levels['temperature'])).toEqual(['15', '70', '125']);
    expect(byTemp[0]?.mean).toBeCloseTo(144.8333, 4);
    expect(byTemp[0]?.n).toBe(12);
    const grand = marginalMeans(battery, []);
    expect(grand).toHaveLength(1);
    expect(grand[0]?.mean).toBeCloseTo(table.grandMean, 10);
  });

  it('finds effects by factor set in any order', () => {
    expect(anovaEffect(table, ['temperature', 'material']).df).toBe(4);
    expect(() => anovaEffect(table, ['speed'])).toThrow(UnknownEffectError);
  });

  it('does not depend on the order of the rows', () => {
    const shuffled = [...battery].reverse();
    const again = factorialAnova(shuffled, ['material', 'temperature'], { levels: batteryLevels });
    again.rows.forEach((r, i) => expect(r.ss).toBeCloseTo(table.rows[i]?.ss ?? Number.NaN, 8));
  });

  it('renders a Markdown table with significance marked', () => {
    const md = renderAnovaMarkdown(table);
    const lines = md.split('\n');
    expect(lines[0]).toBe('| Source | SS | df | MS | F | p | partial η² |');
    expect(lines[1]).toBe('| :--- | ---: | ---: | ---: | ---: | ---: | ---: |');
    expect(lines[2]).toBe('| material | 10683.72 | 2 | 5341.86 | 7.91 | **0.0020** | 0.369 |');
    expect(lines[3]).toContain('| **< 0.0001** |');
    expect(lines[4]).toContain('| material × temperature | 9613.78 | 4 | 2403.44 | 3.56 | **0.0186** |');
    expect(lines[5]).toBe('| Error | 18230.75 | 27 | 675.21 |  |  |  |');
    expect(lines[6]).toBe('| Total | 77646.97 | 35 |  |  |  |  |');
    expect(md).toContain('Bold p: significant at α = 0.05');
  });
});

describe('Montgomery Example 5.3 (bottling: carbonation × pressure × speed, n = 2)', () => {
  const table = factorialAnova(bottling, ['carbonation', 'pressure', 'speed'], { levels: bottlingLevels });

  it('lists main effects, two-way and three-way interactions in order', () => {
    expect(table.rows.map((r) => r.source)).toEqual([
      'carbonation',
      'pressure',
      'speed',
      'carbonation × pressure',
      'carbonation × speed',
      'pressure × speed',
      'carbonation × pressure × speed',
      'Error',
      'Total',
    ]);
  });

  it('reproduces the published table (SS, df, F)', () => {
    // [source, SS, df, F] as in Montgomery's ANOVA table for this example (SS and F to 3 decimals).
    const expected: [string, number, number, number | null][] = [
      ['carbonation', 252.75, 2, 178.412],
      ['pressure', 45.375, 1, 64.059],
      ['speed', 22.042, 1, 31.118],
      ['carbonation × pressure', 5.25, 2, 3.706],
      ['carbonation × speed', 0.583, 2, 0.412],
      ['pressure × speed', 1.042, 1, 1.471],
      ['carbonation × pressure × speed', 1.083, 2, 0.765],
      ['Error', 8.5, 12, null],
      ['Total', 336.625, 23, null],
    ];
    for (const [source, ss, df, f] of expected) {
      const r = row(table, source);
      expectPrinted(r.ss, ss, 3);
      expect(r.df).toBe(df);
      if (f === null) expect(r.f).toBeNull();
      else expectPrinted(r.f, f, 3);
    }
    // The SAS listing of the same data: model SS 328.125 on 11 df, overall F = 42.11.
    const model = table.rows.filter((r) => r.kind === 'effect');
    const ssModel = model.reduce((a, r) => a + r.ss, 0);
    expect(ssModel).toBeCloseTo(328.125, 9);
    expectPrinted(ssModel / 11 / (row(table, 'Error').ms ?? Number.NaN), 42.11, 2);
  });

  it('gives p-values that match an independent computation', () => {
    // The p column was not recoverable from a citable copy of the book, so these reference
    // values come from SciPy (scipy.stats.f.sf with the F and df above), an independent
    // implementation of the F upper tail.
    const reference: [string, number][] = [
      ['carbonation', 1.186248727519691e-9],
      ['pressure', 3.742256863303337e-6],
      ['speed', 1.2021739910699656e-4],
      ['carbonation × pressure', 0.05580811647129283],
      ['carbonation × speed', 0.6714938553663753],
      ['pressure × speed', 0.24858668974961834],
      ['carbonation × pressure × speed', 0.48687109132635087],
    ];
    for (const [source, p] of reference) {
      const actual = row(table, source).p ?? Number.NaN;
      expect(Math.abs(actual - p) / p).toBeLessThan(1e-9);
    }
  });
});

describe('a 2^3 design checked by hand', () => {
  // Yates' order (1), a, b, ab, c, ac, bc, abc with two replicates; the totals below give the
  // contrasts by hand: SS = contrast² / (n · 2^k) = contrast² / 16.
  const runs: [string, string, string, number, number][] = [
    ['-', '-', '-', 1, 3], // (1) total 4
    ['+', '-', '-', 6, 8], // a   total 14
    ['-', '+', '-', 2, 2], // b   total 4
    ['+', '+', '-', 9, 11], // ab  total 20
    ['-', '-', '+', 4, 4], // c   total 8
    ['+', '-', '+', 7, 9], // ac  total 16
    ['-', '+', '+', 5, 3], // bc  total 8
    ['+', '+', '+', 13, 15], // abc total 28
  ];
  const rows: Observation[] = runs.flatMap(([a, b, c, y1, y2]) => [
    { factors: { A: a, B: b, C: c }, y: y1 },
    { factors: { A: a, B: b, C: c }, y: y2 },
  ]);
  const levels = { A: ['-', '+'], B: ['-', '+'], C: ['-', '+'] };
  const table = factorialAnova(rows, ['A', 'B', 'C'], { levels });
  // Totals: (1)=4 a=14 b=4 ab=20 c=8 ac=16 bc=8 abc=28.
  // Contrast A  = a+ab+ac+abc − (1)−b−c−bc      = 78 − 24 = 54 → SS 182.25
  // Contrast B  = b+ab+bc+abc − (1)−a−c−ac      = 60 − 42 = 18 → SS 20.25
  // Contrast C  = c+ac+bc+abc − (1)−a−b−ab      = 60 − 42 = 18 → SS 20.25
  // Contrast AB = (1)+ab+c+abc − a−b−ac−bc      = 60 − 42 = 18 → SS 20.25
  // Contrast AC = (1)+b+ac+abc − a−ab−c−bc      = 52 − 50 = 2  → SS 0.25
  // Contrast BC = (1)+a+bc+abc − b−ab−c−ac      = 54 − 48 = 6  → SS 2.25
  // Contrast ABC = a+b+c+abc − (1)−ab−ac−bc     = 54 − 48 = 6  → SS 2.25
  // Error: each pair differs by 2 except (1) 2, b 0, c 0, bc 2 → 8 pairs' SS = d²/2: 2,2,0,2,0,2,2,2 = 12
  it('matches the contrast sums of squares', () => {
    const expected: [string, number][] = [
      ['A', 182.25],
      ['B', 20.25],
      ['C', 20.25],
      ['A × B', 20.25],
      ['A × C', 0.25],
      ['B × C', 2.25],
      ['A × B × C', 2.25],
      ['Error', 12],
    ];
    for (const [source, ss] of expected) expect(row(table, source).ss).toBeCloseTo(ss, 10);
    expect(row(table, 'Error').df).toBe(8);
    expect(row(table, 'A').f).toBeCloseTo(182.25 / 1.5, 10);
    const total = rows.reduce((a, r) => a + r.y, 0) / rows.length;
    const ssTotal = rows.reduce((a, r) => a + (r.y - total) ** 2, 0);
    expect(row(table, 'Total').ss).toBeCloseTo(ssTotal, 10);
  });
});

describe('one-way and four-way designs', () => {
  it('one factor: the classical one-way ANOVA', () => {
    // Groups {1,2,3}, {4,5,6}: SS_between = 3·(2−3.5)² + 3·(5−3.5)² = 13.5, SS_within = 4.
    const rows: Observation[] = [1, 2, 3, 4, 5, 6].map((y) => ({ factors: { g: y <= 3 ? 'a' : 'b' }, y }));
    const table = factorialAnova(rows, ['g']);
    expect(table.rows.map((r) => r.source)).toEqual(['g', 'Error', 'Total']);
    expect(row(table, 'g').ss).toBeCloseTo(13.5, 12);
    expect(row(table, 'g').f).toBeCloseTo(13.5, 12);
    expect(row(table, 'Error').ss).toBeCloseTo(4, 12);
  });

  it('four factors (the zinc experiment shape): 15 effects, partition holds', () => {
    const levels = {
      checkpointing: ['yes', 'no'],
      placement: ['zinctask', 'random'],
      entry: ['frodo', 'grid010', 'aurora'],
      length: ['long', 'medium', 'short'],
    };
    // Deterministic pseudo-data: an additive model plus a fixed "noise" pattern.
    const rows: Observation[] = [];
    let seed = 7;
    const noise = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 - 0.5;
    };
    levels.checkpointing.forEach((c, ci) =>
      levels.placement.forEach((p, pi) =>
        levels.entry.forEach((e, ei) =>
          levels.length.forEach((l, li) => {
            for (let r = 0; r < 2; r++) {
              rows.push({
                factors: { checkpointing: c, placement: p, entry: e, length: l },
                y: 20 + 3 * ci + 5 * pi + ei * li + noise(),
              });
            }
          }),
        ),
      ),
    );
    const factors = ['checkpointing', 'placement', 'entry', 'length'];
    const table = factorialAnova(rows, factors, { levels });
    const effects = table.rows.filter((r) => r.kind === 'effect');
    expect(effects).toHaveLength(15);
    expect(effects[14]?.source).toBe('checkpointing × placement × entry × length');
    expect(effects[14]?.df).toBe(4);
    expect(row(table, 'Error').df).toBe(36);
    const dfSum = table.rows.filter((r) => r.kind !== 'total').reduce((a, r) => a + r.df, 0);
    expect(dfSum).toBe(row(table, 'Total').df);
    const ssSum = table.rows.filter((r) => r.kind !== 'total').reduce((a, r) => a + r.ss, 0);
    expect(ssSum).toBeCloseTo(row(table, 'Total').ss, 8);
    // The built-in entry × length interaction dominates the noise.
    expect(anovaEffect(table, ['entry', 'length']).p).toBeLessThan(1e-6);
  });
});

describe('design validation', () => {
  it('names the missing cells', () => {
    const rows = battery.filter((r) => !(r.factors['material'] === '2' && r.factors['temperature'] === '70'));
    expect(() => factorialAnova(rows, ['material', 'temperature'], { levels: batteryLevels })).toThrow(
      IncompleteDesignError,
    );
    expect(() => factorialAnova(rows, ['material', 'temperature'], { levels: batteryLevels })).toThrow(
      /1 of 9 cells have no observations: \(material=2, temperature=70\)/,
    );
  });

  it('names the unbalanced cells and their counts', () => {
    const rows = battery.slice(1); // drops one observation of material=1, temperature=15
    let caught: unknown;
    try {
      factorialAnova(rows, ['material', 'temperature'], { levels: batteryLevels });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UnbalancedDesignError);
    expect((caught as UnbalancedDesignError).code).toBe('ANOVA_DESIGN_UNBALANCED');
    expect((caught as Error).message).toBe(
      'the design is unbalanced: most cells have 4 replication(s) but (material=1, temperature=15) has 3',
    );
  });

  it('rejects bad input with a clear reason', () => {
    expect(() => factorialAnova(battery, [])).toThrow(AnovaDesignError);
    expect(() => factorialAnova(battery, ['material', 'material'])).toThrow(/listed twice/);
    expect(() => factorialAnova(battery, ['material', 'humidity'])).toThrow(/no level for factor "humidity"/);
    expect(() => factorialAnova([{ factors: { g: 'a' }, y: Number.NaN }], ['g'])).toThrow(/not a finite number/);
    const oneLevel = battery.filter((r) => r.factors['material'] === '1');
    expect(() => factorialAnova(oneLevel, ['material', 'temperature'])).toThrow(/only one level/);
    expect(() =>
      factorialAnova(battery, ['material', 'temperature'], { levels: { material: ['1', '2'] } }),
    ).toThrow(/not in its level order/);
  });

  it('with one replication there is no error term: F and p are null, and it says so', () => {
    const single = cellStats(battery, ['material', 'temperature'], batteryLevels).map((c) => ({
      factors: c.levels,
      y: c.mean,
    }));
    const table = factorialAnova(single, ['material', 'temperature'], { levels: batteryLevels });
    expect(table.replicates).toBe(1);
    expect(table.hasErrorTerm).toBe(false);
    expect(row(table, 'Error')).toMatchObject({ ss: 0, df: 0, ms: null });
    for (const r of table.rows.filter((x) => x.kind === 'effect')) {
      expect(r.f).toBeNull();
      expect(r.p).toBeNull();
      expect(r.partialEtaSquared).toBeNull();
    }
    // SS are those of the cell means: a quarter of Example 5.1's effect SS.
    expect(row(table, 'material').ss).toBeCloseTo(10683.72 / 4, 1);
    expect(table.notes[0]).toMatch(/no residual error term/);
    const md = renderAnovaMarkdown(table);
    expect(md).toContain('| material | 2670.93 | 2 | 1335.47 | — | — | — |');
    expect(md).toMatch(/no residual error term/);
  });

  it('zero residual variance leaves F undefined instead of infinite', () => {
    const rows: Observation[] = ['a', 'a', 'b', 'b'].map((g, i) => ({ factors: { g }, y: i < 2 ? 1 : 2 }));
    const table = factorialAnova(rows, ['g']);
    expect(table.hasErrorTerm).toBe(false);
    expect(row(table, 'g').f).toBeNull();
    expect(table.notes[0]).toMatch(/residual mean square is zero/);
  });

  it('escapes pipes in factor names in Markdown', () => {
    const rows: Observation[] = [1, 2, 3, 4].map((y) => ({ factors: { 'a|b': y <= 2 ? 'x' : 'y' }, y }));
    expect(renderAnovaMarkdown(factorialAnova(rows, ['a|b']))).toContain('| a\\|b |');
  });
});
