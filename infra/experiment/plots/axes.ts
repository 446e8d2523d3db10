import { textWidth, yScale, type Rect } from './layout.js';
import { el, group, text, type Markup } from './svg.js';
import { formatTick, type Ticks } from './ticks.js';

/* Axes drawn around a plotting area: y with gridlines and nice ticks, x with category labels. */

const AXIS_COLOUR = '#333333';
const GRID_COLOUR = '#e3e3e3';
const TICK_FONT = 12;
const LABEL_FONT = 13;

/** Horizontal gridlines, tick labels, the axis line and (optionally) a rotated axis label. */
export function yAxis(area: Rect, ticks: Ticks, label?: string): Markup {
  const y = yScale(area, ticks.min, ticks.max);
  const parts: Markup[] = [];
  let widest = 0;
  for (const v of ticks.values) {
    const py = y(v);
    const tick = formatTick(v, ticks.decimals);
    widest = Math.max(widest, textWidth(tick, TICK_FONT));
    parts.push(el('line', { x1: area.x, x2: area.x + area.width, y1: py, y2: py, stroke: GRID_COLOUR, 'stroke-width': 1 }));
    parts.push(el('line', { x1: area.x - 5, x2: area.x, y1: py, y2: py, stroke: AXIS_COLOUR, 'stroke-width': 1 }));
    parts.push(text(area.x - 8, py + 4, tick, { 'text-anchor': 'end', 'font-size': TICK_FONT, fill: AXIS_COLOUR }));
  }
  parts.push(el('line', { x1: area.x, x2: area.x, y1: area.y, y2: area.y + area.height, stroke: AXIS_COLOUR, 'stroke-width': 1 }));
  if (label !== undefined) {
    const lx = area.x - widest - 22;
    const ly = area.y + area.height / 2;
    parts.push(
      text(lx, ly, label, {
        'text-anchor': 'middle',
        'font-size': LABEL_FONT,
        fill: AXIS_COLOUR,
        transform: `rotate(-90 ${Math.round(lx)} ${Math.round(ly)})`,
      }),
    );
  }
  return group(parts, { class: 'y-axis' });
}

// Labels rotated by 30° need sin(30°) = 1/2 of their width as height.
const ROTATION_DEG = 30;

function needsRotation(categories: readonly string[], band: number): boolean {
  return categories.some((c) => textWidth(c, TICK_FONT) > band - 6);
}

/** Height below the axis line that the tick labels and the axis label take, px. */
export function categoryAxisHeight(categories: readonly string[], band: number): number {
  if (!needsRotation(categories, band)) return 52;
  const widest = Math.max(0, ...categories.map((c) => textWidth(c, TICK_FONT)));
  return Math.ceil(18 + widest * Math.sin((ROTATION_DEG * Math.PI) / 180) + 12 + 22);
}

/**
 * How far rotated labels reach left of the plotting area's left edge, px (0 when they do not):
 * a label ends at its tick and runs down-left, so the first ones can leave the figure.
 */
export function categoryAxisLeftOverhang(categories: readonly string[], band: number): number {
  if (!needsRotation(categories, band)) return 0;
  const cos = Math.cos((ROTATION_DEG * Math.PI) / 180);
  return Math.max(0, ...categories.map((c, i) => textWidth(c, TICK_FONT) * cos - (i + 0.5) * band));
}

/**
 * Bottom axis with one tick per category centre. Labels that would not fit their band are
 * rotated 30° so they do not overlap.
 */
export function categoryAxis(
  area: Rect,
  categories: readonly string[],
  centre: (i: number) => number,
  label?: string,
): Markup {
  const base = area.y + area.height;
  const band = area.width / Math.max(1, categories.length);
  const rotate = needsRotation(categories, band);
  const parts: Markup[] = [
    el('line', { x1: area.x, x2: area.x + area.width, y1: base, y2: base, stroke: AXIS_COLOUR, 'stroke-width': 1 }),
  ];
  categories.forEach((c, i) => {
    const x = centre(i);
    parts.push(el('line', { x1: x, x2: x, y1: base, y2: base + 5, stroke: AXIS_COLOUR, 'stroke-width': 1 }));
    parts.push(
      rotate
        ? text(x, base + 18, c, {
            'text-anchor': 'end',
            'font-size': TICK_FONT,
            fill: AXIS_COLOUR,
            transform: `rotate(-${ROTATION_DEG} ${Math.round(x)} ${Math.round(base + 18)})`,
          })
        : text(x, base + 20, c, { 'text-anchor': 'middle', 'font-size': TICK_FONT, fill: AXIS_COLOUR }),
    );
  });
  if (label !== undefined) {
    parts.push(
      text(area.x + area.width / 2, base + categoryAxisHeight(categories, band) - 8, label, {
        'text-anchor': 'middle',
        'font-size': LABEL_FONT,
        fill: AXIS_COLOUR,
      }),
    );
  }
  return group(parts, { class: 'x-axis' });
}
