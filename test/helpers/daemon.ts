/**
 * Real zincd processes for tests: each on its own temp state dir, socket, port and cgroup subtree,
 * all removed afterwards (processes killed by PID and by cgroup, never by name).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destroyCgroupTree } from './cgroups.js';
import { ZINC, ZINCD } from './env.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string; uid?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const asUser = opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid };
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], ...asUser });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (t) clearTimeout(t);
      resolve({ code: code ?? 128 + (signal ? 9 : 0), stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

export interface DaemonOptions {
  hostId: string;
  domain?: string;
  peers?: string[];
  extraArgs?: string[];
}

export class TestDaemon {
  readonly stateDir: string;
  readonly socket: string;
  readonly cgroupParent: string;
  address = '';
  private child: ChildProcess | undefined;
  private logs = '';

  constructor(readonly group: TestGrid, readonly o: DaemonOptions) {
    this.stateDir = mkdtempSync(join(tmpdir(), `zinc-test-${o.hostId}-`));
    this.socket = join(this.stateDir, 'zincd.sock');
    this.cgroupParent = `${group.cgroupRoot}/${o.hostId}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(extraArgs: string[] = []): Promise<void> {
    // One organisation: every domain's accounts (root included) are the same accounts here.
    // Tests of the mapping itself pass their own --user-map, which comes later and wins.
    const userMap = join(this.stateDir, 'user-map.json');
    writeFileSync(userMap, JSON.stringify({ '*': { '*': '=', root: 'root' } }));
    const args = [
      ZINCD,
      '--host-id', this.o.hostId,
      '--domain', this.o.domain ?? 'default',
      '--state-dir', this.stateDir,
      '--listen', this.address || '127.0.0.1:0',
      '--cgroup-parent', this.cgroupParent,
      '--log-level', 'debug',
      '--gossip-interval', '200ms',
      '--user-map', userMap,
      ...(this.o.peers?.length ? ['--peers', this.o.peers.join(',')] : []),
      ...(this.o.extraArgs ?? []),
      ...extraArgs,
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    const from = this.logs.length;
    child.stderr?.on('data', (d: Buffer) => (this.logs += d.toString()));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const m = /"listen":"([^"]+)".*"msg":"zincd ready"/.exec(this.logs.slice(from));
      if (m && existsSync(this.socket)) {
        this.address = m[1] ?? '';
        return;
      }
      if (child.exitCode !== null) throw new Error(`zincd ${this.o.hostId} exited: ${this.logs.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`zincd ${this.o.hostId} did not become ready: ${this.logs.slice(-2000)}`);
  }

  /** SIGTERM (graceful: jobs keep running) or SIGKILL (crash). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await exited;
  }

  async restart(): Promise<void> {
    await this.stop('SIGKILL');
    await this.start();
  }

  zinc(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
    return run(process.execPath, [ZINC, '--socket', this.socket, ...args], { timeoutMs: opts.timeoutMs ?? 60_000, env: opts.env });
  }

  /** zinc … run as another uid (and the gid of the same number), with only PATH in its environment. */
  zincAs(uid: number, args: string[]): Promise<RunResult> {
    return run(process.execPath, [ZINC, '--socket', this.socket, ...args], { timeoutMs: 60_000, uid, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  }

  /** zinc …, expecting success; returns trimmed stdout. */
  async ok(args: string[]): Promise<string> {
    const r = await this.zinc(args);
    if (r.code !== 0) throw new Error(`zinc ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout.trim();
  }

  async json<T>(args: string[]): Promise<T> {
    return JSON.parse(await this.ok([...args, '--json'])) as T;
  }

  log(): string {
    return this.logs;
  }

  jobCgroup(gpid: string): string {
    return `${this.cgroupParent}/jobs/${gpid}`;
  }

  readFileInJob(gpid: string, name: string): string {
    return readFileSync(join(this.stateDir, 'jobs', gpid, 'files', name), 'utf8');
  }
}

/** A set of daemons sharing one cgroup subtree; `destroy()` removes every trace. */
export class TestGrid {
  readonly cgroupRoot = `zinc-test/${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly daemons: TestDaemon[] = [];

  async add(o: DaemonOptions): Promise<TestDaemon> {
    const d = new TestDaemon(this, o);
    this.daemons.push(d);
    await d.start();
    return d;
  }

  async destroy(): Promise<void> {
    for (const d of this.daemons) await d.stop('SIGKILL').catch(() => undefined);
    await destroyCgroupTree(this.cgroupRoot);
    for (const d of this.daemons) rmSync(d.stateDir, { recursive: true, force: true });
  }
}

export async function waitUntil<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
