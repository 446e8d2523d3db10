import { resolveLevels, type LevelOrder, type Observation } from '../stats/design.js';
import { marginalMeans, type GroupStats } from '../stats/means.js';
import { categoryAxis, categoryAxisHeight, categoryAxisLeftOverhang, yAxis } from './axes.js';
import { PlotInputError } from './errors.js';
import { bandCentre, inset, yScale, type Margins, type Rect } from './layout.js';
import { legend, legendSize, type LegendEntry } from './legend.js';
import { marker, seriesMarker } from './markers.js';
import { seriesColour, seriesDash } from './palette.js';
import { el, group, num, svgDocument, text, title, type Markup } from './svg.js';
import { niceTicks } from './ticks.js';

/*
 * Interaction plot (profile plot): the mean response at each level of factor `x`, one line per
 * level of factor `trace`; non-parallel lines show an interaction. With `panel`, one small
 * multiple per level of a third factor, side by side on a shared y axis so they compare directly
 * (the seed's "Checkpointing x Placement Strategy x Point of Entry Interaction At <domain>").
 * Means are taken over all other factors, as in an ANOVA's marginal means.
 */

export interface InteractionPlotOptions {
  readonly rows: readonly Observation[];
  /** Factor on the horizontal axis. */
  readonly x: string;
  /** Factor drawn as one line per level. */
  readonly trace: string;
  /** Optional factor giving one panel per level. */
  readonly panel?: string;
  readonly levels?: LevelOrder;
  /** Figure title; defaults to "<x> × <trace>[ by <panel>]". */
  readonly title?: string;
  /** Defaults to the factor name. */
  readonly xLabel?: string;
  /** Defaults to "Mean response". */
  readonly yLabel?: string;
  /** ±1 standard error of each plotted mean; off unless asked for. */
  readonly errorBars?: 'none' | 'se';
  /** Size of one panel, px (default 640 × 420). */
  readonly panelWidth?: number;
  readonly panelHeight?: number;
}

// The top margin holds the panel title; a single plot needs only a little air.
const PANEL_MARGINS: Margins = { top: 40, right: 24, bottom: 64, left: 84 };
const SINGLE_MARGINS: Margins = { ...PANEL_MARGINS, top: 16 };
const TITLE_BAND = 44;
const FOOTER = 24;
const GAP = 16;

