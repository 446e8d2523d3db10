/*
 * Number formatting for report tables, following the conventions of the published ANOVA tables
 * the report is compared with (Montgomery prints 10683.72, 45.375, 0.583; p as 0.0020 or < 0.0001).
 */

const DASH = '—';

/** Sums of squares, mean squares and similar: 2 decimals from 100 up, 3 from 1, 4 significant below. */
export function formatQuantity(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return DASH;
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e9 || a < 1e-4) return x.toExponential(3);
  if (a >= 100) return x.toFixed(2);
  if (a >= 1) return x.toFixed(3);
  return x.toPrecision(4);
}

/** F ratios: 2 decimals (3 below 1, where the digits still matter). */
export function formatF(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return DASH;
  if (Math.abs(x) >= 1e9) return x.toExponential(3);
  return Math.abs(x) < 1 ? x.toFixed(3) : x.toFixed(2);
}

/** p-values: 4 decimals, "< 0.0001" below that. */
export function formatP(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return DASH;
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

/** Proportions such as partial η²: 3 decimals. */
export function formatProportion(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return DASH;
  return x.toFixed(3);
}
