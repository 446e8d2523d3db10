/**
 * The lab's programmatic API, used by zinc-lab's CLI, the integration tests, the demo and the
 * experiment runner: build a lab (`Lab.up`), attach to a running one (`Lab.open`), run things in
 * its hosts, talk to its daemons, inject faults, and remove it (`down`).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { adoptProcess, cpuLimitTarget, setupHostJobsCgroup } from './cgroups.js';
import { removeLab, type CleanupReport } from './cleanup.js';
import { answeringPid, daemonArgs, enterHostArgv, spawnDaemon, waitDaemonReady, type DaemonHost } from './daemon.js';
import { createLabPki, pkiDir, tlsArgs } from './pki.js';
import { labUserMapFile, writeLabUserMap } from './users.js';
import {
  LabAbortedError,
  LabDaemonRunningError,
  LabDomainNotFoundError,
  LabHostNotFoundError,
  LabNoCpuControllerError,
  LabNotRootError,
  LabOptionsError,
  LabToolMissingError,
} from './errors.js';
import { createHostMountNs, prepareMountNsDir } from './mount-ns.js';
import { buildBackbone, buildDomain, buildRoutes, shapeWan, wanRttUs } from './network.js';
import {
  DEFAULT_BASE_DIR,
  HOST_STATE_MOUNT,
  LAB_NAME_RE,
  ZINCD_PORT,
  backboneNs,
  cgroupHostRel,
  cgroupLabRel,
  hostNs,
  hostStateDir,
  installRoot,
  labDir,
  logDir,
  mntFile,
  probeEntry,
  relayBinary,
  relayNs,
  routerNs,
  zincCliEntry,
  zincdEntry,
} from './paths.js';
import { isAlive, procRef, signalRef, terminate, waitGone, waitReaped, type ProcRef } from './procs.js';
import { setRelayCut, startRelay } from './relay.js';
import { run, which, type RunResult } from './run.js';
import { acquireLock, readState, writeState, type DomainState, type HostState, type LabState } from './state.js';
import {
  DEFAULTS,
  PEERINGS,
  expandCounts,
  makePlan,
  parseRate,
  parseTopology,
  peersFor,
  type Peering,
  type Plan,
  type TopologyFile,
  type TopologyInput,
} from './topology.js';

export interface LabUpOptions {
  /** Lab name: a lower-case letter, then up to 11 letters/digits (no '-'). */
  name: string;
  /** `--domains M --hosts N`: N hosts dealt round-robin over M domains. Ignored with `topology`. */
  domains?: number;
  hosts?: number;
  /** A topology (already parsed) or the path of a JSON topology file. */
  topology?: TopologyInput | string;
  /** Default WAN link rate, e.g. "100mbit" or "unlimited". */
  wanRate?: string;
  /** One-way latency between hosts of different domains, in ms (each WAN link gets half). */
  wanDelayMs?: number;
  /** Rate of every host's LAN link, e.g. "1gbit"; default unlimited. */
  lanRate?: string;
  peering?: Peering;
  /** Start one zincd per host (default true). */
  daemons?: boolean;
  /** Extra zincd arguments, appended to every host's flags. */
  daemonArgs?: string[];
  /**
   * Mutual TLS between the daemons (default true): a CA per domain and a certificate per host in
   * <labDir>/pki. False runs them in plaintext with --insecure (benchmarks compare the two).
   */
  tls?: boolean;
  /** The daemon's JS entry, run with node (default <root>/dist/daemon/main.js); tests use a stand-in. */
  daemonEntry?: string;
  /** Parent of the lab directory (default /tmp/zinc-lab). */
  baseDir?: string;
  /** How long each zincd may take to accept connections (default 30 s). */
  readyTimeoutMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Aborting removes whatever was built so far and rejects with LabAbortedError. */
  signal?: AbortSignal;
}

