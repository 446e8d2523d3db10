import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barPlot } from '../../infra/experiment/plots/bar-plot.js';
import { PlotInputError } from '../../infra/experiment/plots/errors.js';
import { interactionPlot } from '../../infra/experiment/plots/interaction-plot.js';
import { OKABE_ITO } from '../../infra/experiment/plots/palette.js';
import { el, escapeXml, num, svgDocument, text } from '../../infra/experiment/plots/svg.js';
import { formatTick, niceTicks } from '../../infra/experiment/plots/ticks.js';
import type { Observation } from '../../infra/experiment/stats/design.js';
import { checkWellFormed } from '../helpers/xml.js';
import { battery, batteryLevels, bottling, bottlingLevels } from './fixtures/montgomery-doe.js';

describe('the XML checker itself', () => {
  it('accepts well-formed and rejects broken documents', () => {
    expect(checkWellFormed('<?xml version="1.0"?>\n<a x="1"><b/>t &amp; u</a>\n')).toEqual(['a', 'b']);
    expect(() => checkWellFormed('<a><b></a></b>')).toThrow(/closes/);
    expect(() => checkWellFormed('<a>x & y</a>')).toThrow(/entity/);
    expect(() => checkWellFormed('<a x="1" x="2"/>')).toThrow(/duplicate/);
    expect(() => checkWellFormed('<a/><b/>')).toThrow(/one root/);
    expect(() => checkWellFormed('<a x="<"/>')).toThrow(/malformed/);
    expect(() => checkWellFormed('<a>')).toThrow(/unclosed/);
  });
});

describe('svg builder', () => {
  it('escapes text and attribute values', () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;');
    expect(escapeXml('bell\u0007 ok')).toBe('bell ok');
    const m = text(1, 2, '<script>alert("x")</script>', { 'data-x': 'a"b' });
    expect(m).toBe('<text x="1" y="2" data-x="a&quot;b">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</text>');
    const doc = svgDocument(10, 10, [m], { title: 'A & B' });
    expect(checkWellFormed(doc)).toContain('text');
  });

  it('rejects invalid names and non-finite coordinates', () => {
    expect(() => el('g onload=x')).toThrow(PlotInputError);
    expect(() => el('rect', { 'x"': 1 })).toThrow(PlotInputError);
    expect(() => num(Number.NaN)).toThrow(PlotInputError);
    expect(num(-0.001)).toBe('0');
    expect(num(12.3456)).toBe('12.35');
  });
});

describe('nice ticks', () => {
  it('uses 1-2-5 steps and covers the data', () => {
    expect(niceTicks(20, 188).values).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(-1.6, 10.4).values).toEqual([-2, 0, 2, 4, 6, 8, 10, 12]);
    const t = niceTicks(0.012, 0.087);
    expect(t.step).toBeCloseTo(0.02, 12);
    expect(t.decimals).toBe(2);
    // Exact decimals, not 0.06000000000000001.
    expect(t.values).toEqual([0, 0.02, 0.04, 0.06, 0.08, 0.1]);
    expect(niceTicks(5, 5).values.length).toBeGreaterThan(1);
    expect(formatTick(-2, 0)).toBe('\u22122');
    expect(formatTick(0, 1)).toBe('0.0');
  });
});

// Set ZINC_PLOTS_DIR to keep the example figures for viewing; otherwise a temp dir is removed.
const keepDir = process.env['ZINC_PLOTS_DIR'];
let outDir = '';

