/** Runs as the statistics library's observations: the levels of the studied factors and one response. */
import type { LevelOrder, Observation } from '../stats/design.js';
import type { Design } from '../design.js';
import type { RunMeasures } from '../measures.js';
import type { RunRecord } from '../records.js';

export type Response = 'throughput' | 'meanSlowdown' | 'migrations' | 'utilisation' | 'makespanH';

export const RESPONSE_LABEL: Record<Response, string> = {
  throughput: 'Throughput (jobs per scaled hour)',
  meanSlowdown: 'Mean slowdown',
  migrations: 'Migrations per run',
  utilisation: 'Throughput ÷ upper bound',
  makespanH: 'Makespan (scaled hours)',
};

export function observations(records: readonly RunRecord[], factors: readonly string[], response: Response): Observation[] {
  return records
    .filter((r) => Number.isFinite(r.measures[response as keyof RunMeasures] as number))
    .map((r) => ({
      factors: Object.fromEntries(factors.map((f) => [f, r.cell.levels[f as keyof typeof r.cell.levels]])),
      y: r.measures[response as keyof RunMeasures] as number,
    }));
}

export function levelOrder(design: Design): LevelOrder {
  return { ...design.levels };
}
