/**
 * `zinc doctor`: what this host has and lacks for zinc, each finding with what to do about it.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import type { DoctorCheck } from '../../proto/generated/zinc/v1/DoctorCheck.js';
import { describeLayout, type CgroupLayout } from '../cgroups/detect.js';

export interface DoctorInputs {
  cgroups: CgroupLayout;
  shimPath: string;
  stateDir: string;
  /** CRIU findings; filled by the checkpoint area. */
  criuChecks: () => Promise<DoctorCheck[]>;
}

export async function runDoctor(i: DoctorInputs): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  checks.push({ name: 'kernel', ok: true, detail: `Linux ${release()} (${process.arch})`, fix: '', warning: false });
  checks.push({
    name: 'root',
    ok: process.getuid?.() === 0,
    detail: process.getuid?.() === 0 ? 'zincd runs as root' : `zincd runs as uid ${process.getuid?.()}`,
    fix: 'Run zincd as root: it creates PID namespaces and cgroups and runs CRIU',
    warning: false,
  });
  const cg = i.cgroups;
  checks.push({
    name: 'cgroups',
    ok: cg.mode !== 'none',
    detail: describeLayout(cg),
    fix: 'Mount a cgroup hierarchy (cgroup2 at /sys/fs/cgroup) — zinc tracks and controls jobs through cgroups',
    warning: false,
  });
  const canFreeze = (cg.v2Root !== undefined && cg.v2Freeze) || cg.v1.freezer !== undefined;
  checks.push({
    name: 'freeze',
    ok: canFreeze,
    detail: canFreeze ? `whole-job stop/cont via ${cg.v2Freeze ? 'cgroup v2 cgroup.freeze' : 'cgroup v1 freezer'}` : 'no freezer',
    fix: 'Use a kernel with cgroup v2 (≥ 5.2) or mount the v1 freezer controller',
    warning: false,
  });
  checks.push({
    name: 'kill',
    ok: true,
    detail: cg.v2Kill ? 'whole-job kill via cgroup.kill' : 'whole-job kill by freezing and signalling every process',
    fix: '',
    warning: !cg.v2Kill,
  });
  const memLimit = cg.v1.memory !== undefined || cg.v2Controllers.includes('memory');
  checks.push({
    name: 'memory limits',
    ok: memLimit,
    detail: memLimit ? `--mem enforced by ${cg.v1.memory ? 'cgroup v1 memory' : 'cgroup v2 memory.max'}` : 'no memory controller: --mem only guides placement',
    fix: 'Enable the memory controller (cgroup_enable=memory) to enforce --mem',
    warning: true,
  });
  const shimOk = isExecutable(i.shimPath);
  checks.push({
    name: 'supervisor',
    ok: shimOk,
    detail: shimOk ? i.shimPath : `missing: ${i.shimPath}`,
    fix: 'Build it with `npm run build` in the zinc checkout (needs cc)',
    warning: false,
  });
  checks.push({
    name: 'pid namespaces',
    ok: existsSync('/proc/self/ns/pid'),
    detail: 'every job runs as pid 1 of its own PID namespace',
    fix: 'Enable CONFIG_PID_NS in the kernel',
    warning: false,
  });
  let maxUserNs = '';
  try {
    maxUserNs = readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim();
  } catch {
    // informational only
  }
  if (maxUserNs) checks.push({ name: 'pid_max', ok: true, detail: maxUserNs, fix: '', warning: false });
  checks.push(...(await i.criuChecks()));
  return checks;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
