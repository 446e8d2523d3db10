import { balancedDesign, type LevelOrder, type Observation } from './design.js';
import { AnovaDesignError, UnknownEffectError } from './errors.js';
import { fUpperTail } from './f-distribution.js';

/*
 * Full-factorial, between-subjects, fixed-effects ANOVA for a complete, balanced design with
 * k >= 1 factors and n >= 1 replications per cell (the model of the seed's appendix A,
 * "Tests of between-subjects effects"; Montgomery, Design and Analysis of Experiments, ch. 5).
 *
 * Every effect S (a main effect or an interaction of any order) is estimated in each cell by the
 * inclusion–exclusion of marginal means,
 *     effect_S(cell) = Σ_{T ⊆ S} (−1)^{|S|−|T|} · mean_T(cell),      mean_∅ = grand mean,
 * e.g. (αβ)_ij = ȳ_ij. − ȳ_i.. − ȳ_.j. + ȳ..., and SS_S = n · Σ over all cells of the design of effect_S(cell)².
 * In a balanced design these projections are orthogonal, so the SS add up to the corrected total
 * and Types I, II and III sums of squares are all equal; that is why only balanced designs are
 * accepted. Summing squared effects (rather than subtracting sums of squares) keeps every SS >= 0
 * and avoids cancellation. df_S = Π_{f∈S} (levels_f − 1).
 */

export const INTERACTION_SEPARATOR = ' × ';

export interface AnovaRow {
  /** "material", "material × temperature", "Error" or "Total". */
  readonly source: string;
  readonly kind: 'effect' | 'error' | 'total';
  /** The factors of an effect, in factor-list order; empty for Error and Total. */
  readonly factors: readonly string[];
  readonly ss: number;
  readonly df: number;
  /** SS/df; null for Total and for an Error row with no degrees of freedom. */
  readonly ms: number | null;
  /** MS_effect / MS_error; null without an error term (or with MS_error = 0), and for Error/Total. */
  readonly f: number | null;
  /** Upper tail of F(df, df_error) at f. */
  readonly p: number | null;
  /** SS_effect / (SS_effect + SS_error), the "partial eta squared" SPSS reports. */
  readonly partialEtaSquared: number | null;
}

export interface AnovaTable {
  readonly factors: readonly string[];
  readonly levels: Readonly<Record<string, readonly string[]>>;
  /** Replications per cell. */
  readonly replicates: number;
  /** Number of observations. */
  readonly n: number;
  readonly grandMean: number;
  /** False when there is no residual to test against (one replication, or zero residual variance). */
  readonly hasErrorTerm: boolean;
  /** Main effects, then interactions by order (A, B, A × B, …, the k-way), then Error and Total. */
  readonly rows: readonly AnovaRow[];
  /** Caveats for the reader, e.g. why F is missing. */
  readonly notes: readonly string[];
}

// The analysis visits every subset of every effect (3^k terms per cell); ten factors is far past
// any experiment zinc runs and still fast.
const MAX_FACTORS = 10;

export interface AnovaOptions {
  readonly levels?: LevelOrder;
}