describe('example figures from the Montgomery data', () => {
  beforeAll(async () => {
    if (keepDir !== undefined && keepDir !== '') {
      await mkdir(keepDir, { recursive: true });
      outDir = keepDir;
    } else {
      outDir = await mkdtemp(join(tmpdir(), 'zinc-plots-'));
    }
  });
  afterAll(async () => {
    if (outDir !== '' && outDir !== keepDir) await rm(outDir, { recursive: true, force: true });
  });

  it('battery: temperature × material interaction plot with ±1 SE', async () => {
    const svg = interactionPlot({
      rows: battery,
      x: 'temperature',
      trace: 'material',
      levels: batteryLevels,
      title: 'Battery life: material type × temperature (Montgomery Ex. 5.1)',
      xLabel: 'Temperature (°F)',
      yLabel: 'Mean life (hours)',
      errorBars: 'se',
    });
    await writeFile(join(outDir, 'battery-interaction.svg'), svg);
    const elements = checkWellFormed(svg);
    expect(elements[0]).toBe('svg');
    expect(svg).toContain('width="');
    // Three traces, each a polyline through three means, in the first three palette colours.
    expect(elements.filter((e) => e === 'polyline')).toHaveLength(3);
    for (const colour of OKABE_ITO.slice(0, 3)) expect(svg).toContain(`stroke="${colour}"`);
    // Each point carries its value as a tooltip.
    expect(svg).toContain('<title>temperature=15, material=1: mean 134.750 (n=4, SE 22.68)</title>');
    expect(svg).toContain('Temperature (°F)');
    expect(svg).toContain('±1 standard error');
  });

  it('bottling: carbonation × pressure in one panel per line speed', async () => {
    const svg = interactionPlot({
      rows: bottling,
      x: 'carbonation',
      trace: 'pressure',
      panel: 'speed',
      levels: bottlingLevels,
      title: 'Fill deviation: carbonation × pressure by line speed (Montgomery Ex. 5.3)',
      xLabel: 'Carbonation (%)',
      yLabel: 'Mean deviation from target',
    });
    await writeFile(join(outDir, 'bottling-interaction-panels.svg'), svg);
    checkWellFormed(svg);
    expect(svg).toContain('>speed = 200</text>');
    expect(svg).toContain('>speed = 250</text>');
    // 2 panels × 2 traces.
    expect(svg.match(/<polyline/g)).toHaveLength(4);
    // Default panel size 640 × 420: the figure is two panels wide plus a legend.
    const width = Number(/<svg[^>]* width="([0-9.]+)"/.exec(svg)?.[1]);
    expect(width).toBeGreaterThan(1280);
    expect(width).toBeLessThan(1280 + 250);
  });

  it('battery: grouped bar plot of cell means with error bars', async () => {
    const svg = barPlot({
      rows: battery,
      x: 'material',
      group: 'temperature',
      levels: batteryLevels,
      title: 'Battery life by material and temperature',
      xLabel: 'Material type',
      yLabel: 'Mean life (hours)',
    });
    await writeFile(join(outDir, 'battery-bars.svg'), svg);
    const elements = checkWellFormed(svg);
    // 9 bars + background + legend box and 3 swatches.
    expect(elements.filter((e) => e === 'rect')).toHaveLength(1 + 9 + 1 + 3);
    expect(svg).toContain('<title>material=2, temperature=70: mean 119.750 (n=4, SE 6.329)</title>');
  });

  it('escapes hostile level names and breaks lines at missing cells', () => {
    const rows: Observation[] = [
      { factors: { x: '<a>', t: 'A & B' }, y: 1 },
      { factors: { x: '"b"', t: 'A & B' }, y: 2 },
      { factors: { x: "c'", t: 'A & B' }, y: 3 },
      { factors: { x: '<a>', t: 'z' }, y: 2 },
      { factors: { x: "c'", t: 'z' }, y: 1 },
    ];
    const svg = interactionPlot({ rows, x: 'x', trace: 't' });
    checkWellFormed(svg);
    expect(svg).toContain('&lt;a&gt;');
    expect(svg).toContain('A &amp; B');
    // Trace "z" has no value at x = "b": its two points are not joined.
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    checkWellFormed(barPlot({ rows, x: 'x', group: 't', errorBars: 'none' }));
  });

  it('handles negative means and a single trace level', () => {
    const rows: Observation[] = [-3, -1, 2, 4].map((y, i) => ({ factors: { g: i < 2 ? 'neg' : 'pos' }, y }));
    const bars = barPlot({ rows, x: 'g' });
    checkWellFormed(bars);
    expect(bars).not.toContain('class="legend"');
  });

  it('rotates long category labels and widens the margins for them', () => {
    const names = ['Zinctask (state-aware placement)', 'Random placement', 'Round robin over domains'];
    const rows: Observation[] = names.flatMap((policy, i) => [1, 2].map((k) => ({ factors: { policy }, y: i + k })));
    const svg = barPlot({ rows, x: 'policy', width: 480 });
    checkWellFormed(svg);
    expect(svg).toContain('transform="rotate(-30 ');
    // The y axis moved right of its default 84 px so the first label stays inside the figure.
    const axisX = Number(/<g class="y-axis">.*?<line x1="([0-9.]+)"/.exec(svg)?.[1]);
    expect(axisX).toBeGreaterThan(84);
  });

  it('rejects what it cannot draw', () => {
    expect(() => interactionPlot({ rows: [], x: 'a', trace: 'b' })).toThrow(PlotInputError);
    expect(() => interactionPlot({ rows: battery, x: 'material', trace: 'material' })).toThrow(PlotInputError);
    expect(() => interactionPlot({ rows: battery, x: 'material', trace: 'humidity' })).toThrow(/humidity/);
  });
});