const UpOptionsSchema = z.object({
  name: z.string().regex(LAB_NAME_RE, 'a lower-case letter, then up to 11 letters or digits (no "-")'),
  domains: z.number().int().min(1).max(250).optional(),
  hosts: z.number().int().min(1).optional(),
  wanRate: z.string().optional(),
  wanDelayMs: z.number().min(0).max(20_000).optional(),
  lanRate: z.string().optional(),
  peering: z.enum(PEERINGS).optional(),
  daemons: z.boolean().optional(),
  daemonArgs: z.array(z.string()).optional(),
  tls: z.boolean().optional(),
  daemonEntry: z.string().startsWith('/').optional(),
  baseDir: z.string().startsWith('/').optional(),
  readyTimeoutMs: z.number().int().positive().optional(),
});

/** A host as the lab's users see it. */
export interface LabHost {
  id: string;
  domain: string;
  address: string;
  /** host:port zincd listens on. */
  listen: string;
  netns: string;
  mntFile: string;
  /** The host's /var/lib/zinc as seen from the root namespaces. */
  stateDir: string;
  /** zincd's socket as seen from the root namespaces (inside the host: /var/lib/zinc/zincd.sock). */
  socket: string;
  daemonLog: string;
  speed: number;
  cores: number;
  peers: string[];
  daemonPid: number | null;
}

export interface LabDomain {
  name: string;
  subnet: string;
  gateway: string;
  wanAddress: string;
  wanRate: number | null;
  /** One-way delay of this domain's WAN link, in ms. */
  wanLinkDelayMs: number;
  relayPid: number | null;
  cut: boolean;
  hosts: string[];
}

export interface ExecOptions {
  input?: string | Buffer;
  timeoutMs?: number;
  /** Working directory inside the host (default /). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ZincOptions {
  input?: string | Buffer;
  timeoutMs?: number;
  /** Run the CLI inside the host (net+mount ns) instead of in the root namespaces. */
  inHost?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Run the CLI as this user instead of root (the daemon learns it from the kernel). */
  user?: { uid: number; gid: number };
}

export interface HostStatus extends LabHost {
  daemonAlive: boolean;
  daemonReady: boolean;
}

export interface DomainStatus extends LabDomain {
  relayAlive: boolean;
}

export interface LabStatus {
  name: string;
  complete: boolean;
  createdAt: string;
  labDir: string;
  hosts: HostStatus[];
  domains: DomainStatus[];
}

export interface Measurement {
  from: string;
  to: string;
  rttMs: { min: number; median: number; max: number; samples: number[] };
  throughputMbit: number;
  bytes: number;
  seconds: number;
}

const REQUIRED_TOOLS = ['ip', 'tc', 'nsenter', 'unshare', 'mount', 'umount', 'sysctl'];

export class Lab {
  private readonly root: string;

  private constructor(
    private state: LabState,
    private readonly log: (line: string) => void,
  ) {
    this.root = state.root;
  }

  get name(): string {
    return this.state.name;
  }

  get labDir(): string {
    return this.state.labDir;
  }

  /** The lab's PKI (CAs, host certificates, bundle.pem), or undefined if it runs without TLS. */
  get pkiDir(): string | undefined {
    return this.state.tls ? pkiDir(this.state.labDir) : undefined;
  }

  // ----- lifecycle -------------------------------------------------------------------------

  /**
   * Builds a lab. Any leftover of a lab with the same name (from a crashed or killed run) is
   * removed first. If building fails or is aborted, everything built so far is removed.
   */
  static async up(opts: LabUpOptions): Promise<Lab> {
    const parsed = UpOptionsSchema.safeParse({ ...opts, topology: undefined, log: undefined, signal: undefined });
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new LabOptionsError(`${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}`);
    }
    const o = parsed.data;
    const log = opts.log ?? (() => undefined);
    requireRoot();
    const root = installRoot();
    requireTools(root);
    const plan = makePlan(resolveTopology(opts), {
      wanRate: o.wanRate ?? DEFAULTS.wanRate,
      wanDelayMs: o.wanDelayMs ?? DEFAULTS.wanDelayMs,
      lanRate: o.lanRate ?? DEFAULTS.lanRate,
    });
    const daemons = o.daemons ?? true;
    const daemonEntry = o.daemonEntry ?? zincdEntry(root);
    if (daemons && !existsSync(daemonEntry)) {
      throw new LabToolMissingError(daemonEntry, 'Build zinc with `node scripts/build.mjs`, or pass --no-daemons');
    }
    const cpu = cpuLimitTarget();
    if (plan.hosts.some((h) => h.speed < 1) && cpu.mode === 'none') throw new LabNoCpuControllerError();