/** Runs the ANOVA. `factors` fixes the row order of the table. Throws on incomplete or unbalanced designs. */
export function factorialAnova(
  rows: readonly Observation[],
  factors: readonly string[],
  options: AnovaOptions = {},
): AnovaTable {
  if (factors.length > MAX_FACTORS) {
    throw new AnovaDesignError(`${factors.length} factors is more than the ${MAX_FACTORS} this ANOVA supports`);
  }
  const design = balancedDesign(rows, factors, options.levels);
  const k = factors.length;
  const radix = design.levels.map((l) => l.length);
  const cellCount = design.cells.length;
  const n = design.replicates;
  const total = cellCount * n;

  const cellMeans = design.cells.map((ys) => ys.reduce((a, b) => a + b, 0) / ys.length);
  const grandMean = cellMeans.reduce((a, b) => a + b, 0) / cellCount;

  // digits[c][f]: the level index of factor f in cell c (mixed radix, last factor fastest).
  const digits = cellMeans.map((_, c) => {
    const d = new Array<number>(k).fill(0);
    let rest = c;
    for (let f = k - 1; f >= 0; f--) {
      const r = radix[f] ?? 1;
      d[f] = rest % r;
      rest = Math.floor(rest / r);
    }
    return d;
  });

  // For every subset T of factors (bit mask): the index of each full cell in T's marginal table,
  // and T's marginal means (balanced: the mean of the cell means it covers).
  const subsetCount = 1 << k;
  const projection: number[][] = [];
  const marginal: number[][] = [];
  for (let mask = 0; mask < subsetCount; mask++) {
    let size = 1;
    for (let f = 0; f < k; f++) if (mask & (1 << f)) size *= radix[f] ?? 1;
    const proj = digits.map((d) => {
      let idx = 0;
      for (let f = 0; f < k; f++) if (mask & (1 << f)) idx = idx * (radix[f] ?? 1) + (d[f] ?? 0);
      return idx;
    });
    const sums = new Array<number>(size).fill(0);
    const counts = new Array<number>(size).fill(0);
    proj.forEach((idx, c) => {
      sums[idx] = (sums[idx] ?? 0) + (cellMeans[c] ?? 0);
      counts[idx] = (counts[idx] ?? 0) + 1;
    });
    projection.push(proj);
    marginal.push(sums.map((s, i) => s / (counts[i] ?? 1)));
  }

  let ssError = 0;
  let ssTotal = 0;
  design.cells.forEach((ys, c) => {
    const m = cellMeans[c] ?? 0;
    for (const y of ys) {
      ssError += (y - m) * (y - m);
      ssTotal += (y - grandMean) * (y - grandMean);
    }
  });
  const dfError = total - cellCount;
  const msError = dfError > 0 ? ssError / dfError : null;
  const testable = msError !== null && msError > 0;

  const effectRows: AnovaRow[] = effectMasksInTableOrder(k).map((mask) => {
    let ss = 0;
    for (let c = 0; c < cellCount; c++) {
      let effect = 0;
      // Enumerate every subset T of mask, including the empty set (the grand mean).
      for (let t = mask; ; t = (t - 1) & mask) {
        const sign = (popcount(mask) - popcount(t)) % 2 === 0 ? 1 : -1;
        effect += sign * (marginal[t]?.[projection[t]?.[c] ?? 0] ?? 0);
        if (t === 0) break;
      }
      ss += effect * effect;
    }
    ss *= n;
    const members = factors.filter((_, f) => mask & (1 << f));
    const df = members.reduce((acc, name) => acc * ((radix[factors.indexOf(name)] ?? 1) - 1), 1);
    const ms = ss / df;
    const f = testable ? ms / msError : null;
    return {
      source: members.join(INTERACTION_SEPARATOR),
      kind: 'effect',
      factors: members,
      ss,
      df,
      ms,
      f,
      p: f === null ? null : fUpperTail(f, df, dfError),
      partialEtaSquared: dfError > 0 && ss + ssError > 0 ? ss / (ss + ssError) : null,
    };
  });

  const notes: string[] = [];
  if (dfError === 0) {
    notes.push(
      'With one replication per cell there is no residual error term, so F and p cannot be computed; ' +
        'run replications or pool high-order interactions into the error term.',
    );
  } else if (!testable) {
    notes.push('The residual mean square is zero (every replication identical), so F and p are undefined.');
  }

  const levels: Record<string, readonly string[]> = {};
  factors.forEach((f, i) => (levels[f] = design.levels[i] ?? []));
  return {
    factors,
    levels,
    replicates: n,
    n: total,
    grandMean,
    hasErrorTerm: testable,
    rows: [
      ...effectRows,
      { source: 'Error', kind: 'error', factors: [], ss: ssError, df: dfError, ms: msError, f: null, p: null, partialEtaSquared: null },
      { source: 'Total', kind: 'total', factors: [], ss: ssTotal, df: total - 1, ms: null, f: null, p: null, partialEtaSquared: null },
    ],
    notes,
  };
}

/** The row of the effect made of exactly these factors (any order), e.g. `['temperature', 'material']`. */
export function anovaEffect(table: AnovaTable, factors: readonly string[]): AnovaRow {
  const wanted = new Set(factors);
  const row = table.rows.find(
    (r) => r.kind === 'effect' && r.factors.length === wanted.size && r.factors.every((f) => wanted.has(f)),
  );
  if (row === undefined) {
    throw new UnknownEffectError(`no effect "${factors.join(INTERACTION_SEPARATOR)}" in this ANOVA table`, {
      context: { effect: factors.join(INTERACTION_SEPARATOR), factors: table.factors.join(',') },
      hint: 'name factors that the ANOVA was run with',
    });
  }
  return row;
}

/** Non-empty subsets of k factors: by order (size), then lexicographically by factor position. */
function effectMasksInTableOrder(k: number): number[] {
  const masks: number[] = [];
  for (let mask = 1; mask < 1 << k; mask++) masks.push(mask);
  const key = (mask: number): number[] => {
    const positions: number[] = [];
    for (let f = 0; f < k; f++) if (mask & (1 << f)) positions.push(f);
    return positions;
  };
  return masks.sort((a, b) => {
    const pa = key(a);
    const pb = key(b);
    if (pa.length !== pb.length) return pa.length - pb.length;
    for (let i = 0; i < pa.length; i++) {
      const d = (pa[i] ?? 0) - (pb[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
}

function popcount(x: number): number {
  let count = 0;
  for (let v = x; v !== 0; v &= v - 1) count++;
  return count;
}
