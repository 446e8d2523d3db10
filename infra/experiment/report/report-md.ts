/** report.md: the setup, the findings in words, the per-cell table, migration costs, sim vs lab, files. */
import { hostsOf, JOB_CLASSES, totalCapacity, type ExperimentConfig } from '../config.js';
import type { Design } from '../design.js';
import type { RunRecord } from '../records.js';
import { migrationMs, type MigrationModel, type RescaledModel } from '../sim/migration-cost.js';
import { Network } from '../sim/network.js';
import type { AnovaResults } from './anova-file.js';
import { renderComparison, type Comparison } from './compare.js';
import { boundSection, costSection, effectsSection, seedClaimSection } from './findings.js';
import type { Figure } from './plots.js';

export interface ReportInputs {
  readonly config: ExperimentConfig;
  readonly mode: 'lab' | 'sim';
  readonly design: Design;
  readonly records: readonly RunRecord[];
  readonly complete: boolean;
  readonly wallMs: number;
  /** Runs an earlier invocation finished (--resume). */
  readonly resumed?: number;
  /** Whether runs.jsonl was written (zinc-experiment run). */
  readonly journal?: boolean;
  readonly loadavg: { readonly start: number; readonly end: number };
  readonly anova: AnovaResults;
  readonly figures: readonly Figure[];
  readonly comparison?: Comparison;
  readonly comparisonModel?: RescaledModel;
  readonly command: string;
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '—');
const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '—');
const MiB = 1024 * 1024;

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** Scaled seconds as minutes or hours, whichever reads better. */
function scaled(s: number): string {
  if (s >= 3600) return `${f1(s / 3600)} h`;
  if (s >= 60) return `${f1(s / 60)} min`;
  return `${f1(s)} s`;
}