    const release = acquireLock(o.name);
    try {
      const cleaned = await removeLab(o.name, { baseDir: o.baseDir, log });
      if (cleaned.found) log(`removed leftovers of an earlier lab "${o.name}"`);
      const state = initialState(o.name, root, o.baseDir ?? DEFAULT_BASE_DIR, plan, {
        peering: o.peering ?? 'full',
        daemons,
        daemonEntry,
        extraDaemonArgs: o.daemonArgs ?? [],
        cpuLimit: cpu.mode,
        tls: o.tls ?? true,
      });
      for (const h of state.hosts) {
        if (Buffer.byteLength(h.socket) > 107) {
          throw new LabOptionsError(`socket path ${h.socket} is longer than a unix socket allows`, 'Use a shorter --name, host ids or base directory');
        }
      }
      writeState(state);
      const lab = new Lab(state, log);
      try {
        await lab.build(plan, opts.signal, o.readyTimeoutMs ?? 30_000);
      } catch (err) {
        log(`up failed (${err instanceof Error ? err.message : String(err)}); removing the partial lab`);
        await removeLab(o.name, { baseDir: o.baseDir, log }).catch((e: unknown) => log(`cleanup after failure: ${String(e)}`));
        throw err;
      }
      return lab;
    } finally {
      release();
    }
  }

  /** Attaches to a running lab through its state file. */
  static open(name: string, opts: { log?: (line: string) => void } = {}): Lab {
    return new Lab(readState(name), opts.log ?? (() => undefined));
  }

  /** Removes lab `name` completely, with or without a (valid) state file. */
  static async down(name: string, opts: { baseDir?: string; log?: (line: string) => void } = {}): Promise<CleanupReport> {
    if (!LAB_NAME_RE.test(name)) throw new LabOptionsError(`bad lab name "${name}"`);
    requireRoot();
    const release = acquireLock(name);
    try {
      return await removeLab(name, opts);
    } finally {
      release();
    }
  }

  /** Removes this lab completely: processes, cgroups, namespaces, mounts, files. */
  async down(): Promise<CleanupReport> {
    return Lab.down(this.name, { baseDir: dirname(this.state.labDir), log: this.log });
  }

  private async build(plan: Plan, signal: AbortSignal | undefined, readyTimeoutMs: number): Promise<void> {
    const step = (what: string): void => {
      if (signal?.aborted) throw new LabAbortedError(this.name);
      this.log(what);
    };
    const s = this.state;
    step(`lab ${s.name}: ${plan.domains.length} domains, ${plan.hosts.length} hosts, in ${s.labDir}`);
    mkdirSync(logDir(s.labDir), { recursive: true });
    for (const h of s.hosts) mkdirSync(h.stateDir, { recursive: true });

    step('network: backbone');
    await buildBackbone(s.name);
    for (const d of plan.domains) {
      step(`network: domain ${d.name} (${d.hosts.length} hosts)`);
      await buildDomain(s.name, plan, d);
    }
    await buildRoutes(s.name, plan);

    for (const d of s.domains) {
      step(`relay: domain ${d.name}, ${d.wanDelayUs / 1000} ms each way`);
      d.relay = await this.launchRelay(d);
      writeState(s);
    }

    step('mount namespaces');
    await prepareMountNsDir();
    for (const h of s.hosts) await createHostMountNs(h.mntFile, h.stateDir);

    const cpu = cpuLimitTarget();
    for (const h of s.hosts) setupHostJobsCgroup(cpu, cgroupHostRel(s.name, h.id), h.speed, h.cores);

    writeLabUserMap(s.labDir);
    if (s.tls) {
      step('pki: a CA per domain, a certificate per host');
      await createLabPki(pkiDir(s.labDir), s.domains.map((d) => d.name), s.hosts);
    }

    if (s.daemons) {
      step('daemons');
      await this.startDaemons(readyTimeoutMs);
    }
    s.complete = true;
    writeState(s);
  }

  private async launchRelay(d: DomainState): Promise<ProcRef> {
    const ref = await startRelay({
      binary: relayBinary(this.root),
      domain: d.name,
      relayNs: d.relayNs,
      delayUs: d.wanDelayUs,
      rateBps: d.wanRateBps,
      cut: d.cut,
      logFile: d.relayLog,
    });
    adoptProcess(`${cgroupLabRel(this.name)}/relays`, ref.pid);
    return ref;
  }

  // ----- inspection --------------------------------------------------------------------------

  hosts(): LabHost[] {
    return this.state.hosts.map(toLabHost);
  }

  host(id: string): LabHost {
    return toLabHost(this.hostState(id));
  }

  domains(): LabDomain[] {
    return this.state.domains.map((d) => toLabDomain(d, this.state.hosts));
  }

  socketPath(host: string): string {
    return this.hostState(host).socket;
  }

  async status(): Promise<LabStatus> {
    const hosts = await Promise.all(
      this.state.hosts.map(async (h) => {
        const alive = h.daemon !== null && isAlive(h.daemon);
        return { ...toLabHost(h), daemonAlive: alive, daemonReady: alive && h.daemon !== null && (await answeringPid(h.socket)) === h.daemon.pid };
      }),
    );
    return {
      name: this.name,
      complete: this.state.complete,
      createdAt: this.state.createdAt,
      labDir: this.state.labDir,
      hosts,
      domains: this.state.domains.map((d) => ({
        ...toLabDomain(d, this.state.hosts),
        relayAlive: d.relay !== null && isAlive(d.relay),
      })),
    };
  }

  // ----- running things in hosts -------------------------------------------------------------

  /** Runs argv inside a host (its network and mount namespaces) and collects its output. */
  exec(host: string, argv: readonly string[], opts: ExecOptions = {}): Promise<RunResult> {
    const h = this.hostState(host);
    return run([...enterHostArgv(h, opts.cwd ?? '/'), ...argv], { input: opts.input, timeoutMs: opts.timeoutMs, env: opts.env });
  }

  /** Starts argv inside a host and returns the child (for servers and long-running work). */
  spawn(host: string, argv: readonly string[], opts: SpawnOptions & { cwd?: string } = {}): ChildProcess {
    const h = this.hostState(host);
    const [cmd, ...args] = [...enterHostArgv(h, opts.cwd ?? '/'), ...argv];
    return spawn(cmd ?? 'nsenter', args, { ...opts, cwd: undefined });
  }

  /** Runs the zinc CLI against a host's zincd: `zinc --socket <sock> …args`. */
  zinc(host: string, args: readonly string[], opts: ZincOptions = {}): Promise<RunResult> {
    const h = this.hostState(host);
    const socket = opts.inHost ? `${HOST_STATE_MOUNT}/zincd.sock` : h.socket;
    const env = { ...process.env, ...opts.env, ZINC_SOCKET: socket };
    const argv = [process.execPath, zincCliEntry(this.root), '--socket', socket, ...args];
    // nsenter passes the environment through, so ZINC_SOCKET reaches the CLI either way.
    return run(opts.inHost ? [...enterHostArgv(h, '/'), ...argv] : argv, {
      input: opts.input,
      timeoutMs: opts.timeoutMs,
      env,
      user: opts.user,
    });
  }

  // ----- daemons -----------------------------------------------------------------------------

  /** Starts every host's zincd that is not running and waits until all accept connections. */
  async startDaemons(readyTimeoutMs = 30_000): Promise<void> {
    const started: Array<{ h: HostState; ref: ProcRef }> = [];
    for (const h of this.state.hosts) {
      if (h.daemon && isAlive(h.daemon)) continue;
      started.push({ h, ref: this.launchDaemon(h) });
    }
    writeState(this.state);
    await Promise.all(started.map(({ h, ref }) => waitDaemonReady(daemonHost(h), ref, readyTimeoutMs)));
  }

  /** (Re)starts one host's zincd with the flags it was first started with; waits until ready. */
  async startDaemon(host: string, opts: { timeoutMs?: number } = {}): Promise<number> {
    const h = this.hostState(host);
    if (h.daemon && isAlive(h.daemon)) throw new LabDaemonRunningError(h.id, h.daemon.pid);
    const ref = this.launchDaemon(h);
    writeState(this.state);
    await waitDaemonReady(daemonHost(h), ref, opts.timeoutMs ?? 30_000);
    return ref.pid;
  }

  /**
   * Sends `signal` to a host's zincd (only zincd: its jobs and their supervisors live on). For a
   * terminating signal, waits until it has exited and has been reaped, so that nothing of it is
   * left when this returns. Its parent reaps it: this process when it started the daemon, else
   * init, which here polls for orphans every second or two. Returns false if it was not running.
   */
  async killDaemon(host: string, signal: NodeJS.Signals = 'SIGTERM', opts: { waitMs?: number } = {}): Promise<boolean> {
    const h = this.hostState(host);
    const ref = h.daemon;
    if (!ref || !signalRef(ref, signal)) return false;
    if (signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGINT' || signal === 'SIGQUIT') {
      const waitMs = opts.waitMs ?? 15_000;
      if (!(await waitGone(ref, waitMs))) {
        throw new LabDaemonRunningError(h.id, ref.pid);
      }
      h.daemon = null;
      writeState(this.state);
      // A zombie holds nothing a new zincd needs (zincd's lock ignores it); waiting is for a clean
      // process table, so a parent that never reaps only costs this wait.
      if (!(await waitReaped(ref, waitMs))) this.log(`zincd of ${h.id} (pid ${ref.pid}) exited but its parent has not reaped it`);
    }
    return true;
  }

  private launchDaemon(h: HostState): ProcRef {
    const entry = this.state.daemonEntry;
    if (!existsSync(entry)) {
      throw new LabToolMissingError(entry, 'Build zinc with `node scripts/build.mjs`');
    }
    // Idempotent: re-applies the speed cap in case a previous zincd removed its jobs cgroup.
    setupHostJobsCgroup(cpuLimitTarget(), cgroupHostRel(this.name, h.id), h.speed, h.cores);
    const env = { ...process.env };
    delete env.ZINC_SOCKET;
    // Each zincd finds out for itself whether CRIU needs it (daemon/criu/breakpoints.ts), as on a real host.
    delete env.CRIU_FAULT;
    const ref = spawnDaemon(daemonHost(h), entry, h.daemonArgs, env);
    // zincd moves itself into <parent>/daemon too; doing it here first means that even a zincd
    // that dies early, or an `up` killed right now, leaves it where cleanup looks.
    if (ref.startTime >= 0) {
      try {
        adoptProcess(`${cgroupHostRel(this.name, h.id)}/daemon`, ref.pid);
      } catch {
        // It already exited; readiness reports it with its log.
      }
    }
    h.daemon = ref;
    return ref;
  }

  // ----- faults ------------------------------------------------------------------------------

  /**
   * Cuts a domain's WAN link: its relay drops every frame, both ways, silently. TCP sees a
   * blackhole: no RST, no ICMP; established connections retransmit with exponential backoff and
   * new connections time out. Traffic inside the domain is unaffected.
   */
  async cutLink(domain: string): Promise<void> {
    const d = this.domainState(domain);
    d.cut = true;
    if (!d.relay || !setRelayCut(d.relay, true)) d.relay = null; // a dead relay forwards nothing either
    writeState(this.state);
  }

  /** Restores a domain's WAN link (restarting its relay if it had died). */
  async healLink(domain: string): Promise<void> {
    const d = this.domainState(domain);
    d.cut = false;
    if (!d.relay || !setRelayCut(d.relay, false)) d.relay = await this.launchRelay(d);
    writeState(this.state);
  }

  /**
   * Changes WAN links (all, or one domain's): `rate` like "50mbit" or "unlimited"; `delayMs` is the
   * one-way latency between domains, as for `--wan-delay` (each link gets half). A delay change
   * restarts the relays, losing the few frames in flight.
   */
  async setWan(opts: { rate?: string; delayMs?: number; domain?: string }): Promise<void> {
    const targets = opts.domain ? [this.domainState(opts.domain)] : this.state.domains;
    const rate = opts.rate !== undefined ? parseRate(opts.rate) : undefined;
    const changedRelays: DomainState[] = [];
    for (const d of targets) {
      if (rate !== undefined) d.wanRateBps = rate;
      if (opts.delayMs !== undefined) {
        const us = Math.round((opts.delayMs * 1000) / 2);
        if (us !== d.wanDelayUs) changedRelays.push(d);
        d.wanDelayUs = us;
      }
    }
    // Queue sizes depend on every link's delay, so re-shape all links.
    for (const d of this.state.domains) {
      await shapeWan(this.name, d.name, d.index, d.wanRateBps, wanRttUs(this.state.domains, d.name));
    }
    for (const d of changedRelays) {
      if (d.relay) await terminate(d.relay, 1_000);
      d.relay = await this.launchRelay(d);
    }
    writeState(this.state);
  }

  // ----- measurement -------------------------------------------------------------------------

  /** Measures RTT (TCP echo) and TCP throughput from one host to another with the probe. */
  async measure(from: string, to: string, opts: { seconds?: number; rttCount?: number; port?: number } = {}): Promise<Measurement> {
    const target = this.hostState(to);
    const port = String(opts.port ?? 5201);
    const probe = probeEntry(this.root);
    if (!existsSync(probe)) throw new LabToolMissingError(probe, 'Build zinc with `node scripts/build.mjs`');
    const server = this.spawn(to, [process.execPath, probe, 'serve', target.address, port], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`probe server on ${to} did not start`)), 10_000);
        server.stdout?.on('data', (b: Buffer) => {
          out += b.toString('utf8');
          if (out.includes('listening')) {
            clearTimeout(timer);
            resolve();
          }
        });
        server.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`probe server on ${to} exited (${code})`));
        });
      });
      const node = process.execPath;
      const r = await this.exec(from, [node, probe, 'rtt', target.address, port, String(opts.rttCount ?? 20)], { timeoutMs: 120_000 });
      const rtt = z.object({ samplesMs: z.array(z.number()).min(1) }).parse(JSON.parse(r.stdout || '{}'));
      const seconds = opts.seconds ?? 5;
      const t = await this.exec(from, [node, probe, 'tput', target.address, port, String(seconds)], { timeoutMs: (seconds + 60) * 1000 });
      const tp = z.object({ bytes: z.number(), seconds: z.number(), mbit: z.number() }).parse(JSON.parse(t.stdout || '{}'));
      const sorted = [...rtt.samplesMs].sort((a, b) => a - b);
      return {
        from,
        to,
        rttMs: {
          min: sorted[0] ?? NaN,
          median: sorted[Math.floor(sorted.length / 2)] ?? NaN,
          max: sorted[sorted.length - 1] ?? NaN,
          samples: rtt.samplesMs,
        },
        throughputMbit: tp.mbit,
        bytes: tp.bytes,
        seconds: tp.seconds,
      };
    } finally {
      server.removeAllListeners('exit');
      server.kill('SIGKILL');
    }
  }

  // ----- helpers -----------------------------------------------------------------------------

  private hostState(id: string): HostState {
    const h = this.state.hosts.find((x) => x.id === id);
    if (!h) throw new LabHostNotFoundError(this.name, id, this.state.hosts.map((x) => x.id));
    return h;
  }

  private domainState(name: string): DomainState {
    const d = this.state.domains.find((x) => x.name === name);
    if (!d) throw new LabDomainNotFoundError(this.name, name, this.state.domains.map((x) => x.name));
    return d;
  }
}

