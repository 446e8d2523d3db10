/**
 * The zinc modes: the program runs as a zinc job on a lab host of domain d1 and is
 *  - migrate:    moved to a host of domain d2 and back (`zinc migrate --to`),
 *  - lazy:       the same with post-copy (`--lazy`),
 *  - checkpoint: checkpointed (which stops it) and restarted (`zinc checkpoint`, `zinc restart`),
 * then sent SIGTERM with `zinc kill --signal TERM`; its verdict is read with `zinc logs`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../../infra/lab/lab.js';
import { jobFile } from '../helpers/lab.js';
import type { Program } from './programs.js';
import { failed, outcomeOf, verdict, type Outcome, type ZincMode } from './result.js';

export interface ZincHosts {
  home: string; // d1
  away: string; // d2
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A step that takes longer has hung: the slowest one seen here (post-copy of many_mappings on
 * a loaded machine) takes under a minute. */
const STEP_TIMEOUT_MS = 150_000;

/** The phase of every migration record the lab hosts still hold for the job (a hung or
 * unfinished migration leaves them behind). */
export function migrationPhases(lab: Lab, hosts: readonly string[], gpid: string): string {
  const out: string[] = [];
  for (const h of hosts) {
    const dir = join(lab.host(h).stateDir, 'migrations');
    for (const id of existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith(`${gpid}-`)) : []) {
      for (const f of ['source.json', 'dest.json']) {
        try {
          const rec = JSON.parse(readFileSync(join(dir, id, f), 'utf8')) as { role?: string; phase?: string; lazy?: boolean };
          out.push(`${h}: migration ${id} ${rec.role ?? f} ${rec.lazy ? '(post-copy) ' : ''}still in phase ${rec.phase ?? '?'}`);
        } catch {
          // no record of that role
        }
      }
    }
  }
  return out.join('; ');
}

class StepFailed extends Error {}

/** zincd log lines of the lab hosts that mention the job (last few per host): what the daemons
 * said about a failed step. */
export function daemonLines(lab: Lab, hosts: readonly string[], gpid: string, n = 4): string {
  return hosts
    .map((h) => {
      let text = '';
      try {
        text = readFileSync(lab.host(h).daemonLog, 'utf8');
      } catch {
        return '';
      }
      const lines = text.split('\n').filter((l) => l.includes(gpid) && /"level":(40|50|60)/.test(l)).slice(-n);
      return lines.length ? `${h} zincd: ${lines.map((l) => {
        try {
          const j = JSON.parse(l) as { msg?: string; err?: string; reason?: string; error?: string };
          return [j.msg, j.err ?? j.reason ?? j.error].filter(Boolean).join(': ');
        } catch {
          return l;
        }
      }).join(' | ')}` : '';
    })
    .filter(Boolean)
    .join('\n');
}

export async function runZinc(lab: Lab, p: Program, mode: ZincMode, hosts: ZincHosts): Promise<Outcome> {
  const t0 = Date.now();
  const ms = () => Date.now() - t0;
  let gpid = '';
  const steps: string[] = [];
  const zinc = async (host: string, args: string[], step: string): Promise<string> => {
    const ts = Date.now();
    for (let attempt = 0; ; attempt++) {
      const r = await lab.zinc(host, args, { timeoutMs: STEP_TIMEOUT_MS });
      if (r.code === 0) {
        steps.push(`${args[0]} ${((Date.now() - ts) / 1000).toFixed(1)}`);
        return r.stdout;
      }
      // The destination's bound on concurrent incoming migrations (the suite moves several jobs
      // at once): zinc says the job was not touched and to retry, so the harness does.
      if (r.code === 3 && /already receives \d+ migrations/.test(r.stderr) && attempt < 60) {
        await sleep(500 + Math.random() * 500);
        continue;
      }
      if (r.code === 137 && Date.now() - ts >= STEP_TIMEOUT_MS) throw new StepFailed(`${step}: no answer within ${STEP_TIMEOUT_MS / 1000} s (hung)`);
      throw new StepFailed(`${step}: zinc exited ${r.code}: ${r.stderr.trim().split('\n')[0] ?? ''}`);
    }
  };
  const logs = async (): Promise<string> => (await lab.zinc(hosts.home, ['logs', gpid], { timeoutMs: 60_000 })).stdout;
  let ended = false;
  try {
    gpid = (await zinc(hosts.home, ['submit', '--host', hosts.home, '--name', `compat-${p.name}`, '--', p.path, ...p.args], 'submit')).trim();
    // Ready: read straight from the home host's job directory (a CLI call per poll is ~0.3 s).
    for (let deadline = Date.now() + 30_000; ; await sleep(100)) {
      const text = jobFile(lab, hosts.home, gpid, 'stdout');
      if (text.includes('READY')) break;
      if (verdict(text) || Date.now() > deadline) throw new StepFailed(`not ready: ${text.trim() || '(no output)'}`);
    }
    if (mode === 'checkpoint') {
      await zinc(hosts.home, ['checkpoint', gpid], 'zinc checkpoint');
      await zinc(hosts.home, ['restart', gpid], 'zinc restart');
    } else {
      const lazy = mode === 'lazy' ? ['--lazy'] : [];
      await zinc(hosts.home, ['migrate', gpid, '--to', hosts.away, ...lazy, '--json'], `zinc migrate --to ${hosts.away}${lazy.join('')}`);
      await zinc(hosts.away, ['migrate', gpid, '--to', hosts.home, ...lazy, '--json'], `zinc migrate back --to ${hosts.home}${lazy.join('')}`);
    }
    await zinc(hosts.home, ['kill', '--signal', 'TERM', gpid], 'zinc kill --signal TERM');
    // The verdict is the job's last word: wait for it in the job's file (cheap), then take the
    // output through `zinc logs`, as a user would.
    for (let deadline = Date.now() + 30_000; !verdict(jobFile(lab, hosts.home, gpid, 'stdout')) && Date.now() < deadline; ) await sleep(100);
    const text = await logs();
    ended = verdict(text) !== undefined;
    return { ...outcomeOf(text, ms()), steps: steps.join(', ') };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const evidence = gpid ? [migrationPhases(lab, [hosts.home, hosts.away], gpid), daemonLines(lab, [hosts.home, hosts.away], gpid)].filter(Boolean).join('\n') : '';
    return failed(msg, evidence, ms());
  } finally {
    // SIGKILL whatever is left (a job that never answered SIGTERM, or a failed step).
    if (gpid && !ended) await lab.zinc(hosts.home, ['kill', gpid], { timeoutMs: 60_000 }).catch(() => undefined);
  }
}
