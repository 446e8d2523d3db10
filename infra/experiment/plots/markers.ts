import { el, num, type Markup } from './svg.js';

/* Marker shapes, one per series, so that series differ by shape as well as colour. */

export const MARKER_SHAPES = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'cross'] as const;
export type MarkerShape = (typeof MARKER_SHAPES)[number];

export function seriesMarker(i: number): MarkerShape {
  return MARKER_SHAPES[i % MARKER_SHAPES.length] ?? 'circle';
}

function polygon(points: readonly (readonly [number, number])[], fill: string): Markup {
  return el('polygon', {
    points: points.map(([x, y]) => `${num(x)},${num(y)}`).join(' '),
    fill,
    stroke: '#ffffff',
    'stroke-width': 1,
  });
}

/** A marker of about `size` px across centred on (x, y); white outline keeps it visible on lines. */
export function marker(shape: MarkerShape, x: number, y: number, fill: string, size = 9): Markup {
  const r = size / 2;
  switch (shape) {
    case 'circle':
      return el('circle', { cx: x, cy: y, r, fill, stroke: '#ffffff', 'stroke-width': 1 });
    case 'square':
      return el('rect', { x: x - r * 0.9, y: y - r * 0.9, width: r * 1.8, height: r * 1.8, fill, stroke: '#ffffff', 'stroke-width': 1 });
    case 'triangle':
      return polygon([[x, y - r * 1.15], [x + r * 1.1, y + r * 0.8], [x - r * 1.1, y + r * 0.8]], fill);
    case 'triangle-down':
      return polygon([[x, y + r * 1.15], [x + r * 1.1, y - r * 0.8], [x - r * 1.1, y - r * 0.8]], fill);
    case 'diamond':
      return polygon([[x, y - r * 1.25], [x + r * 1.05, y], [x, y + r * 1.25], [x - r * 1.05, y]], fill);
    case 'cross': {
      const w = r * 0.45;
      return polygon(
        [
          [x - w, y - r], [x + w, y - r], [x + w, y - w], [x + r, y - w], [x + r, y + w], [x + w, y + w],
          [x + w, y + r], [x - w, y + r], [x - w, y + w], [x - r, y + w], [x - r, y - w], [x - w, y - w],
        ],
        fill,
      );
    }
  }
}