export function interactionPlot(options: InteractionPlotOptions): string {
  const { rows, x, trace, panel } = options;
  const factors = panel === undefined ? [x, trace] : [panel, x, trace];
  if (new Set(factors).size !== factors.length) {
    throw new PlotInputError(`interaction plot needs distinct factors, got ${factors.join(', ')}`);
  }
  if (rows.length === 0) throw new PlotInputError('interaction plot has no observations to draw');
  const levelLists = resolveLevels(rows, factors, options.levels ?? {});
  const order: Record<string, readonly string[]> = {};
  factors.forEach((f, i) => (order[f] = levelLists[i] ?? []));
  const xLevels = order[x] ?? [];
  const traceLevels = order[trace] ?? [];
  const panelLevels = panel === undefined ? [undefined] : (order[panel] ?? []);
  const withErrorBars = options.errorBars === 'se';

  const stats = marginalMeans(rows, factors, order);
  const find = (p: string | undefined, xl: string, tl: string): GroupStats | undefined =>
    stats.find(
      (s) => s.levels[x] === xl && s.levels[trace] === tl && (panel === undefined || s.levels[panel] === p),
    );

  // One y range for all panels so that their heights compare.
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of stats) {
    const half = withErrorBars ? (s.se ?? 0) : 0;
    lo = Math.min(lo, s.mean - half);
    hi = Math.max(hi, s.mean + half);
  }
  // 4% headroom so that no point sits on the frame or the axis line.
  const pad = (hi - lo) * 0.04;
  const ticks = niceTicks(lo - pad, hi + pad, 6);
  const panelWidth = options.panelWidth ?? 640;
  const panelHeight = options.panelHeight ?? 420;
  const base = panel === undefined ? SINGLE_MARGINS : PANEL_MARGINS;
  const band = (panelWidth - base.left - base.right) / xLevels.length;
  // Long x labels are rotated and need more room underneath and, for the first ones, on the left.
  const margins: Margins = {
    ...base,
    bottom: Math.max(base.bottom, categoryAxisHeight(xLevels, band) + 12),
    left: Math.max(base.left, Math.ceil(categoryAxisLeftOverhang(xLevels, band) * 1.1) + 8),
  };

  const entries: LegendEntry[] = traceLevels.map((level, i) => ({
    label: level,
    colour: seriesColour(i),
    marker: seriesMarker(i),
    dash: seriesDash(i),
  }));
  const legendBox = legendSize(trace, entries);
  const width = panelLevels.length * panelWidth + GAP + legendBox.width + GAP;
  const height = TITLE_BAND + Math.max(panelHeight, legendBox.height + margins.top) + FOOTER;

  const figureTitle = options.title ?? `${x} × ${trace}${panel === undefined ? '' : ` by ${panel}`}`;
  const body: Markup[] = [
    text(width / 2, 28, figureTitle, { 'text-anchor': 'middle', 'font-size': 17, 'font-weight': 'bold', fill: '#111111' }),
  ];

  panelLevels.forEach((panelLevel, p) => {
    const frame: Rect = { x: p * panelWidth, y: TITLE_BAND, width: panelWidth, height: panelHeight };
    const area = inset(frame, margins);
    const y = yScale(area, ticks.min, ticks.max);
    // With error bars, spread the traces a little sideways so the bars do not hide each other.
    const dodge = withErrorBars ? Math.min(10, (band * 0.3) / Math.max(1, traceLevels.length)) : 0;
    const px = (xi: number, ti: number): number =>
      bandCentre(area, xi, xLevels.length) + (ti - (traceLevels.length - 1) / 2) * dodge;

    const parts: Markup[] = [
      yAxis(area, ticks, p === 0 ? (options.yLabel ?? 'Mean response') : undefined),
      categoryAxis(area, xLevels, (i) => bandCentre(area, i, xLevels.length), options.xLabel ?? x),
    ];
    if (panel !== undefined && panelLevel !== undefined) {
      parts.push(
        text(area.x + area.width / 2, frame.y + 24, `${panel} = ${panelLevel}`, {
          'text-anchor': 'middle',
          'font-size': 14,
          'font-weight': 'bold',
          fill: '#222222',
        }),
      );
    }

    traceLevels.forEach((tl, ti) => {
      const colour = seriesColour(ti);
      const points = xLevels.map((xl, xi) => ({ xi, s: find(panelLevel, xl, tl) }));
      // A missing cell breaks the line rather than being bridged.
      const runs: string[][] = [[]];
      for (const { xi, s } of points) {
        if (s === undefined) runs.push([]);
        else runs[runs.length - 1]?.push(`${num(px(xi, ti))},${num(y(s.mean))}`);
      }
      for (const run of runs) {
        if (run.length < 2) continue;
        parts.push(
          el('polyline', {
            points: run.join(' '),
            fill: 'none',
            stroke: colour,
            'stroke-width': 2.5,
            'stroke-dasharray': seriesDash(ti),
            'stroke-linejoin': 'round',
          }),
        );
      }
      for (const { xi, s } of points) {
        if (s === undefined) continue;
        const cx = px(xi, ti);
        if (withErrorBars && s.se !== null) {
          const top = y(s.mean + s.se);
          const bottom = y(s.mean - s.se);
          parts.push(
            group(
              [
                el('line', { x1: cx, x2: cx, y1: top, y2: bottom }),
                el('line', { x1: cx - 4, x2: cx + 4, y1: top, y2: top }),
                el('line', { x1: cx - 4, x2: cx + 4, y1: bottom, y2: bottom }),
              ],
              { stroke: colour, 'stroke-width': 1.5 },
            ),
          );
        }
        const where = [panel === undefined ? '' : `${panel}=${panelLevel}, `, `${x}=${s.levels[x]}, ${trace}=${tl}`].join('');
        const se = s.se === null ? '' : `, SE ${s.se.toPrecision(4)}`;
        parts.push(group([title(`${where}: mean ${s.mean.toPrecision(6)} (n=${s.n}${se})`), marker(seriesMarker(ti), cx, y(s.mean), colour)]));
      }
    });
    body.push(group(parts, { class: 'panel' }));
  });

  body.push(legend(panelLevels.length * panelWidth + GAP, TITLE_BAND + margins.top, trace, entries).markup);
  const footer = withErrorBars
    ? 'Points: means over all other factors. Error bars: ±1 standard error of the mean.'
    : 'Points: means over all other factors.';
  body.push(text(12, height - 8, footer, { 'font-size': 11, fill: '#555555' }));
  return svgDocument(width, height, body, { title: figureTitle });
}
