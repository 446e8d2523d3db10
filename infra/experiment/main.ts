#!/usr/bin/env node
/**
 * zinc-experiment: reruns the seed's throughput study (and larger ones) with one command.
 *
 *   zinc-experiment run CONFIG [--out DIR] [--mode lab|sim] [--replications N] [--quick] [--runs N]
 *   zinc-experiment calibrate CONFIG [--out DIR] [--repeats N]
 *   zinc-experiment configs
 *   zinc-experiment nd-sim …            (the Name Dropper simulator)
 *
 * CONFIG is a JSON file or the name of a shipped configuration (smoke, seed, placement, large-sim). See
 * docs/experiment.md.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { ZincError, errorMessage } from '../../daemon/common/zinc-error.js';
import { installRoot } from '../lab/paths.js';
import { calibrate } from './calibrate.js';
import { labFitProblem, parseConfig, readConfigFile, SHIPPED_CONFIGS, shippedConfigDir, type ExperimentConfig } from './config.js';
import { ExperimentUsageError, LabUnavailableError } from './errors.js';
import { runDesign } from './experiment.js';
import { RunJournal } from './journal.js';
import { ndSimCommand } from './nd-sim/index.js';
import { createProgress } from './progress.js';
import { compareRuns } from './report/compare.js';
import { writeReports } from './report/index.js';
import type { RunRecord } from './records.js';
import { migrationMs, type RescaledModel } from './sim/migration-cost.js';
import { Network } from './sim/network.js';

const runFlags = z
  .object({
    out: z.string().min(1).optional(),
    mode: z.enum(['lab', 'sim']).optional(),
    replications: z.coerce.number().int().min(1).max(1000).optional(),
    quick: z.boolean().default(false),
    runs: z.coerce.number().int().min(1).optional(),
    keepLogs: z.boolean().default(false),
    compare: z.boolean().default(true),
    resume: z.boolean().default(false),
  })
  .strict();

function parseFlags<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ExperimentUsageError(`--${i?.path.join('.') ?? '?'}: ${i?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** The configuration with the command line's overrides applied, validated once. */
function configWith(pathOrName: string, patch: (raw: Record<string, unknown>) => void): ExperimentConfig {
  const f = readConfigFile(pathOrName);
  const raw = (typeof f.raw === 'object' && f.raw !== null ? { ...(f.raw as Record<string, unknown>) } : {}) as Record<string, unknown>;
  patch(raw);
  return parseConfig(raw, f.source, f.dir);
}

/** --quick: every window a third as long (and at least a few seconds): a fast look, not a result. */
function quickWindow(raw: Record<string, unknown>): void {
  const w = (typeof raw.window === 'object' && raw.window !== null ? raw.window : {}) as Record<string, number | undefined>;
  const third = (x: number | undefined, dflt: number, min: number): number => Math.max(min, Math.round((x ?? dflt) / 3));
  raw.window = {
    ...w,
    arrivalS: third(w.arrivalS, 85, 10),
    warmupS: third(w.warmupS, 25, 2),
    drainLimitS: third(w.drainLimitS, 30, 5),
    ...(w.cutoffS !== undefined ? { cutoffS: third(w.cutoffS, 85, 10) } : {}),
  };
}

function requireLab(config: ExperimentConfig): void {
  if (process.getuid?.() !== 0) throw new LabUnavailableError('the lab needs root (network namespaces, cgroups)');
  const root = installRoot();
  for (const f of ['dist/daemon/main.js', 'dist/cli/main.js', 'build/zinc-shim', 'build/zinc-relay', 'build/zinc-testjob']) {
    if (!existsSync(join(root, f))) throw new LabUnavailableError(`${f} is missing (run node scripts/build.mjs)`);
  }
  const problem = labFitProblem(config);
  if (problem) throw new LabUnavailableError(problem);
}

function defaultOut(name: string): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return resolve('results', `${name}-${t}`);
}

/** Ctrl-C / SIGTERM abort the experiment; the lab is always removed before the process exits. */
function abortOnSignals(log: (line: string) => void): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (ac.signal.aborted) {
      log(`${sig} again: still removing the lab; wait a few seconds (or run zinc-lab down --name <lab>)`);
      return;
    }
    log(`${sig}: stopping after cleaning up (removing the lab)…`);
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

