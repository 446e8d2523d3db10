/**
 * Issue 18, item 2: the compatibility suite. Every program in test/compat/ (one kind of process
 * state each) runs through raw CRIU with zinc's options, and through zinc: migrated across two
 * domains and back, the same with post-copy, and checkpointed and restarted. Anything raw CRIU
 * keeps and zinc loses is a failure, except the known gaps of test/compat/expected.ts, each tied
 * to its issue finding. The table is printed at the end; with ZINC_COMPAT_DOCS=1 it is also
 * written into docs/compat.md.
 *
 *   ZINC_COMPAT_ONLY=a,b       only these programs      ZINC_COMPAT_MODES=raw,lazy  only these modes
 *   ZINC_COMPAT_JOBS=N         programs run at once     ZINC_COMPAT_MEASURE=1       also the post-copy measurement
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptCriuToBreakpoints } from '../../daemon/criu/breakpoints.js';
import { KNOWN_GAPS, knownGap } from '../compat/expected.js';
import { measureManyMappings } from '../compat/measure.js';
import { pool } from '../compat/pool.js';
import { missingBinaries, programs, ROOT } from '../compat/programs.js';
import { runRaw } from '../compat/raw-criu.js';
import { notApplicable, ZINC_MODES, type Mode, type Outcome } from '../compat/result.js';
import { renderFailures, renderTable, replaceSection, type Results } from '../compat/table.js';
import { runZinc } from '../compat/zinc-modes.js';
import { criuPath, inCI, missing, titled } from '../helpers/env.js';
import { keepLabLogs, upLab, type Lab } from '../helpers/lab.js';

const env = process.env;
const list = programs(env.ZINC_COMPAT_ONLY);
const modes = new Set<Mode>((env.ZINC_COMPAT_MODES ?? 'raw,migrate,lazy,checkpoint').split(',').map((m) => m.trim() as Mode));
const jobs = Number(env.ZINC_COMPAT_JOBS ?? 4);
const measure = env.ZINC_COMPAT_MEASURE === '1';
// Not yet part of `make test`: today zinc loses hard links, and a multi-threaded job can hang on
// its way back (a frozen, reused cgroup); both are open in issue 18. `make compat` runs it.
const optIn = env.ZINC_COMPAT === '1' ? undefined : 'opt-in until issue 18\'s open gaps close: run `make compat` (ZINC_COMPAT=1)';
const skip = optIn ?? missing({ root: true, criu: true }) ?? (() => {
  const m = missingBinaries(list);
  if (m && inCI) throw new Error(`integration prerequisites missing in CI: ${m}`);
  return m;
})();
const HOME = 'd1-h1';
const AWAY = 'd2-h1';
const ALL_MODES: readonly Mode[] = ['raw', ...ZINC_MODES];
const TITLES: Record<Mode, string> = { raw: 'raw', migrate: 'migrate', lazy: 'migrate --lazy', checkpoint: 'checkpoint/restart' };

describe.skipIf(skip)(titled('compatibility suite: raw CRIU vs zinc (test/compat)', skip), () => {
  const results: Results = new Map(list.map((p) => [p.name, {}]));
  const record = (name: string, mode: Mode, o: Outcome) => ((results.get(name) ?? {})[mode] = o);
  const scratch = mkdtempSync(join(tmpdir(), 'zinc-compat-'));
  let lab: Lab | undefined;
  const started = new Date();

  beforeAll(async () => {
    await adaptCriuToBreakpoints(); // CRIU_FAULT=130 where breakpoints do not fire (docs/criu.md)
    if ([...modes].some((m) => m !== 'raw') || measure) {
      // One small WAN delay: every move really crosses domains; the measurement sets 40 ms RTT itself.
      lab = await upLab({ name: env.ZINC_COMPAT_LAB ?? 'compat', domains: 2, hosts: 2, wanRate: '1gbit', wanDelayMs: 1 });
    }
  }, 180_000);

  afterAll(async () => {
    const table = renderTable(list, results);
    const failures = renderFailures(list, results);
    process.stdout.write(`\ncompatibility table (${list.length} programs):\n${table}\n${failures ? `failures:\n${failures}\n` : ''}`);
    // Only a complete run rewrites the docs' table.
    if (env.ZINC_COMPAT_DOCS === '1' && !env.ZINC_COMPAT_ONLY && ALL_MODES.every((m) => modes.has(m))) {
      const criu = criuPath() ?? 'criu';
      const version = execFileSync(criu, ['--version'], { encoding: 'utf8' }).split('\n')[0]?.trim();
      replaceSection(join(ROOT, 'docs', 'compat.md'), 'compat-table',
        `Produced by \`ZINC_COMPAT_DOCS=1 npx vitest run test/integration/compat.test.ts\` on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC ` +
        `in ${Math.round((Date.now() - started.getTime()) / 1000)} s (kernel ${release()}, ${version}, ${jobs} programs at a time).\n\n${table}\n${failures ? `Failures, with what CRIU, zinc and zincd said:\n\n${failures}\n` : ''}`);
    }
    await lab?.down();
    rmSync(scratch, { recursive: true, force: true });
  }, 180_000);

  it.skipIf(!modes.has('raw'))('raw CRIU: dump and restore with zinc\'s options', async () => {
    const criu = criuPath() as string;
    const t0 = Date.now();
    await pool(list, jobs, async (p) => {
      record(p.name, 'raw', await runRaw(p, { criu, dir: join(scratch, p.name), cgroup: `zinc-compat/${process.pid}/${p.name}` }));
    });
    const passed = list.filter((p) => results.get(p.name)?.raw?.status === 'PASS').length;
    process.stdout.write(`raw CRIU passes ${passed} of ${list.length} programs (${((Date.now() - t0) / 1000).toFixed(0)} s, ${jobs} at a time)\n`);
    // Issue 18's acceptance: at least 40 programs that CRIU itself carries.
    if (!env.ZINC_COMPAT_ONLY) expect(passed).toBeGreaterThanOrEqual(40);
  }, 600_000);

  for (const mode of ZINC_MODES) {
    it.skipIf(!modes.has(mode))(`zinc ${TITLES[mode]} keeps whatever raw CRIU keeps`, async () => {
      const l = lab as Lab;
      const t0 = Date.now();
      await pool(list, jobs, async (p) => {
        const raw = results.get(p.name)?.raw;
        record(p.name, mode, raw && raw.status !== 'PASS' ? notApplicable : await runZinc(l, p, mode, { home: HOME, away: AWAY }));
      });
      const slowest = list.map((p) => ({ name: p.name, ms: results.get(p.name)?.[mode]?.ms ?? 0, steps: results.get(p.name)?.[mode]?.steps ?? '' }))
        .sort((a, b) => b.ms - a.ms).slice(0, 3);
      process.stdout.write(`zinc ${TITLES[mode]}: ${list.length} programs in ${((Date.now() - t0) / 1000).toFixed(0)} s, ${jobs} at a time ` +
        `(slowest: ${slowest.map((x) => `${x.name} ${(x.ms / 1000).toFixed(1)} s [${x.steps}]`).join('; ')})\n`);
      const lost: string[] = [];
      const fixed: string[] = [];
      for (const p of list) {
        const o = results.get(p.name)?.[mode];
        const gap = knownGap(p.name, mode);
        if (o?.status === 'FAIL' && !gap) lost.push(`${p.name}: ${o.detail}${o.evidence ? ` [${o.evidence.replace(/\n/g, ' ; ')}]` : ''}`);
        if (o?.status === 'PASS' && gap) fixed.push(`${p.name} passes now: remove it from test/compat/expected.ts (${gap.finding})`);
      }
      if (lost.length && lab) process.stderr.write(`${keepLabLogs(lab, `compat-${mode}`, [HOME, AWAY], 5)}\n`);
      expect({ lost, fixed }).toEqual({ lost: [], fixed: [] });
    }, 900_000);
  }

  it.skipIf(!measure)('measure: post-copy against stop-and-copy of 4,096 one-page mappings over a 40 ms RTT', async () => {
    const m = await measureManyMappings(lab as Lab, { home: HOME, away: AWAY, mappings: 4096, wanDelayMs: 20 });
    process.stdout.write(`\n${m.text}\n`);
    if (env.ZINC_COMPAT_DOCS === '1') replaceSection(join(ROOT, 'docs', 'compat.md'), 'compat-postcopy', m.text);
    expect(m.verdicts).toEqual(['PASS']);
  }, 900_000);

  it('every known gap names its issue finding', () => {
    for (const g of KNOWN_GAPS) expect(g.finding).toMatch(/^issue 18 finding \d/);
  });
});
