/** Small formatters for the reasons plugins write ("load 1.80/core", "4.2 s old", "512 MiB"). */
import { formatBytes, formatDuration } from '../common/units.js';

export function fixed(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A span of time for people: 600ms, 3.00s, 1m00s, 1h05m. */
export function duration(ms: number): string {
  return formatDuration(Math.max(0, ms));
}

export function bytes(n: number): string {
  return formatBytes(Math.max(0, Math.round(n)));
}

/** A factor value: numbers by key suffix (…Bytes, …Ms), else up to three decimals. */
export function factorText(key: string, v: number | string): string {
  if (typeof v === 'string') return v;
  if (key.endsWith('Bytes')) return bytes(v);
  if (key.endsWith('Ms')) return seconds(v);
  return String(Math.round(v * 1000) / 1000);
}

/** A factor value for the wire: plain numbers, rounded so that the JSON stays readable. */
export function factorWire(v: number | string): string {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 10000) / 10000);
}

export function num(f: Readonly<Record<string, number | string>>, key: string): number {
  const v = f[key];
  return typeof v === 'number' ? v : NaN;
}
