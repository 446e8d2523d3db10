/*
 * "Nice" axis ticks: Heckbert, "Nice Numbers for Graph Labels", Graphics Gems (1990). The tick
 * step is 1, 2, 5 or 10 times a power of ten, and the axis is widened to whole steps, so labels
 * read as round numbers.
 */

export interface Ticks {
  /** Axis range, widened to whole tick steps. */
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly values: readonly number[];
  /** Decimals needed to print every tick exactly. */
  readonly decimals: number;
}

/** The 1-2-5 × 10^k number nearest x (Heckbert's rounding thresholds). */
function niceNumber(x: number): number {
  const exponent = Math.floor(Math.log10(x));
  const fraction = x / 10 ** exponent;
  const nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  return nice * 10 ** exponent;
}

/** About `target` nice ticks covering [lo, hi]. A degenerate range is widened around its value. */
export function niceTicks(lo: number, hi: number, target = 6): Ticks {
  let a = Math.min(lo, hi);
  let b = Math.max(lo, hi);
  if (a === b) {
    const pad = a === 0 ? 1 : Math.abs(a) * 0.1;
    a -= pad;
    b += pad;
  }
  // Heckbert first rounds the range up to a nice number, which can leave a third of the axis
  // empty; rounding the raw step instead keeps the data filling the plot.
  const step = niceNumber((b - a) / Math.max(1, target - 1));
  const min = Math.floor(a / step) * step;
  const max = Math.ceil(b / step) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const values: number[] = [];
  // Integer counting avoids accumulating floating-point error across ticks.
  const count = Math.round((max - min) / step);
  for (let i = 0; i <= count; i++) values.push(Number((min + i * step).toFixed(decimals)));
  return { min: values[0] ?? min, max: values[values.length - 1] ?? max, step, values, decimals };
}

/** A tick label with the axis' decimals and a true minus sign. */
export function formatTick(value: number, decimals: number): string {
  const s = value.toFixed(decimals);
  return (Number(s) === 0 ? (0).toFixed(decimals) : s).replace('-', '\u2212');
}
