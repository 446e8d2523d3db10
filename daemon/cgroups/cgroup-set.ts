/**
 * One logical cgroup (e.g. "zinc/jobs/frodo-1.42") across every hierarchy zinc uses: the v2 tree
 * for freeze/kill/cpu time where it exists, and v1 controllers for what the v2 tree lacks (memory
 * limits and peak usage, cpu quota, freezer on pure-v1 hosts).
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CgroupLayout, V1Controller } from './detect.js';
import { CgroupOperationError, CgroupUnavailableError } from './errors.js';

export interface CgroupUsage {
  cpuUsec: number | undefined;
  peakBytes: number | undefined;
}

export class CgroupSet {
  /** Absolute directory of this cgroup in each hierarchy it exists in. */
  readonly v2: string | undefined;
  readonly v1: Partial<Record<V1Controller, string>>;

  constructor(readonly layout: CgroupLayout, readonly relPath: string) {
    if (layout.mode === 'none') throw new CgroupUnavailableError('no cgroup hierarchy is mounted');
    this.v2 = layout.v2Root ? `${layout.v2Root}/${relPath}` : undefined;
    const v1: Partial<Record<V1Controller, string>> = {};
    // On hybrid hosts the v2 tree already gives freeze/kill/cpu time; use v1 only for what v2 lacks.
    for (const [c, mount] of Object.entries(layout.v1) as Array<[V1Controller, string]>) {
      if (this.v2 && layout.v2Controllers.includes(c === 'cpuacct' ? 'cpu' : c)) continue;
      if (c === 'freezer' && this.v2 && layout.v2Freeze) continue;
      v1[c] = `${mount}/${relPath}`;
    }
    this.v1 = v1;
  }

  /** Every directory of this cgroup, v2 first. */
  dirs(): string[] {
    const all = [...(this.v2 ? [this.v2] : []), ...Object.values(this.v1)];
    return [...new Set(all)];
  }

  /** The cgroup.procs files a process writes "0" into to join this cgroup everywhere. */
  procsFiles(): string[] {
    return this.dirs().map((d) => `${d}/cgroup.procs`);
  }

  exists(): boolean {
    const first = this.dirs()[0];
    return first !== undefined && existsSync(first);
  }

  create(): void {
    if (this.v2 && this.layout.v2Controllers.length > 0) this.enableV2Controllers();
    for (const d of this.dirs()) {
      try {
        mkdirSync(d, { recursive: true });
      } catch (err) {
        throw new CgroupOperationError('create', d, (err as Error).message);
      }
    }
  }

  /** Pure v2: controllers must be enabled in every ancestor's subtree_control, top-down. */
  private enableV2Controllers(): void {
    const root = this.layout.v2Root;
    if (!root) return;
    const wanted = ['cpu', 'memory', 'pids'].filter((c) => this.layout.v2Controllers.includes(c));
    const parts = this.relPath.split('/');
    let dir = root;
    for (let i = 0; i < parts.length - 1; i++) {
      dir = `${dir}/${parts[i]}`;
      mkdirSync(dir, { recursive: true });
      const have = readText(`${dir}/cgroup.subtree_control`)?.split(/\s+/) ?? [];
      const missing = wanted.filter((c) => !have.includes(c));
      if (missing.length === 0) continue;
      try {
        writeFileSync(`${dir}/cgroup.subtree_control`, missing.map((c) => `+${c}`).join(' '));
      } catch {
        // Not fatal: limits are unavailable, accounting and freeze/kill still work.
      }
    }
  }

  pids(): number[] {
    for (const d of this.dirs()) {
      const text = readText(`${d}/cgroup.procs`);
      if (text === undefined) continue;
      return text.split('\n').filter(Boolean).map(Number);
    }
    return [];
  }

  isEmpty(): boolean {
    return this.pids().length === 0;
  }

  async freeze(): Promise<void> {
    if (this.v2 && this.layout.v2Freeze) {
      this.write(`${this.v2}/cgroup.freeze`, '1', 'freeze');
      await this.waitFor(() => /(^|\n)frozen 1/.test(readText(`${this.v2}/cgroup.events`) ?? ''), 'freeze');
      return;
    }
    const f = this.v1.freezer;
    if (!f) throw new CgroupOperationError('freeze', this.relPath, 'no freezer available (neither v2 cgroup.freeze nor v1 freezer)');
    this.write(`${f}/freezer.state`, 'FROZEN', 'freeze');
    await this.waitFor(() => readText(`${f}/freezer.state`)?.trim() === 'FROZEN', 'freeze');
  }

  async thaw(): Promise<void> {
    if (this.v2 && this.layout.v2Freeze) {
      this.write(`${this.v2}/cgroup.freeze`, '0', 'thaw');
      await this.waitFor(() => /(^|\n)frozen 0/.test(readText(`${this.v2}/cgroup.events`) ?? ''), 'thaw');
      return;
    }
    const f = this.v1.freezer;
    if (!f) throw new CgroupOperationError('thaw', this.relPath, 'no freezer available');
    this.write(`${f}/freezer.state`, 'THAWED', 'thaw');
    await this.waitFor(() => readText(`${f}/freezer.state`)?.trim() === 'THAWED', 'thaw');
  }

  /** The directory CRIU's --freeze-cgroup should use (v2 with cgroup.freeze, else v1 freezer). */
  freezerDir(): string | undefined {
    if (this.v2 && this.layout.v2Freeze) return this.v2;
    return this.v1.freezer;
  }

  isFrozen(): boolean {
    if (this.v2 && this.layout.v2Freeze) return /(^|\n)frozen 1/.test(readText(`${this.v2}/cgroup.events`) ?? '');
    const f = this.v1.freezer;
    return f ? readText(`${f}/freezer.state`)?.trim() === 'FROZEN' : false;
  }

  /**
   * Signal every process of the tree. SIGKILL uses cgroup.kill where available (no process can
   * escape by forking meanwhile); otherwise the tree is frozen, signalled, and thawed, repeatedly,
   * until it is empty.
   */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (signal === 'SIGKILL' && this.v2 && this.layout.v2Kill) {
      this.write(`${this.v2}/cgroup.kill`, '1', 'kill');
      return;
    }
    if (signal !== 'SIGKILL') {
      for (const pid of this.pids()) signalPid(pid, signal);
      return;
    }
    for (let round = 0; round < 50 && !this.isEmpty(); round++) {
      let frozen = false;
      try {
        await this.freeze();
        frozen = true;
      } catch {
        // Without a freezer, signal anyway; forks in flight are caught on the next round.
      }
      for (const pid of this.pids()) signalPid(pid, 'SIGKILL');
      if (frozen) await this.thaw();
      await sleep(20);
    }
  }

  /** Wait until the cgroup has no process left (after a kill), up to `timeoutMs`. */
  async waitEmpty(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.isEmpty()) return true;
      await sleep(10);
    }
    return this.isEmpty();
  }

  usage(): CgroupUsage {
    let cpuUsec: number | undefined;
    if (this.v2) {
      const m = /(^|\n)usage_usec (\d+)/.exec(readText(`${this.v2}/cpu.stat`) ?? '');
      if (m) cpuUsec = Number(m[2]);
    }
    if (cpuUsec === undefined && this.v1.cpuacct) {
      const ns = readText(`${this.v1.cpuacct}/cpuacct.usage`);
      if (ns) cpuUsec = Math.round(Number(ns.trim()) / 1000);
    }
    let peakBytes: number | undefined;
    if (this.v1.memory) {
      const v = readText(`${this.v1.memory}/memory.max_usage_in_bytes`);
      if (v) peakBytes = Number(v.trim());
    } else if (this.v2) {
      const v = readText(`${this.v2}/memory.peak`);
      if (v) peakBytes = Number(v.trim());
    }
    return { cpuUsec, peakBytes };
  }

  /** Current memory in use by the tree, if a memory controller is available. */
  memoryCurrent(): number | undefined {
    const v = this.v1.memory
      ? readText(`${this.v1.memory}/memory.usage_in_bytes`)
      : this.v2
        ? readText(`${this.v2}/memory.current`)
        : undefined;
    return v ? Number(v.trim()) : undefined;
  }

  /** Hard memory limit for the tree; false when no memory controller is available. */
  setMemoryLimit(bytes: number): boolean {
    if (this.v1.memory) {
      this.write(`${this.v1.memory}/memory.limit_in_bytes`, String(bytes), 'set memory limit');
      return true;
    }
    if (this.v2 && existsSync(`${this.v2}/memory.max`)) {
      this.write(`${this.v2}/memory.max`, String(bytes), 'set memory limit');
      return true;
    }
    return false;
  }

  /** CPU bandwidth limit in cores (e.g. 0.5). false when no cpu controller is available. */
  setCpuLimit(cores: number): boolean {
    const period = 100_000;
    const quota = Math.max(1000, Math.round(cores * period));
    if (this.v1.cpu && existsSync(`${this.v1.cpu}/cpu.cfs_quota_us`)) {
      this.write(`${this.v1.cpu}/cpu.cfs_period_us`, String(period), 'set cpu limit');
      this.write(`${this.v1.cpu}/cpu.cfs_quota_us`, String(quota), 'set cpu limit');
      return true;
    }
    if (this.v2 && existsSync(`${this.v2}/cpu.max`)) {
      this.write(`${this.v2}/cpu.max`, `${quota} ${period}`, 'set cpu limit');
      return true;
    }
    return false;
  }

  /** Remove the cgroup everywhere. Fails softly (returns false) while processes remain. */
  remove(): boolean {
    let ok = true;
    for (const d of this.dirs()) {
      try {
        rmdirSync(d);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') ok = false;
      }
    }
    return ok;
  }

  private write(path: string, value: string, op: string): void {
    try {
      writeFileSync(path, value);
    } catch (err) {
      throw new CgroupOperationError(op, path, (err as Error).message);
    }
  }

  private async waitFor(cond: () => boolean, op: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) throw new CgroupOperationError(op, this.relPath, `timed out after ${timeoutMs} ms`);
      await sleep(2);
    }
  }
}

function readText(p: string): string | undefined {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
