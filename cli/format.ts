/** Human output: tables, times, states. Scripts use --json instead. */
import type { JobInfo__Output } from '../proto/generated/zinc/v1/JobInfo.js';
import { formatBytes, formatDuration } from '../daemon/common/units.js';

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function stateName(s: string | number | undefined): string {
  return String(s ?? '').replace(/^JOB_STATE_/, '').replace(/^HOST_STATUS_/, '').toLowerCase();
}

export function stateWithDetail(j: JobInfo__Output): string {
  const s = stateName(j.state);
  if (s === 'exited') return `exited(${j.exit?.code ?? 0})`;
  if (s === 'killed') return `killed(${j.exit?.signal || '?'})`;
  return s;
}

export function shellQuote(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function clock(ms: number): string {
  if (!ms) return '-';
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function runtime(j: JobInfo__Output, now = Date.now()): string {
  const start = Number(j.startedAtMs ?? 0);
  if (!start) return '-';
  const end = Number(j.endedAtMs ?? 0) || now;
  return formatDuration(Math.max(0, end - start));
}

export function cpu(j: JobInfo__Output): string {
  const us = Number(j.usage?.cpuUsec ?? 0);
  return us ? `${(us / 1e6).toFixed(us < 1e7 ? 3 : 1)}s` : '-';
}

export { formatBytes, formatDuration };

/** JSON with 64-bit-safe numbers and without noise fields. */
export function printJson(v: unknown): void {
  process.stdout.write(`${JSON.stringify(v, (_k, val: unknown) => (Buffer.isBuffer(val) ? val.toString('base64') : val), 2)}\n`);
}
