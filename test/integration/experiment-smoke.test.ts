/**
 * `zinc-experiment run smoke` end to end on the real lab (netns hosts, zincd, CRIU migrations):
 * every output present and well-formed, and every run completed jobs. The shipped smoke
 * configuration is sized to finish in under three minutes on two cores.
 *
 * Run: cd /work/main && node scripts/build.mjs; npx vitest run test/integration/experiment-smoke.test.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Lab } from '../../infra/lab/lab.js';
import { stateFile } from '../../infra/lab/paths.js';
import { checkOutputs } from '../helpers/experiment-outputs.js';
import { ROOT, missing, titled } from '../helpers/env.js';

const reason = missing({ root: true, criu: true });
const LAB = 'xsmoke'; // lab.name in infra/experiment/configs/smoke.json
const ENTRY = join(ROOT, 'dist', 'infra', 'experiment', 'main.js');
const LIMIT_MS = 280_000;

describe.skipIf(reason !== undefined)(titled('zinc-experiment run smoke (real lab)', reason), () => {
  const out = mkdtempSync(join(tmpdir(), 'zexp-smoke-'));
  let child: ChildProcess | undefined;

  afterAll(async () => {
    // If the run is still going (the test timed out), stop it by its pid: it removes its lab.
    if (child && child.exitCode === null && child.pid) {
      child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 10_000));
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    if (existsSync(stateFile(LAB))) await Lab.down(LAB).catch(() => undefined);
    rmSync(out, { recursive: true, force: true });
  }, 60_000);

  it(
    'runs every cell on the lab and writes well-formed outputs',
    async () => {
      const t0 = Date.now();
      const stderr: string[] = [];
      const code = await new Promise<number | null>((resolve, reject) => {
        child = spawn(process.execPath, [ENTRY, 'run', 'smoke', '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
        child.stderr?.on('data', (b: Buffer) => stderr.push(b.toString('utf8')));
        child.stdout?.on('data', (b: Buffer) => stderr.push(b.toString('utf8')));
        child.once('error', reject);
        child.once('exit', (c) => resolve(c));
      });
      const seconds = (Date.now() - t0) / 1000;
      console.log(`zinc-experiment run smoke: ${seconds.toFixed(0)} s\n${stderr.join('').split('\n').filter((l) => / done in |finished|wrote/.test(l)).join('\n')}`);
      expect(code, stderr.join('')).toBe(0);

      const o = checkOutputs(out, { runs: 8, factors: ['migration', 'placement', 'migration × placement'], mode: 'lab' });
      for (const r of o.rows) expect(Number(r.completed), `run ${r.order} (${r.migration}/${r.placement}) completed no job`).toBeGreaterThan(0);
      // Migration was on in half the runs, and the balancer moved jobs in at least one of them.
      expect(o.rows.filter((r) => r.migration === 'off').every((r) => r.migrations === '0')).toBe(true);
      expect(o.report).toMatch(/## Simulation vs lab/);
      expect(o.report).toMatch(/physical upper bound/);
      expect(existsSync(join(out, 'sim-runs.csv'))).toBe(true);
      const jobs = readFileSync(join(out, 'jobs.csv'), 'utf8').trim().split('\n');
      expect(jobs.length - 1).toBe(o.rows.reduce((n, r) => n + Number(r.submitted), 0));
      // The experiment removed its lab.
      expect(existsSync(stateFile(LAB))).toBe(false);
    },
    LIMIT_MS,
  );
});
