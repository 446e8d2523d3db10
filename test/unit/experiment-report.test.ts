/**
 * The outputs, end to end in simulation mode (no root needed): runs.csv, anova.md, the plots and
 * report.md, checked with the same checker the lab smoke test uses; and the CSV writer.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, readConfigFile } from '../../infra/experiment/config.js';
import { runDesign, type DesignResult } from '../../infra/experiment/experiment.js';
import { compareRuns, renderComparison } from '../../infra/experiment/report/compare.js';
import { csvLine, parseCsv } from '../../infra/experiment/report/csv.js';
import { writeReports } from '../../infra/experiment/report/index.js';
import { plotSpecs } from '../../infra/experiment/report/plots.js';
import { checkOutputs } from '../helpers/experiment-outputs.js';

describe('CSV', () => {
  it('quotes what needs quoting and parses back', () => {
    const line = csvLine(['a', 'b,c', 'say "hi"', 1.5, NaN, true, 'two\nlines']);
    expect(line).toBe('a,"b,c","say ""hi""",1.5,,true,"two\nlines"\n');
    expect(parseCsv(line)).toEqual([['a', 'b,c', 'say "hi"', '1.5', '', 'true', 'two\nlines']]);
  });
});

describe('plots the seed draws', () => {
  it('migration × placement by entry, by majority, and majority × entry', () => {
    const specs = plotSpecs(['migration', 'placement', 'entry', 'majority']);
    expect(specs.slice(0, 3).map((s) => `${s.x}/${s.trace}/${s.panel ?? ''}`)).toEqual(['migration/placement/entry', 'migration/placement/majority', 'majority/entry/']);
    // Every pair of factors is drawn once.
    expect(new Set(specs.map((s) => [s.x, s.trace].sort().join('|'))).size).toBe(6);
  });
});

describe('outputs of a whole experiment (smoke, simulated)', () => {
  let dir = '';
  let result: DesignResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zexp-report-'));
    const f = readConfigFile('smoke');
    const config = parseConfig({ ...(f.raw as object), mode: 'sim' }, f.source, f.dir);
    result = await runDesign({ config, mode: 'sim', outDir: dir, signal: new AbortController().signal });
    const again = await runDesign({ config, mode: 'sim', signal: new AbortController().signal });
    writeReports({ outDir: dir, config, mode: 'sim', result, comparison: compareRuns(result.design, result.records, again.records), command: 'test' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every file, well-formed', () => {
    const out = checkOutputs(dir, { runs: 8, factors: ['migration', 'placement', 'migration × placement'], mode: 'sim' });
    expect(out.svgs.sort()).toEqual(['interaction-migration-placement.svg', 'throughput-vs-bound.svg']);
    expect(out.rows.every((r) => Number(r.completed) > 0)).toBe(true);
    expect(out.report).toMatch(/The seed's claim/);
    expect(out.report).toMatch(/## Simulation vs lab/);
  });

  it('is deterministic in simulation: the same seed gives the same runs', async () => {
    const again = await runDesign({ config: parseConfig({ ...(readConfigFile('smoke').raw as object), mode: 'sim' }), mode: 'sim', signal: new AbortController().signal });
    expect(again.records.map((r) => r.measures)).toEqual(result.records.map((r) => r.measures));
    const c = compareRuns(result.design, result.records, again.records);
    expect(c.meanAbsPct).toBe(0);
    expect(c.effects.every((e) => e.sameOrder)).toBe(true);
    expect(renderComparison(c, 'x')).toMatch(/differ by 0\.0 %/);
  });

  it('reports an incomplete design instead of a wrong ANOVA', async () => {
    const part = mkdtempSync(join(tmpdir(), 'zexp-part-'));
    try {
      const config = parseConfig({ ...(readConfigFile('smoke').raw as object), mode: 'sim' });
      const r = await runDesign({ config, mode: 'sim', outDir: part, maxRuns: 3, signal: new AbortController().signal });
      expect(r.complete).toBe(false);
      writeReports({ outDir: part, config, mode: 'sim', result: r, command: 'test' });
      expect(readFileSync(join(part, 'anova.md'), 'utf8')).toMatch(/design is incomplete \(3 of 8 runs\)/);
      expect(readFileSync(join(part, 'report.md'), 'utf8')).toMatch(/\*\*incomplete\*\*/);
    } finally {
      rmSync(part, { recursive: true, force: true });
    }
  });

  it('with one replication says that nothing could be tested, not that nothing is significant', async () => {
    const one = mkdtempSync(join(tmpdir(), 'zexp-one-'));
    try {
      const config = parseConfig({ ...(readConfigFile('smoke').raw as object), mode: 'sim', replications: 1 });
      const r = await runDesign({ config, mode: 'sim', outDir: one, signal: new AbortController().signal });
      writeReports({ outDir: one, config, mode: 'sim', result: r, command: 'test' });
      const report = readFileSync(join(one, 'report.md'), 'utf8');
      expect(report).toMatch(/Interactions cannot be tested\. With one replication per cell there is no residual error term/);
      expect(report).not.toMatch(/No interaction is significant/);
    } finally {
      rmSync(one, { recursive: true, force: true });
    }
  });
});
