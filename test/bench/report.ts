/** Benchmark output: medians, percentiles and ratio tables printed to stdout (and to a JSON file). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/env.js';

export function median(xs: number[]): number {
  return percentile(xs, 50);
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const idx = (p / 100) * (s.length - 1);
  const lo = Math.floor(idx);
  const hi = Math.ceil(idx);
  return (s[lo] ?? 0) + ((s[hi] ?? 0) - (s[lo] ?? 0)) * (idx - lo);
}

export function printTable(title: string, headers: string[], rows: Array<Array<string | number>>): void {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  const out = [`\n== ${title}`, line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
  process.stdout.write(`${out}\n`);
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** Keep the raw numbers for the note and for later comparison. */
export function saveResults(name: string, data: unknown): string {
  const dir = join(ROOT, '.zinc-out', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), data }, null, 2));
  return file;
}
