/** Helpers for tests that run on a real netns lab (infra/lab). */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectCgroups } from '../../daemon/cgroups/detect.js';
import { Lab, type LabUpOptions } from '../../infra/lab/lab.js';
import { waitUntil } from './daemon.js';
import { procsUnder } from './cgroups.js';

export { Lab };

export async function upLab(o: LabUpOptions): Promise<Lab> {
  return Lab.up({ readyTimeoutMs: 60_000, ...o });
}

/**
 * Keeps a copy of the lab's logs (every zincd and relay) under $TMPDIR/zinc-test-logs/<lab>/<label>
 * for a failed test, since `lab.down()` removes them, and returns the last lines of the named
 * hosts' zincd logs so that the failure message itself (all CI shows) says what the daemons did.
 */
export function keepLabLogs(lab: Lab, label: string, hosts: readonly string[], lines = 15): string {
  const dest = join(tmpdir(), 'zinc-test-logs', lab.name, label.replace(/[^a-zA-Z0-9._-]+/g, '-'));
  try {
    cpSync(join(lab.labDir, 'logs'), dest, { recursive: true });
  } catch {
    // nothing to keep
  }
  const tails = hosts.map((h) => {
    let text = '';
    try {
      text = readFileSync(lab.host(h).daemonLog, 'utf8');
    } catch {
      // no log yet
    }
    return `--- ${h} zincd log, last ${lines} lines ---\n${text.trimEnd().split('\n').slice(-lines).join('\n')}`;
  });
  return `lab logs kept in ${dest}\n${tails.join('\n')}`;
}

/** Run a zinc command on a lab host; throws with stderr when it fails. */
export async function zincOk(lab: Lab, host: string, args: string[]): Promise<string> {
  const r = await lab.zinc(host, args, { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`zinc ${args.join(' ')} on ${host} failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}

export async function zincJson<T>(lab: Lab, host: string, args: string[]): Promise<T> {
  return JSON.parse(await zincOk(lab, host, [...args, '--json'])) as T;
}

/** The lab host's cgroup for a job. */
export function jobCgroup(lab: Lab, host: string, gpid: string): string {
  return `zinc-lab/${lab.name}/${host}/jobs/${gpid}`;
}

function frozen(rel: string): boolean {
  const l = detectCgroups();
  if (l.v2Root && existsSync(join(l.v2Root, rel, 'cgroup.events'))) return /frozen 1/.test(readFileSync(join(l.v2Root, rel, 'cgroup.events'), 'utf8'));
  const f = l.v1.freezer ? join(l.v1.freezer, rel, 'freezer.state') : '';
  return f !== '' && existsSync(f) && readFileSync(f, 'utf8').trim() === 'FROZEN';
}

export interface Copy {
  host: string;
  pids: number[];
  frozen: boolean;
}

/** A restore supervisor's child waiting for "go" in the job's cgroup (zinc-shim names it so). */
function isWaitingRestore(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'zinc-restore';
  } catch {
    return false;
  }
}

/** Every host that holds processes of the job, and whether they are frozen. A destination's
 * restore supervisor waiting for the commit is not a copy of the job. */
export function copiesOf(lab: Lab, gpid: string): Copy[] {
  const out: Copy[] = [];
  for (const h of lab.hosts()) {
    const rel = jobCgroup(lab, h.id, gpid);
    const pids = procsUnder(rel).filter((p) => !isWaitingRestore(p));
    if (pids.length) out.push({ host: h.id, pids, frozen: frozen(rel) });
  }
  return out;
}

export function jobFile(lab: Lab, host: string, gpid: string, name: string): string {
  const p = join(lab.host(host).stateDir, 'jobs', gpid, 'files', name);
  return existsSync(p) ? readFileSync(p, 'utf8') : '';
}

/** Migration records and scratch directories left on a host (should be none when idle). */
export function migrationLeftovers(lab: Lab, host: string): string[] {
  const dir = join(lab.host(host).stateDir, 'migrations');
  return existsSync(dir) ? readdirSync(dir) : [];
}

export function failpointDir(lab: Lab, host: string): string {
  return join(lab.host(host).stateDir, 'failpoints');
}

/** Arm a failpoint on a host: the daemon pauses there (up to `ms`) until disarmed. */
export function armFailpoint(lab: Lab, host: string, name: string, ms = 30_000): void {
  const dir = failpointDir(lab, host);
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, `${name}.hit`), { force: true });
  writeFileSync(join(dir, name), String(ms));
}

export function disarmFailpoint(lab: Lab, host: string, name: string): void {
  rmSync(join(failpointDir(lab, host), name), { force: true });
}

export async function waitFailpointHit(lab: Lab, host: string, name: string, timeoutMs = 30_000): Promise<void> {
  await waitUntil(`failpoint ${name} on ${host}`, () => existsSync(join(failpointDir(lab, host), `${name}.hit`)), timeoutMs, 20);
}

/** Numbers printed by the job, in order ("beat N" lines or bare numbers). */
export function numbers(text: string): number[] {
  return text
    .split('\n')
    .map((l) => /(\d+)$/.exec(l.trim())?.[1])
    .filter((x): x is string => x !== undefined)
    .map(Number);
}

/** Strictly 1, 2, 3, …: no gap, no repeat. */
export function isContinuous(xs: number[]): boolean {
  return xs.length > 0 && xs.every((x, i) => x === i + 1);
}
