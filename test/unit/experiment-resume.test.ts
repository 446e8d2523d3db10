/** `zinc-experiment run --resume`: the run journal keeps finished runs, and a resumed design equals an uninterrupted one. */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig, readConfigFile, type ExperimentConfig } from '../../infra/experiment/config.js';
import { runDesign } from '../../infra/experiment/experiment.js';
import { JOURNAL_FILE, RunJournal } from '../../infra/experiment/journal.js';
import type { RunRecord } from '../../infra/experiment/records.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'zexp-resume-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function smoke(patch: Record<string, unknown> = {}): ExperimentConfig {
  return parseConfig({ ...(readConfigFile('smoke').raw as object), mode: 'sim', ...patch });
}

async function run(config: ExperimentConfig, outDir: string, journal: RunJournal, maxRuns?: number) {
  return runDesign({ config, mode: 'sim', outDir, journal, maxRuns, signal: new AbortController().signal });
}

const byOrder = (rs: readonly RunRecord[]) => [...rs].sort((a, b) => a.order - b.order).map((r) => [r.order, r.cell.label, r.measures.throughput, r.measures.completed]);

describe('run journal and --resume', () => {
  const config = smoke();

  it('a design stopped after 3 runs and resumed ends with the same runs as one that was never stopped', async () => {
    const whole = tempDir();
    const full = await run(config, whole, RunJournal.open(whole, config, 'sim', false));

    const part = tempDir();
    const first = await run(config, part, RunJournal.open(part, config, 'sim', false), 3);
    expect(first.complete).toBe(false);
    const journal = RunJournal.open(part, config, 'sim', true);
    expect(journal.previous.map((r) => r.order)).toEqual([1, 2, 3]);
    const resumed = await run(config, part, journal);
    expect(resumed.complete).toBe(true);
    expect(resumed.resumed).toBe(3);
    expect(byOrder(resumed.records)).toEqual(byOrder(full.records));
    // runs.csv lists every run once, the resumed ones included.
    const rows = readFileSync(join(part, 'runs.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(full.records.length);
  });

  it('without --resume, a directory with finished runs is refused and left as it was', async () => {
    const d = tempDir();
    await run(config, d, RunJournal.open(d, config, 'sim', false), 2);
    const before = readFileSync(join(d, JOURNAL_FILE), 'utf8');
    expect(() => RunJournal.open(d, config, 'sim', false)).toThrow(
      expect.objectContaining({ code: 'EXPERIMENT_OUTPUT_EXISTS', message: `${d} already holds 2 finished runs of an experiment` }),
    );
    expect(readFileSync(join(d, JOURNAL_FILE), 'utf8')).toBe(before);
  });

  it('refuses to resume a different design, naming the setting that differs', async () => {
    const d = tempDir();
    await run(config, d, RunJournal.open(d, config, 'sim', false), 1);
    expect(() => RunJournal.open(d, smoke({ replications: 3 }), 'sim', true)).toThrow(
      expect.objectContaining({ code: 'EXPERIMENT_RESUME_MISMATCH', message: expect.stringMatching(/its runs used replications = 2, this command 3/) }),
    );
    expect(() => RunJournal.open(d, config, 'lab', true)).toThrow(expect.objectContaining({ message: expect.stringMatching(/mode = "sim", this command "lab"/) }));
    expect(() => RunJournal.open(tempDir(), config, 'sim', true)).toThrow(expect.objectContaining({ message: expect.stringMatching(/has no runs\.jsonl/) }));
  });

  it('a run cut short while being written is run again; NaN measures survive the round trip', async () => {
    const d = tempDir();
    const j = RunJournal.open(d, config, 'sim', false);
    const r = (await run(config, d, j, 1)).records[0] as RunRecord;
    j.append({ ...r, order: 2, measures: { ...r.measures, meanSlowdown: Number.NaN } });
    appendFileSync(join(d, JOURNAL_FILE), '{"kind":"run","record":{"order":3,"cel');
    const again = RunJournal.open(d, config, 'sim', true);
    expect(again.previous.map((x) => x.order)).toEqual([1, 2]);
    expect(again.previous[1]?.measures.meanSlowdown).toBeNaN();
    expect(readFileSync(join(d, JOURNAL_FILE), 'utf8').endsWith('}\n')).toBe(true);
  });
});