async function runCommand(configArg: string, rawFlags: unknown): Promise<number> {
  const flags = parseFlags(runFlags, rawFlags);
  const config = configWith(configArg, (raw) => {
    if (flags.mode) raw.mode = flags.mode;
    if (flags.replications !== undefined) raw.replications = flags.replications;
    if (flags.quick) quickWindow(raw);
  });
  const mode = config.mode;
  if (mode === 'lab') requireLab(config);
  if (flags.resume && !flags.out) throw new ExperimentUsageError('--resume needs --out DIR: the directory of the experiment to continue');
  const outDir = resolve(flags.out ?? defaultOut(config.name));
  mkdirSync(outDir, { recursive: true });
  // Opened before anything is written: it refuses to overwrite finished runs without --resume.
  const journal = RunJournal.open(outDir, config, mode, flags.resume);
  const say = (line: string): void => {
    process.stderr.write(`zinc-experiment: ${line}\n`);
  };
  const runs = flags.runs;
  const total = Math.min(runs ?? Infinity, config.replications * cellCount(config));
  const resumed = journal.finishedAmongFirst(total).length;
  say(`${config.name}: ${mode} mode, ${total} runs${resumed ? ` (${resumed} already finished, resumed)` : ''}, output in ${outDir}`);
  const { signal, dispose } = abortOnSignals(say);
  const perRunMs = mode === 'lab' ? (config.window.arrivalS + config.window.drainLimitS * 0.6 + 8) * 1000 : 1000;
  const progress = createProgress({ total, done: resumed, plannedRunMs: perRunMs });
  try {
    const result = await runDesign({ config, mode, outDir, maxRuns: runs, signal, progress, keepLogs: flags.keepLogs, journal });
    progress.stop();
    let comparison;
    let refit;
    if (mode === 'lab' && flags.compare && result.records.length > 0 && !signal.aborted) {
      // The simulator's migration cost, refitted to the migrations these very runs made (the
      // machine under load), when there are enough of them; else the configuration's calibration.
      refit = rescaleMigrationModel(config, result.records);
      const simConfig: ExperimentConfig = { ...config, mode: 'sim', sim: { ...config.sim, migration: refit?.model ?? config.sim.migration } };
      say('simulating the same design for the comparison with the lab');
      const sim = await runDesign({ config: simConfig, mode: 'sim', outDir, csvName: 'sim-runs.csv', maxRuns: result.records.length, signal });
      comparison = compareRuns(result.design, result.records, sim.records);
    }
    const command = ['zinc-experiment', 'run', configArg, ...process.argv.slice(4)].join(' ');
    const written = writeReports({ outDir, config, mode, result, comparison, comparisonModel: refit, command });
    say(`wrote ${written.files.length} files to ${outDir} (report.md, anova.md, runs.csv, plots/)`);
    if (signal.aborted) return 130;
    return 0;
  } finally {
    progress.stop();
    dispose();
  }
}

/**
 * The configuration's (idle-lab) migration model, rescaled to the migrations these lab runs made:
 * under the experiment's own load every phase is slower, by about the same factor. One factor,
 * the median of observed ÷ predicted, is well determined even by a handful of migrations, where a
 * four-coefficient refit on contended, uneven samples is not.
 */
function rescaleMigrationModel(config: ExperimentConfig, records: readonly RunRecord[]): RescaledModel | undefined {
  const net = new Network(config.topology, config.sim.lanRateUnlimited);
  const base = config.sim.migration;
  const ratios = records
    .flatMap((r) => r.migrations)
    .map((m) => m.ms / migrationMs(base, m.bytes, net.path(m.fromDomain, m.toDomain)))
    .filter((x) => Number.isFinite(x) && x > 0)
    .sort((a, b) => a - b);
  if (ratios.length < 3) return undefined;
  const mid = ratios.length / 2;
  const factor = ratios.length % 2 ? (ratios[Math.floor(mid)] ?? 1) : ((ratios[mid - 1] ?? 1) + (ratios[mid] ?? 1)) / 2;
  return {
    factor,
    n: ratios.length,
    model: {
      fixedMs: base.fixedMs * factor,
      perRtt: base.perRtt * factor,
      msPerMiB: base.msPerMiB * factor,
      efficiency: Math.min(1, base.efficiency / factor),
      source: `the configuration's calibration × ${factor.toFixed(2)}, the median ratio over the ${ratios.length} migrations of these lab runs`,
    },
  };
}

