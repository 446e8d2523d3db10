import { textWidth } from './layout.js';
import { marker, type MarkerShape } from './markers.js';
import { el, group, text, type Markup } from './svg.js';

/* A legend box: a title (the factor name) and one swatch per level. */

export interface LegendEntry {
  readonly label: string;
  readonly colour: string;
  /** Line series show a line sample with their marker; bar series show a filled box. */
  readonly marker?: MarkerShape;
  readonly dash?: string;
}

const FONT = 12;
const ROW = 22;
const SAMPLE = 30;

export interface Legend {
  readonly markup: Markup;
  readonly width: number;
  readonly height: number;
}

/** Space a legend with these entries needs. */
export function legendSize(titleText: string, entries: readonly LegendEntry[]): { width: number; height: number } {
  // The title is bold, about 10% wider than the estimate for regular text.
  const labelWidth = Math.max(textWidth(titleText, FONT + 1) * 1.1, ...entries.map((e) => SAMPLE + 8 + textWidth(e.label, FONT)));
  return { width: Math.ceil(labelWidth + 24), height: 30 + entries.length * ROW };
}

export function legend(x: number, y: number, titleText: string, entries: readonly LegendEntry[]): Legend {
  const { width, height } = legendSize(titleText, entries);
  const parts: Markup[] = [
    el('rect', { x, y, width, height, fill: '#ffffff', stroke: '#bbbbbb', 'stroke-width': 1, rx: 3 }),
    text(x + 12, y + 20, titleText, { 'font-size': FONT + 1, 'font-weight': 'bold', fill: '#222222' }),
  ];
  entries.forEach((e, i) => {
    const cy = y + 38 + i * ROW;
    const sx = x + 12;
    if (e.marker === undefined) {
      parts.push(el('rect', { x: sx + 6, y: cy - 7, width: SAMPLE - 12, height: 14, fill: e.colour }));
    } else {
      parts.push(el('line', { x1: sx, x2: sx + SAMPLE, y1: cy, y2: cy, stroke: e.colour, 'stroke-width': 2.5, 'stroke-dasharray': e.dash }));
      parts.push(marker(e.marker, sx + SAMPLE / 2, cy, e.colour));
    }
    parts.push(text(sx + SAMPLE + 8, cy + 4, e.label, { 'font-size': FONT, fill: '#222222' }));
  });
  return { markup: group(parts, { class: 'legend' }), width, height };
}
