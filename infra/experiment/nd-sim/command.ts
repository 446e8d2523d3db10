/*
 * The `nd-sim` command. zinc-experiment mounts it with `program.addCommand(ndSimCommand())`;
 * main.ts runs it standalone. Flags are validated here, at the edge, and runNdSim gets typed values.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { ALGORITHM_NAMES } from './algorithms/index.js';
import { NdSimUsageError } from './errors.js';
import { formatJson, formatMarkdown, formatTable } from './report.js';
import { DEFAULT_ND_SIM_OPTIONS, runNdSim, type NdSimOptions } from './run.js';
import { TOPOLOGY_NAMES } from './topologies.js';

/** The fast engines keep an n² array of 16-bit ids; 20 000 is 800 MB. */
const MAX_N = 20000;

const items = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0));
const int = z.coerce.number().int();

const flagsSchema = z.object({
  n: items.pipe(
    z
      .array(z.string().regex(/^\d+$/, 'expected whole numbers').transform(Number).pipe(z.number().int().min(2).max(MAX_N)))
      .min(1),
  ),
  topologies: items.pipe(z.array(z.enum(TOPOLOGY_NAMES)).min(1)),
  algorithms: items.pipe(z.array(z.enum(ALGORITHM_NAMES)).min(1)),
  trials: int.min(1).max(1000),
  seed: int,
  maxRounds: int.min(1).optional(),
  engine: z.enum(['auto', 'core', 'fast']),
  coreMaxN: int.min(2),
  undirected: z.boolean(),
  json: z.boolean(),
  markdown: z.boolean(),
  quiet: z.boolean(),
});

export type NdSimFlags = z.infer<typeof flagsSchema>;

export function parseNdSimFlags(raw: unknown): NdSimFlags {
  const parsed = flagsSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ');
    throw new NdSimUsageError(`invalid nd-sim flags: ${issues}`, {
      hint: `e.g. --n 16,64,256 --topologies ${TOPOLOGY_NAMES.join(',')} --algorithms ${ALGORITHM_NAMES.slice(0, 4).join(',')}`,
    });
  }
  if (parsed.data.json && parsed.data.markdown) throw new NdSimUsageError('--json and --markdown exclude each other');
  return parsed.data;
}

export function optionsFromFlags(f: NdSimFlags, onProgress?: (line: string) => void): NdSimOptions {
  return {
    ns: f.n,
    topologies: f.topologies,
    algorithms: f.algorithms,
    trials: f.trials,
    seed: f.seed,
    maxRounds: f.maxRounds,
    engine: f.engine,
    coreMaxN: f.coreMaxN,
    undirected: f.undirected,
    onProgress,
  };
}

export function ndSimCommand(): Command {
  const d = DEFAULT_ND_SIM_OPTIONS;
  return new Command('nd-sim')
    .description('Simulate Name Dropper and the baselines of Harchol-Balter et al. (PODC 1999): rounds, connections and pointers to complete knowledge')
    .option('--n <list>', 'network sizes, comma-separated', d.ns.join(','))
    .option('--topologies <list>', `initial knowledge graphs: ${TOPOLOGY_NAMES.join(',')}`, d.topologies.join(','))
    .option('--algorithms <list>', `algorithms: ${ALGORITHM_NAMES.join(',')}`, d.algorithms.join(','))
    .option('--trials <k>', 'seeded trials per cell', String(d.trials))
    .option('--seed <s>', 'base seed (integer)', String(d.seed))
    .option('--max-rounds <r>', 'round cap per run (default max(1000, 2n))')
    .option('--engine <e>', 'Name Dropper engine: auto (core up to --core-max-n, verified fast path above), core, fast', d.engine)
    .option('--core-max-n <n>', 'largest n run through the real core with --engine auto', String(d.coreMaxN))
    .option('--undirected', 'make every initial edge two-way', false)
    .option('--json', 'print the full report as JSON', false)
    .option('--markdown', 'print the table as Markdown', false)
    .option('--quiet', 'no progress lines on stderr', false)
    .action((raw: unknown) => {
      const flags = parseNdSimFlags(raw);
      const progress = flags.quiet ? undefined : (line: string): void => void process.stderr.write(`${line}\n`);
      const report = runNdSim(optionsFromFlags(flags, progress));
      const out = flags.json ? formatJson(report) : flags.markdown ? formatMarkdown(report) : formatTable(report);
      process.stdout.write(`${out}\n`);
    });
}
