import { layoutOf, type LevelOrder, type Observation } from './design.js';
import { mean, sd } from './summary.js';

/** Mean, spread and count of the responses that share one combination of levels. */
export interface GroupStats {
  /** The level of each grouping factor, e.g. `{ entry: 'frodo', placement: 'zinctask' }`. */
  readonly levels: Readonly<Record<string, string>>;
  readonly n: number;
  readonly mean: number;
  /** null when n < 2. */
  readonly sd: number | null;
  /** Standard error of this group's mean, sd/√n; null when n < 2. */
  readonly se: number | null;
}

/**
 * Means of y over every observed combination of the levels of `by`, in level order (last factor
 * fastest); combinations with no observations are left out. These are raw group means; in a
 * balanced design they equal the averages of the cell means, i.e. the marginal means an ANOVA
 * reports and an interaction plot draws. With `by = []` the single group is the grand mean.
 */
export function marginalMeans(
  rows: readonly Observation[],
  by: readonly string[],
  levelOrder: LevelOrder = {},
): GroupStats[] {
  if (by.length === 0) {
    return rows.length === 0 ? [] : [groupStats({}, rows.map((r) => r.y))];
  }
  if (rows.length === 0) return [];
  const layout = layoutOf(rows, by, levelOrder);
  const out: GroupStats[] = [];
  layout.cells.forEach((ys, cell) => {
    if (ys.length === 0) return;
    const levels: Record<string, string> = {};
    let rest = cell;
    for (let i = by.length - 1; i >= 0; i--) {
      const factorLevels = layout.levels[i] ?? [];
      levels[by[i] ?? ''] = factorLevels[rest % factorLevels.length] ?? '';
      rest = Math.floor(rest / factorLevels.length);
    }
    out.push(groupStats(levels, ys));
  });
  return out;
}

/** Mean/SD/n of every cell of the full design (all factors). */
export function cellStats(
  rows: readonly Observation[],
  factors: readonly string[],
  levelOrder: LevelOrder = {},
): GroupStats[] {
  return marginalMeans(rows, factors, levelOrder);
}

function groupStats(levels: Record<string, string>, ys: readonly number[]): GroupStats {
  const spread = ys.length >= 2 ? sd(ys) : null;
  return {
    levels,
    n: ys.length,
    mean: mean(ys),
    sd: spread,
    se: spread === null ? null : spread / Math.sqrt(ys.length),
  };
}
