/** The compatibility table: program × (raw, migrate, lazy, checkpoint/restart), as Markdown. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { knownGap } from './expected.js';
import type { Program } from './programs.js';
import type { Mode, Outcome } from './result.js';

export type Results = Map<string, Partial<Record<Mode, Outcome>>>;

const MODES: ReadonlyArray<{ mode: Mode; title: string }> = [
  { mode: 'raw', title: 'raw CRIU' },
  { mode: 'migrate', title: 'migrate d1→d2→d1' },
  { mode: 'lazy', title: 'migrate --lazy' },
  { mode: 'checkpoint', title: 'checkpoint/restart' },
];

function cell(program: string, mode: Mode, o: Outcome | undefined): string {
  if (!o) return '–';
  if (o.status !== 'FAIL') return o.status;
  const gap = knownGap(program, mode);
  return gap ? `FAIL (known: ${gap.finding.split(':')[0]})` : 'FAIL';
}

export function renderTable(list: readonly Program[], results: Results): string {
  const head = `| program | state it checks | ${MODES.map((m) => m.title).join(' | ')} |\n|---|---|${MODES.map(() => '---|').join('')}`;
  const rows = list.map((p) => {
    const r = results.get(p.name) ?? {};
    return `| \`${p.name}\` | ${p.what.replace(/\|/g, '\\|')} | ${MODES.map((m) => cell(p.name, m.mode, r[m.mode])).join(' | ')} |`;
  });
  const counts = MODES.map((m) => {
    const all = list.map((p) => results.get(p.name)?.[m.mode]).filter((o): o is Outcome => !!o);
    const pass = all.filter((o) => o.status === 'PASS').length;
    const ran = all.filter((o) => o.status !== 'n/a').length;
    return `${pass}/${ran}`;
  });
  return `${head}\n${rows.join('\n')}\n| **passed** | | ${counts.join(' | ')} |\n`;
}

/** Every failure, one line each, with its evidence: for the test output and the docs. */
export function renderFailures(list: readonly Program[], results: Results): string {
  const out: string[] = [];
  for (const p of list) {
    for (const { mode } of MODES) {
      const o = results.get(p.name)?.[mode];
      if (o?.status !== 'FAIL') continue;
      const gap = knownGap(p.name, mode);
      out.push(`- \`${p.name}\`, ${mode}${gap ? ` (${gap.finding})` : ''}: ${o.detail}${o.evidence ? `\n  - ${o.evidence.replace(/\n/g, '\n  - ')}` : ''}`);
    }
  }
  return out.join('\n');
}

/** Replaces what lies between `<!-- NAME:start -->` and `<!-- NAME:end -->` in a docs file. */
export function replaceSection(path: string, name: string, body: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${path} has no ${start} … ${end} section`);
  writeFileSync(path, `${text.slice(0, a + start.length)}\n${body.trimEnd()}\n${text.slice(b)}`);
}
