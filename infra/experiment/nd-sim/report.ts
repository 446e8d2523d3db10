/*
 * The simulator's report as an aligned text table, a Markdown table (for docs), or JSON.
 * Rounds are shown next to log₂ n and log₂² n because those are the paper's yardsticks: Name
 * Dropper is proven O(log² n) and observed around a small multiple of log₂ n.
 */
import type { CellResult, NdSimReport } from './run.js';

const DASH = '—';

/** Counts: exact with separators below a million, 3 significant digits above (1.34e9). */
export function formatCount(x: number): string {
  if (!Number.isFinite(x)) return DASH;
  if (Math.abs(x) < 1e6) return Math.round(x).toLocaleString('en-US');
  const [mantissa, exponent] = x.toExponential(2).split('e');
  return `${mantissa}e${Number(exponent)}`;
}

function fixed(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined || !Number.isFinite(x) ? DASH : x.toFixed(digits);
}

const HEADERS = [
  'algorithm',
  'topology',
  'n',
  'log2 n',
  'log2² n',
  'trials',
  'rounds mean',
  'sd',
  'max',
  'rounds/log2 n',
  'connections',
  'pointers',
  'engine',
  'note',
] as const;

function note(c: CellResult): string {
  const s = c.summary;
  const failed = c.trials.length - s.converged;
  if (failed === 0) return c.trials.some((t) => t.patchedLinks > 0) ? `random graph patched (${patchSummary(c)})` : '';
  const reasons = Object.entries(s.stops)
    .filter(([stop]) => stop !== 'complete')
    .map(([stop, count]) => `${count}× ${stopText(stop, c.maxRounds)}`)
    .join(', ');
  const known = `${(s.knownFraction.mean * 100).toFixed(1)}% of pairs known at stop`;
  return `did not converge in ${failed}/${c.trials.length}: ${reasons}; ${known}`;
}

function patchSummary(c: CellResult): string {
  const links = c.trials.map((t) => t.patchedLinks);
  return `${Math.min(...links)}–${Math.max(...links)} links redirected`;
}

function stopText(stop: string, maxRounds: number): string {
  switch (stop) {
    case 'cap':
      return `not within ${maxRounds} rounds`;
    case 'fixpoint':
      return 'stuck (a round changed nothing)';
    case 'impossible':
      return 'impossible (pull-only, start not strongly connected)';
    default:
      return stop;
  }
}

function row(c: CellResult): string[] {
  const s = c.summary;
  const r = s.rounds;
  const converged = s.converged === c.trials.length;
  return [
    c.algorithm,
    c.topology,
    String(c.n),
    fixed(c.log2n, 1),
    fixed(c.log2nSquared, 1),
    String(c.trials.length),
    converged && r !== null ? fixed(r.mean, 1) : 'never',
    converged && r !== null ? fixed(r.sd ?? 0, 1) : DASH,
    converged && r !== null ? String(r.max) : DASH,
    converged && r !== null ? fixed(r.mean / c.log2n, 2) : DASH,
    formatCount(s.connections.mean),
    formatCount(s.pointers.mean),
    s.engines.join('+'),
    note(c),
  ];
}

export function formatTable(report: NdSimReport): string {
  const rows = report.cells.map(row);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(HEADERS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', ...footnotes(report)].join('\n');
}

export function formatMarkdown(report: NdSimReport): string {
  const rows = report.cells.map(row);
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const align = HEADERS.map((_, i) => (i >= 2 && i <= 11 ? '---:' : '---'));
  return [line(HEADERS), line(align), ...rows.map(line), '', ...footnotes(report)].join('\n');
}

function footnotes(report: NdSimReport): string[] {
  const o = report.options;
  const lines = [
    `rounds: until every node knows every node (synchronous rounds); mean/sd/max over trials; sd is 0.0 for a single trial.`,
    `connections and pointers: totals per run up to the stop, mean over trials.`,
    `deterministic algorithms on fixed topologies run once (trials = 1). Edges are ${o.undirected ? 'undirected (both ends know each other)' : 'directed: path v→v+1, ring v→v+1 mod n, star leaf→0, random v→one random node'}.`,
    `engine core = Name Dropper through daemon/discovery/name-dropper.ts; fast = typed-array state (baselines, and Name Dropper above n=${o.engine === 'auto' ? o.coreMaxN : o.engine === 'core' ? '∞' : 0}).`,
  ];
  if (report.verification !== null) {
    const v = report.verification;
    lines.push(`fast Name Dropper engine verified identical to the core on ${v.cases} runs at n=${v.n} (same rounds, connections, pointers).`);
  }
  lines.push(`seed ${o.seed}, ${(report.elapsedMs / 1000).toFixed(1)} s in total.`);
  return lines;
}

export function formatJson(report: NdSimReport): string {
  return JSON.stringify(report, null, 2);
}