function cellCount(config: ExperimentConfig): number {
  const f = config.factors;
  return f.migration.length * f.placement.length * f.entry.length * f.majority.length;
}

const calibrateFlags = z.object({ out: z.string().min(1).optional(), repeats: z.coerce.number().int().min(1).max(50).default(3) }).strict();

async function calibrateCommand(configArg: string, rawFlags: unknown): Promise<number> {
  const flags = parseFlags(calibrateFlags, rawFlags);
  const config = configWith(configArg, (raw) => (raw.mode = 'lab'));
  requireLab(config);
  const outDir = resolve(flags.out ?? defaultOut(`${config.name}-calibration`));
  mkdirSync(outDir, { recursive: true });
  const say = (line: string): void => {
    process.stderr.write(`zinc-experiment: ${line}\n`);
  };
  const { signal, dispose } = abortOnSignals(say);
  try {
    const r = await calibrate({ config, repeats: flags.repeats, outDir, signal, log: say });
    const m = r.fit.model;
    process.stdout.write(
      `fixedMs ${m.fixedMs.toFixed(0)}  perRtt ${m.perRtt.toFixed(2)}  msPerMiB ${m.msPerMiB.toFixed(2)}  efficiency ${m.efficiency.toFixed(2)}  ` +
        `(${r.fit.n} migrations, RMS ${r.fit.rmsMs.toFixed(0)} ms, R² ${r.fit.r2.toFixed(3)}); see ${join(outDir, 'calibration.md')}\n`,
    );
    return signal.aborted ? 130 : 0;
  } finally {
    dispose();
  }
}

export function program(): Command {
  const p = new Command('zinc-experiment').description('the throughput experiment of seed 004, on the lab or in the simulator (docs/experiment.md)');
  p.command('run')
    .description('run every cell of a factorial design, with replications, in random order; write runs.csv, anova.md, plots/, report.md')
    .argument('<config>', `a JSON configuration, or a shipped one: ${SHIPPED_CONFIGS.join(', ')}`)
    .option('--out <dir>', 'output directory (default: results/<name>-<time>)')
    .option('--mode <mode>', 'lab (real netns lab, needs root) or sim (discrete-event simulator); default: the configuration\'s')
    .option('--replications <n>', 'replications per cell (default: the configuration\'s)')
    .option('--quick', 'windows a third as long: a fast look at a configuration, not a result')
    .option('--runs <n>', 'stop after the first N runs of the random order (to time a partial run)')
    .option('--keep-logs', 'keep every run\'s zincd logs in <out>/lab-logs (default: only failed runs\')')
    .option('--no-compare', 'lab mode: do not simulate the same design for the sim-vs-lab comparison')
    .option('--resume', 'continue the stopped experiment in --out DIR: its finished runs are kept, the rest are run')
    .action(async (config: string, o: Record<string, unknown>) => {
      process.exitCode = await runCommand(config, o);
    });
  p.command('calibrate')
    .description('measure migration downtimes on the configuration\'s lab and fit the simulator\'s migration-cost model')
    .argument('<config>', 'a JSON configuration or a shipped one')
    .option('--out <dir>', 'output directory')
    .option('--repeats <n>', 'migrations per path and size (default 3)')
    .action(async (config: string, o: Record<string, unknown>) => {
      process.exitCode = await calibrateCommand(config, o);
    });
  p.command('configs')
    .description('list the shipped configurations')
    .action(() => {
      for (const name of SHIPPED_CONFIGS) {
        const f = readConfigFile(name);
        const d = typeof f.raw === 'object' && f.raw !== null && 'description' in f.raw ? String((f.raw as { description: unknown }).description) : '';
        process.stdout.write(`${name.padEnd(10)} ${d}\n`);
      }
      process.stdout.write(`(in ${shippedConfigDir()})\n`);
    });
  p.addCommand(ndSimCommand().name('nd-sim'));
  return p;
}

try {
  await program().parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`zinc-experiment: ${err instanceof ZincError ? err.toUserLine() : errorMessage(err)}\n`);
  if (!(err instanceof ZincError) && err instanceof Error && err.stack && process.env.ZINC_DEBUG) process.stderr.write(`${err.stack}\n`);
  process.exitCode = err instanceof ZincError ? 2 : 1;
}
