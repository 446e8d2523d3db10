/* Geometry shared by the plots: rectangles, linear scales and a text-width estimate. */

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Space around a plotting area, in px. */
export interface Margins {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

export function inset(r: Rect, m: Margins): Rect {
  return {
    x: r.x + m.left,
    y: r.y + m.top,
    width: Math.max(1, r.width - m.left - m.right),
    height: Math.max(1, r.height - m.top - m.bottom),
  };
}

/** Maps data value v in [min, max] to a pixel row of `area`, larger values higher up. */
export function yScale(area: Rect, min: number, max: number): (v: number) => number {
  const span = max - min || 1;
  return (v) => area.y + area.height - ((v - min) / span) * area.height;
}

/** Centre of category i of n equal bands across `area`. */
export function bandCentre(area: Rect, i: number, n: number): number {
  return area.x + ((i + 0.5) * area.width) / n;
}

/**
 * Rough rendered width of a string. No font metrics are available without dependencies;
 * 0.6 em per character is the average advance of DejaVu Sans/Helvetica for mixed text and errs
 * wide, which is the safe side when reserving space.
 */
export function textWidth(s: string, fontSize: number): number {
  return [...s].length * fontSize * 0.6;
}
