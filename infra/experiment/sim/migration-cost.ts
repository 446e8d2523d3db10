/**
 * How long a job is frozen while it migrates, as a function of its image size and the path:
 *
 *   T = fixedMs + perRtt · RTT + msPerMiB · MiB + 8 · bytes ÷ (efficiency · rate)
 *
 * fixedMs: CRIU freeze, dump and restore start-up, process start on the destination;
 * perRtt: the protocol's round trips (offer, receive, fetch, commit) and TCP slow start;
 * msPerMiB: work proportional to the image that is not the wire (dump, sha256, restore);
 * the last term: the transfer at the path's bottleneck rate, at the efficiency TCP reaches there.
 *
 * The coefficients are fitted by least squares (all kept ≥ 0, efficiency ≤ 1) to downtimes
 * measured in the lab: `zinc-experiment calibrate` (docs/experiment.md, "Calibration").
 */
import { CalibrationError } from '../errors.js';
import type { Path } from './network.js';

const MiB = 1024 * 1024;

export interface MigrationModel {
  readonly fixedMs: number;
  readonly perRtt: number;
  readonly msPerMiB: number;
  readonly efficiency: number;
  readonly source: string;
}

export function migrationMs(model: MigrationModel, bytes: number, path: Path): number {
  return model.fixedMs + model.perRtt * path.rttMs + model.msPerMiB * (bytes / MiB) + (8 * bytes * 1000) / (model.efficiency * path.rateBps);
}

/** A model rescaled by one factor to the downtimes observed in a set of runs. */
export interface RescaledModel {
  readonly model: MigrationModel;
  readonly factor: number;
  readonly n: number;
}

export interface MigrationSample {
  readonly bytes: number;
  readonly rateBps: number;
  readonly rttMs: number;
  /** Measured downtime, ms. */
  readonly ms: number;
  /** e.g. "frodo→box0", for the report. */
  readonly label?: string;
}

export interface ModelFit {
  readonly model: MigrationModel;
  readonly n: number;
  /** Root-mean-square error of the fitted times, ms. */
  readonly rmsMs: number;
  /** Coefficient of determination. */
  readonly r2: number;
}

/** Columns of the regression: 1, RTT, MiB, wire time at full rate (ms). */
function row(s: MigrationSample): number[] {
  return [1, s.rttMs, s.bytes / MiB, (8 * s.bytes * 1000) / s.rateBps];
}

/** Least squares on the chosen columns (normal equations, Gaussian elimination with pivoting). */
function leastSquares(xs: readonly number[][], ys: readonly number[], cols: readonly number[]): number[] | undefined {
  const k = cols.length;
  const a = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  xs.forEach((x, i) => {
    for (let p = 0; p < k; p++) {
      const xp = x[cols[p] ?? 0] ?? 0;
      const rowP = a[p] as number[];
      for (let q = 0; q < k; q++) rowP[q] = (rowP[q] ?? 0) + xp * (x[cols[q] ?? 0] ?? 0);
      rowP[k] = (rowP[k] ?? 0) + xp * (ys[i] ?? 0);
    }
  });
  for (let c = 0; c < k; c++) {
    let pivot = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r]?.[c] ?? 0) > Math.abs(a[pivot]?.[c] ?? 0)) pivot = r;
    const tmp = a[c] as number[];
    a[c] = a[pivot] as number[];
    a[pivot] = tmp;
    const pc = a[c] as number[];
    if (Math.abs(pc[c] ?? 0) < 1e-12) return undefined;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const pr = a[r] as number[];
      const f = (pr[c] ?? 0) / (pc[c] ?? 1);
      for (let q = c; q <= k; q++) pr[q] = (pr[q] ?? 0) - f * (pc[q] ?? 0);
    }
  }
  return a.map((r, i) => (r[k] ?? 0) / (r[i] ?? 1));
}

/**
 * Fits the model. Coefficients that come out negative are dropped (set to 0) and the rest refitted
 * (an active-set non-negative least squares, enough for four columns); a wire coefficient below 1
 * (faster than the link) is pinned at 1, i.e. efficiency 1.
 */
export function fitMigrationModel(samples: readonly MigrationSample[], source: string): ModelFit {
  if (samples.length < 4) throw new CalibrationError(`${samples.length} migration measurements are too few to fit 4 coefficients`);
  const xs = samples.map(row);
  const ys = samples.map((s) => s.ms);
  let wire: number | undefined; // pinned coefficient of column 3, if any
  let active = [0, 1, 2, 3];
  let coef = new Array<number>(4).fill(0);
  for (let round = 0; round < 8; round++) {
    const pinned = wire;
    const target = pinned === undefined ? ys : ys.map((y, i) => y - pinned * (xs[i]?.[3] ?? 0));
    const cols = pinned === undefined ? active : active.filter((c) => c !== 3);
    const sol = cols.length ? leastSquares(xs, target, cols) : [];
    if (!sol) throw new CalibrationError('the measurements do not tell the model\'s terms apart (all on one link or one size?)');
    coef = new Array<number>(4).fill(0);
    cols.forEach((c, i) => (coef[c] = sol[i] ?? 0));
    if (pinned !== undefined) coef[3] = pinned;
    const negative = cols.filter((c) => (coef[c] ?? 0) < 0);
    if (negative.length > 0) {
      active = active.filter((c) => !negative.includes(c));
      continue;
    }
    if (wire === undefined && active.includes(3) && (coef[3] ?? 0) < 1) {
      wire = 1;
      continue;
    }
    break;
  }
  if (!active.includes(3) && wire === undefined) wire = 1; // no rate dependence found: assume the link's full rate
  const w = wire ?? coef[3] ?? 1;
  const model: MigrationModel = {
    fixedMs: coef[0] ?? 0,
    perRtt: coef[1] ?? 0,
    msPerMiB: coef[2] ?? 0,
    efficiency: Math.min(1, 1 / Math.max(1, w)),
    source,
  };
  const fitted = samples.map((s) => migrationMs(model, s.bytes, { rateBps: s.rateBps, rttMs: s.rttMs }));
  const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
  let ssRes = 0;
  let ssTot = 0;
  ys.forEach((y, i) => {
    ssRes += (y - (fitted[i] ?? 0)) ** 2;
    ssTot += (y - mean) ** 2;
  });
  return { model, n: samples.length, rmsMs: Math.sqrt(ssRes / ys.length), r2: ssTot > 0 ? 1 - ssRes / ssTot : 1 };
}
