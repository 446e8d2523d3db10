/*
 * Okabe & Ito (2008), "Color Universal Design": eight colours distinguishable under the common
 * colour-vision deficiencies. Ordered for a white background (the yellow, which is faint on white,
 * comes last). Lines also get distinct markers and dash patterns so that plots survive greyscale
 * printing.
 */

export const OKABE_ITO = [
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#000000', // black
  '#F0E442', // yellow
] as const;

const DASHES = [undefined, '6 3', '2 3', '8 3 2 3', '10 4', '4 2 1 2', '1 2', '12 3 3 3'] as const;

export function seriesColour(i: number): string {
  return OKABE_ITO[i % OKABE_ITO.length] ?? '#000000';
}

/** Dash pattern for series i; undefined (solid) for the first. */
export function seriesDash(i: number): string | undefined {
  return DASHES[i % DASHES.length];
}
