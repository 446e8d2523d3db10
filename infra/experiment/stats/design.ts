import { AnovaDesignError, IncompleteDesignError, UnbalancedDesignError } from './errors.js';

/** One measurement: the level of every factor for the run, and the response (e.g. throughput). */
export interface Observation {
  readonly factors: Readonly<Record<string, string>>;
  readonly y: number;
}

/**
 * Level order per factor (e.g. `{ length: ['long', 'medium', 'short'] }`). It fixes the order of
 * table rows, cells and plot axes; factors not listed keep the order of first appearance.
 */
export type LevelOrder = Readonly<Partial<Record<string, readonly string[]>>>;

/** A full-factorial layout: cell `i` is the mixed-radix number whose digits index each factor's levels. */
export interface FactorialLayout {
  readonly factors: readonly string[];
  /** levels[f] lists the levels of factors[f] in order. */
  readonly levels: readonly (readonly string[])[];
  /** Responses per cell, cells in mixed-radix order with the last factor varying fastest. */
  readonly cells: readonly (readonly number[])[];
}

/** A layout in which every cell holds the same number of replications. */
export interface BalancedDesign extends FactorialLayout {
  readonly replicates: number;
}

const MAX_LISTED = 8;

/** Checks the factor list and every row, and works out each factor's levels. */
export function resolveLevels(
  rows: readonly Observation[],
  factors: readonly string[],
  levelOrder: LevelOrder = {},
): string[][] {
  if (factors.length === 0) throw new AnovaDesignError('the factor list is empty');
  const seen = new Set<string>();
  for (const f of factors) {
    if (seen.has(f)) throw new AnovaDesignError(`factor "${f}" is listed twice`);
    seen.add(f);
  }
  if (rows.length === 0) throw new AnovaDesignError('there are no observations');

  const levels = factors.map((f) => {
    const order = levelOrder[f];
    if (order !== undefined && new Set(order).size !== order.length) {
      throw new AnovaDesignError(`the level order for factor "${f}" repeats a level`);
    }
    return order === undefined ? [] : [...order];
  });
  rows.forEach((row, r) => {
    if (!Number.isFinite(row.y)) {
      throw new AnovaDesignError(`observation #${r} has a response that is not a finite number`, {
        context: { row: r, y: String(row.y) },
      });
    }
    factors.forEach((f, i) => {
      const level = row.factors[f];
      if (typeof level !== 'string') {
        throw new AnovaDesignError(`observation #${r} has no level for factor "${f}"`, {
          context: { row: r, factor: f },
        });
      }
      const known = levels[i] ?? [];
      if (known.includes(level)) return;
      if (levelOrder[f] !== undefined) {
        throw new AnovaDesignError(
          `observation #${r} has level "${level}" for factor "${f}", which is not in its level order`,
          { context: { row: r, factor: f, level }, hint: 'add the level to the level order or fix the data' },
        );
      }
      known.push(level);
    });
  });
  return levels;
}

/** Groups the responses into the cells of the full cross product of the factors' levels. */
export function layoutOf(
  rows: readonly Observation[],
  factors: readonly string[],
  levelOrder: LevelOrder = {},
): FactorialLayout {
  const levels = resolveLevels(rows, factors, levelOrder);
  const cellCount = levels.reduce((acc, l) => acc * l.length, 1);
  const cells: number[][] = Array.from({ length: cellCount }, () => []);
  const indexOf = levels.map((l) => new Map(l.map((level, i) => [level, i])));
  for (const row of rows) {
    let cell = 0;
    factors.forEach((f, i) => {
      const digit = indexOf[i]?.get(row.factors[f] ?? '') ?? 0;
      cell = cell * (levels[i]?.length ?? 1) + digit;
    });
    cells[cell]?.push(row.y);
  }
  return { factors, levels, cells };
}

/** The level of each factor in cell `cell`, e.g. `material=1, temperature=15`. */
export function cellLabel(layout: FactorialLayout, cell: number): string {
  const parts: string[] = [];
  let rest = cell;
  for (let i = layout.factors.length - 1; i >= 0; i--) {
    const levels = layout.levels[i] ?? [];
    parts.unshift(`${layout.factors[i]}=${levels[rest % levels.length]}`);
    rest = Math.floor(rest / levels.length);
  }
  return parts.join(', ');
}

function listCells(layout: FactorialLayout, cells: readonly number[], suffix: (c: number) => string): string {
  const shown = cells.slice(0, MAX_LISTED).map((c) => `(${cellLabel(layout, c)})${suffix(c)}`);
  const more = cells.length > MAX_LISTED ? ` and ${cells.length - MAX_LISTED} more` : '';
  return shown.join('; ') + more;
}

/**
 * Builds the layout and insists that it is complete (every combination observed) and balanced
 * (every cell has the same number of replications), the conditions under which the classical
 * sums of squares are orthogonal and Types I, II and III coincide.
 */
export function balancedDesign(
  rows: readonly Observation[],
  factors: readonly string[],
  levelOrder: LevelOrder = {},
): BalancedDesign {
  const layout = layoutOf(rows, factors, levelOrder);
  layout.levels.forEach((levels, i) => {
    if (levels.length < 2) {
      throw new AnovaDesignError(
        `factor "${layout.factors[i]}" has only one level (${levels.join('')}), so it has no effect to test`,
        { context: { factor: layout.factors[i] }, hint: 'drop it from the factor list' },
      );
    }
  });
  const counts = layout.cells.map((c) => c.length);
  const missing = counts.flatMap((n, cell) => (n === 0 ? [cell] : []));
  if (missing.length > 0) {
    throw new IncompleteDesignError(
      `${missing.length} of ${counts.length} cells have no observations: ${listCells(layout, missing, () => '')}`,
      {
        context: { missingCells: missing.length, cells: counts.length },
        hint: 'run the missing factor combinations, or drop a factor',
      },
    );
  }
  // The most common count is taken as the intended replication so the message names the odd ones.
  const tally = new Map<number, number>();
  for (const n of counts) tally.set(n, (tally.get(n) ?? 0) + 1);
  const replicates = [...tally.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 0;
  const odd = counts.flatMap((n, cell) => (n === replicates ? [] : [cell]));
  if (odd.length > 0) {
    throw new UnbalancedDesignError(
      `the design is unbalanced: most cells have ${replicates} replication(s) but ` +
        listCells(layout, odd, (c) => ` has ${counts[c]}`),
      {
        context: { expectedReplicates: replicates, unbalancedCells: odd.length },
        hint: 'give every cell the same number of replications (rerun or drop the extras)',
      },
    );
  }
  return { ...layout, replicates };
}