function setup(i: ReportInputs): string {
  const c = i.config;
  const hosts = hostsOf(c.topology);
  const lines = [
    '## Setup',
    '',
    `| domain | hosts | speed | cores | capacity (CPUs) | WAN link rate | WAN link delay (one way) |`,
    '| :--- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const d of c.topology.domains) {
    const hs = hosts.filter((h) => h.domain === d.name);
    const speeds = [...new Set(hs.map((h) => h.speed))].join(', ');
    lines.push(`| ${d.name} | ${hs.length} | ${speeds} | ${d.cores} | ${f2(hs.reduce((s, h) => s + h.cores * h.speed, 0))} | ${d.wan.rate} | ${d.wan.delayMs} ms |`);
  }
  const scale = c.timeScale;
  const w = c.workload;
  lines.push(
    '',
    `Σ capacity ${f2(totalCapacity(c.topology))} CPUs. Between two domains the one-way delay is the sum of their links' delays. ` +
      `Time scale: one real second stands for ${scale} seconds of the seed's world (one scaled hour = ${f1(3600 / scale)} real seconds); ` +
      'throughput is counted in jobs per scaled hour and makespan in scaled hours.',
    '',
    `Jobs (CPU time at speed 1, uniform within the class; a host of speed s takes 1/s as long): ` +
      JOB_CLASSES.map((cls) => {
        const [lo, hi] = w.classes[cls].cpuSeconds;
        return `${cls} ${lo}–${hi} s (${scaled(lo * scale)}–${scaled(hi * scale)} scaled)`;
      }).join(', ') +
      `. The majority class makes up ${Math.round(w.majorityShare * 100)} % of the jobs, the other two ${Math.round(((1 - w.majorityShare) / 2) * 100)} % each. ` +
      `Memory footprints: ${w.memory.sizes.map((b, k) => `${(b / MiB).toFixed(1)} MiB (weight ${w.memory.weights[k] ?? 0})`).join(', ')}.`,
    '',
    `Arrivals: ${w.arrivals.kind === 'poisson' ? (w.arrivals.offeredLoad !== undefined ? `Poisson, offered load ρ = ${w.arrivals.offeredLoad} (rate = ρ × Σ capacity ÷ mean demand of the cell's mix)` : `Poisson, ${w.arrivals.perScaledHour} jobs per scaled hour`) : `SWF trace ${w.arrivals.file}`}, ` +
      `for ${c.window.arrivalS} s; throughput counts completions between ${c.window.warmupS} s and ${c.window.cutoffS ?? c.window.arrivalS} s; ` +
      `jobs still running ${c.window.drainLimitS} s after the last arrival are killed and counted unfinished.`,
    '',
    `Policies: zincd's default filters, the scorer of the cell; with migration on, the balancer with ${Object.entries(c.policy.balancer)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}. Seed ${c.seed}; ${i.design.replications} replications; runs in one random order.`,
    '',
  );
  return lines.join('\n');
}

function cellTable(i: ReportInputs): string {
  const lines = [
    '## Every cell',
    '',
    '| cell | runs | throughput | ÷ bound | migrations | placement imbalance | mean slowdown | completed / submitted | unfinished |',
    '| :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const cell of i.design.cells) {
    const rs = i.records.filter((r) => r.cell.index === cell.index);
    if (!rs.length) continue;
    const m = (f: (r: RunRecord) => number): number => mean(rs.map(f));
    lines.push(
      `| ${cell.label} | ${rs.length} | ${f1(m((r) => r.measures.throughput))} | ${f2(m((r) => r.measures.utilisation))} | ${f1(m((r) => r.measures.migrations))} | ${f2(m((r) => r.measures.imbalance))} | ${f2(m((r) => r.measures.meanSlowdown))} | ` +
        `${f1(m((r) => r.measures.completed))} / ${f1(m((r) => r.measures.submitted))} | ${f1(m((r) => r.measures.unfinished))} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

/** Observed migration downtimes by path and size, beside what the simulator's model predicts. */
function migrationSection(i: ReportInputs): string {
  const all = i.records.flatMap((r) => r.migrations);
  const model: MigrationModel = i.config.sim.migration;
  const lines = ['## Migration cost', ''];
  if (all.length === 0) return `${lines.join('\n')}No job migrated in these runs.\n`;
  const net = new Network(i.config.topology, i.config.sim.lanRateUnlimited);
  const groups = new Map<string, { path: string; mib: number; ms: number[]; predicted: number }>();
  for (const m of all) {
    const path = m.fromDomain === m.toDomain ? `LAN (${m.fromDomain})` : `${m.fromDomain} → ${m.toDomain}`;
    const mib = Math.round(m.bytes / MiB);
    const key = `${path}|${mib}`;
    const g = groups.get(key) ?? { path, mib, ms: [], predicted: migrationMs(model, m.bytes, net.path(m.fromDomain, m.toDomain)) };
    g.ms.push(m.ms);
    groups.set(key, g);
  }
  lines.push(
    `${all.length} migrations. Downtime is how long the job did not run (${i.mode === 'lab' ? 'from its "migrating" event on the source to its "migrated" event on the destination' : 'the simulator\'s model'}); ` +
      `the model column is the simulator's T = ${f1(model.fixedMs)} ms + ${f2(model.perRtt)} × RTT + ${f2(model.msPerMiB)} ms/MiB + wire time at ${Math.round(model.efficiency * 100)} % of the path's rate (${model.source || 'configured'}).`,
    '',
    '| path | image (MiB) | migrations | mean downtime (ms) | model (ms) |',
    '| :--- | ---: | ---: | ---: | ---: |',
  );
  for (const g of [...groups.values()].sort((a, b) => a.path.localeCompare(b.path) || a.mib - b.mib)) {
    lines.push(`| ${g.path} | ${g.mib} | ${g.ms.length} | ${Math.round(mean(g.ms))} | ${Math.round(g.predicted)} |`);
  }
  lines.push('');
  return lines.join('\n');
}

function model(m: MigrationModel): string {
  return `T = ${f1(m.fixedMs)} ms + ${f2(m.perRtt)} × RTT + ${f2(m.msPerMiB)} ms/MiB + wire time at ${Math.round(m.efficiency * 100)} % of the rate`;
}

export function renderReport(i: ReportInputs): string {
  const c = i.config;
  const throughputTable = i.anova.tables.throughput;
  const lines: string[] = [
    `# zinc-experiment: ${c.name}`,
    '',
    c.description ? `${c.description}\n` : '',
    `Mode **${i.mode}**; ${i.records.length} of ${i.design.runs.length} planned runs (${i.design.cells.length} cells × ${i.design.replications} replications)` +
      `${i.complete ? '' : ', **incomplete**'}; ${duration(i.wallMs)} of wall time` +
      (i.resumed ? ` (resumed: ${i.resumed} runs were finished by an earlier invocation and are not in that time)` : '') +
      (i.mode === 'lab' ? `; machine load average ${f2(i.loadavg.start)} at the start and ${f2(i.loadavg.end)} at the end` : '') +
      `. Command: \`${i.command}\`.`,
    '',
    '## Findings',
    '',
    '### Throughput against the physical upper bound',
    '',
    boundSection(i.design, i.records),
    '### Factors',
    '',
    effectsSection(i.design, i.records, throughputTable),
    throughputTable ? '' : `(No ANOVA: ${i.anova.problems.throughput ?? 'see anova.md'}; the means above are raw.)\n`,
    '### The seed\'s claim',
    '',
    seedClaimSection(i.design, i.records, throughputTable),
    '### Cost of migration',
    '',
    costSection(i.design, i.records),
    '### Figures',
    '',
    ...i.figures.map((f) => `- [${f.file}](${f.file}): ${f.caption}`),
    '',
    setup(i),
    cellTable(i),
    migrationSection(i),
  ];
  if (i.comparison) {
    const m = i.comparisonModel;
    lines.push(
      '## Simulation vs lab',
      '',
      renderComparison(i.comparison, 'the same configuration and design'),
      m
        ? `Its migration cost is the configuration's idle-lab calibration scaled by ${f2(m.factor)}, the median ratio of observed to predicted downtime over the ${m.n} migrations these lab runs made ` +
            `(the machine under the experiment's load): ${model(m.model)}. The simulator does not model the CPU that CRIU, zincd and the relays take from the jobs on the shared two-core machine, nor contention on a WAN link between concurrent migrations.\n`
        : `Its migration cost is the configuration's calibration (${model(i.config.sim.migration)}); these runs had too few migrations to rescale it.\n`,
    );
  } else if (i.mode === 'sim') {
    lines.push(
      '## Simulation vs lab',
      '',
      'This report comes from the simulator alone. Every lab run of zinc-experiment also simulates its own design and compares the two ' +
        '(section "Simulation vs lab" of a lab report; docs/experiment.md gives the figures measured for `smoke` and `seed`).',
      '',
    );
  }
  lines.push(
    '## Files',
    '',
    '- `runs.csv`: one row per run, in the order they ran: every factor, the seeds, and every measure.',
    i.mode === 'lab' ? '- `jobs.csv`: one row per job of every run: class, CPU demand, memory, submit and end times, fate, migrations, hosts.' : '',
    i.comparison ? '- `sim-runs.csv`: the simulator\'s runs of the same design, for the comparison above.' : '',
    '- `anova.md`: the ANOVA tables (throughput, mean slowdown).',
    '- `plots/`: the figures listed above (SVG).',
    '- `config.json`: the configuration as validated, defaults filled in.',
    i.journal ? '- `runs.jsonl`: every finished run in full, as it ended; `--resume` continues a stopped experiment from it.' : '',
    '',
    '## How to read this',
    '',
    'Throughput is the number of jobs that completed inside the measurement window, per scaled hour. The upper bound is what the grid ' +
      'would complete if every host were always busy with useful work: it depends only on the capacity and the job mix, so the ratio ' +
      'shows how much capacity placement and migration lost. p-values come from the full-factorial ANOVA in anova.md; with few replications ' +
      'a real effect can stay "not significant", and on a shared two-core machine the lab adds noise of its own (the load average above). ' +
      'Replication r of every cell ran the same workload (common random numbers), so differences between cells are not luck of the draw.',
    '',
  );
  return lines.filter((l, k, all) => !(l === '' && all[k - 1] === '')).join('\n');
}