function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new LabNotRootError();
}

function requireTools(root: string): void {
  for (const t of REQUIRED_TOOLS) {
    if (!which(t)) throw new LabToolMissingError(t, 'Install iproute2, util-linux and procps (and make sure /usr/sbin is on PATH)');
  }
  if (!existsSync(relayBinary(root))) {
    throw new LabToolMissingError(relayBinary(root), 'Build it with `node scripts/build.mjs` (needs a C compiler)');
  }
}

function resolveTopology(opts: LabUpOptions): TopologyFile {
  if (typeof opts.topology === 'string') {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(opts.topology, 'utf8'));
    } catch (err) {
      throw new LabOptionsError(`cannot read topology ${opts.topology}: ${(err as Error).message}`);
    }
    return parseTopology(raw, opts.topology);
  }
  if (opts.topology) return parseTopology(opts.topology, 'topology');
  const domains = opts.domains ?? 1;
  return expandCounts(domains, opts.hosts ?? domains);
}

function initialState(
  name: string,
  root: string,
  baseDir: string,
  plan: Plan,
  o: { peering: Peering; daemons: boolean; daemonEntry: string; extraDaemonArgs: string[]; cpuLimit: LabState['cpuLimit']; tls: boolean },
): LabState {
  const dir = labDir(baseDir, name);
  const peers = peersFor(plan, o.peering, ZINCD_PORT);
  const owner = procRef(process.pid);
  if (!owner) throw new Error('cannot read own /proc entry');
  const hosts: HostState[] = plan.hosts.map((p) => {
    const stateDir = hostStateDir(dir, p.id);
    const h: HostState = {
      id: p.id,
      domain: p.domain,
      index: p.index,
      address: p.address,
      netns: hostNs(name, p.id),
      mntFile: mntFile(name, p.id),
      stateDir,
      socket: `${stateDir}/zincd.sock`,
      daemonLog: `${logDir(dir)}/${p.id}.zincd.log`,
      speed: p.speed,
      cores: p.cores,
      peers: peers.get(p.id) ?? [],
      daemonArgs: [],
      daemon: null,
    };
    const transport = o.tls ? tlsArgs(pkiDir(dir), h) : ['--insecure'];
    h.daemonArgs = daemonArgs(daemonHost(h), cgroupHostRel(name, p.id), [...transport, '--user-map', labUserMapFile(dir), ...o.extraDaemonArgs]);
    return h;
  });
  return {
    version: 1,
    name,
    createdAt: new Date().toISOString(),
    complete: false,
    owner,
    root,
    labDir: dir,
    backboneNs: backboneNs(name),
    lanRateBps: plan.lanRateBps,
    peering: o.peering,
    daemons: o.daemons,
    daemonEntry: o.daemonEntry,
    extraDaemonArgs: o.extraDaemonArgs,
    cpuLimit: o.cpuLimit,
    tls: o.tls,
    domains: plan.domains.map((d) => ({
      name: d.name,
      index: d.index,
      subnet: d.subnet,
      gateway: d.gateway,
      wanAddress: d.wanAddress,
      routerNs: routerNs(name, d.name),
      relayNs: relayNs(name, d.name),
      wanRateBps: d.wanRateBps,
      wanDelayUs: d.wanDelayUs,
      relay: null,
      relayLog: `${logDir(dir)}/relay-${d.name}.log`,
      cut: false,
    })),
    hosts,
  };
}

function daemonHost(h: HostState): DaemonHost {
  return h;
}

function toLabHost(h: HostState): LabHost {
  return {
    id: h.id,
    domain: h.domain,
    address: h.address,
    listen: `${h.address}:${ZINCD_PORT}`,
    netns: h.netns,
    mntFile: h.mntFile,
    stateDir: h.stateDir,
    socket: h.socket,
    daemonLog: h.daemonLog,
    speed: h.speed,
    cores: h.cores,
    peers: [...h.peers],
    daemonPid: h.daemon && isAlive(h.daemon) ? h.daemon.pid : null,
  };
}

function toLabDomain(d: DomainState, hosts: HostState[]): LabDomain {
  return {
    name: d.name,
    subnet: d.subnet,
    gateway: d.gateway,
    wanAddress: d.wanAddress,
    wanRate: d.wanRateBps,
    wanLinkDelayMs: d.wanDelayUs / 1000,
    relayPid: d.relay && isAlive(d.relay) ? d.relay.pid : null,
    cut: d.cut,
    hosts: hosts.filter((h) => h.domain === d.name).map((h) => h.id),
  };
}
