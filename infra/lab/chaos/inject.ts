/**
 * Carries out the catalogue's faults on a lab through its API (infra/lab/lab.ts): signals only the
 * lab's own zincd processes, cuts links at the lab's relays, drains through the zinc CLI. Every
 * fault is reverted before `apply` returns.
 */
import { LabDaemonStartError } from '../errors.js';
import type { Lab } from '../lab.js';
import { sleep } from '../run.js';
import type { Fault } from './faults.js';
import { KeyedLock, RefCount } from './locks.js';

export interface Applied {
  /** When the fault took effect and when it was reverted (ms since the epoch). */
  injectedAt: number;
  revertedAt: number;
  /** Where it was applied, e.g. "d1-h2" or "domain d2" or "all". */
  target: string;
}

/** Something the harness could not do as planned; printed, and kept with the run's results. */
export interface Incident {
  at: number;
  what: string;
  /** A daemon that would not come back is reported among the failures, not just logged. */
  severe: boolean;
}

const START_TRIES = 3;
const START_TIMEOUT_MS = 60_000;
const DRAIN_RETRY_MS = 20_000;

export class FaultInjector {
  private readonly daemons = new KeyedLock();
  private readonly cuts = new RefCount();
  private readonly drains = new RefCount();
  readonly incidents: Incident[] = [];

  constructor(
    private readonly lab: Lab,
    private readonly log: (line: string) => void,
  ) {}

  async apply(f: Fault, source: string, dest: string): Promise<Applied> {
    const host = f.side === 'source' ? source : dest;
    switch (f.kind) {
      case 'kill-source':
      case 'kill-dest':
        return this.bounce([host], 'SIGKILL', f.downMs);
      case 'restart-source':
      case 'restart-dest':
        return this.bounce([host], 'SIGTERM', f.downMs);
      case 'kill-all':
        return this.bounce(
          this.lab.hosts().map((h) => h.id),
          'SIGKILL',
          f.downMs,
        );
      case 'cut-link':
        return this.cut(this.lab.host(host).domain, f.downMs);
      case 'drain':
        return this.drain(host, f.downMs);
    }
  }

  /** Stops zincd on `hosts` with `signal`, waits `downMs`, and starts them again. */
  private bounce(hosts: readonly string[], signal: 'SIGKILL' | 'SIGTERM', downMs: number): Promise<Applied> {
    return this.daemons.with(hosts, async () => {
      await Promise.all(
        hosts.map(async (h) => {
          try {
            if (!(await this.lab.killDaemon(h, signal, { waitMs: 30_000 }))) this.incident(`zincd of ${h} was not running when ${signal} was due`, true);
          } catch (err) {
            this.incident(`${signal} to zincd of ${h}: ${message(err)}`, true);
          }
        }),
      );
      const injectedAt = Date.now();
      await sleep(downMs);
      await Promise.all(hosts.map((h) => this.start(h)));
      return { injectedAt, revertedAt: Date.now(), target: hosts.length === 1 ? (hosts[0] ?? '') : 'all' };
    });
  }

  /** Starts a host's zincd if it is not running; a few tries, since recovery at start can be slow. */
  async start(host: string): Promise<void> {
    for (let i = 1; i <= START_TRIES; i++) {
      if (this.lab.host(host).daemonPid !== null) return;
      try {
        await this.lab.startDaemon(host, { timeoutMs: START_TIMEOUT_MS });
        return;
      } catch (err) {
        // The lab's error carries the end of zincd's log: the reason a start failed is in there.
        const tail = err instanceof LabDaemonStartError ? ` | log: ${lastErrorLine(err.logTail)}` : '';
        this.incident(`zincd of ${host} did not start (try ${i} of ${START_TRIES}): ${message(err).split('\n')[0] ?? ''}${tail}`, i === START_TRIES);
        // A start that timed out may have left a live daemon that is still recovering.
        if (this.lab.host(host).daemonPid !== null) await this.lab.killDaemon(host, 'SIGKILL').catch(() => false);
      }
    }
  }

  /** Every host's zincd running again (after the rounds, before the checks). */
  async startAll(): Promise<void> {
    const hosts = this.lab.hosts().map((h) => h.id);
    await this.daemons.with(hosts, async () => {
      for (const h of this.lab.hosts()) {
        if (h.daemonPid === null) this.incident(`zincd of ${h.id} was not running at the end of the rounds`, false);
      }
      await Promise.all(hosts.map((h) => this.start(h)));
    });
  }

  private async cut(domain: string, downMs: number): Promise<Applied> {
    if (this.cuts.up(domain)) await this.lab.cutLink(domain);
    const injectedAt = Date.now();
    try {
      await sleep(downMs);
    } finally {
      if (this.cuts.down(domain)) await this.lab.healLink(domain);
    }
    return { injectedAt, revertedAt: Date.now(), target: `domain ${domain}` };
  }

  private async drain(host: string, downMs: number): Promise<Applied> {
    if (this.drains.up(host)) await this.drainCall(host, 'drain');
    const injectedAt = Date.now();
    try {
      await sleep(downMs);
    } finally {
      if (this.drains.down(host)) await this.drainCall(host, 'undrain');
    }
    return { injectedAt, revertedAt: Date.now(), target: host };
  }

  /**
   * `zinc drain|undrain HOST`, asked of the host itself: another domain's host would forward it as
   * its own caller, which HOST need not trust. If HOST's zincd is down (another fault), retry
   * for a while, then ask the other hosts of its domain.
   */
  async drainCall(host: string, verb: 'drain' | 'undrain'): Promise<boolean> {
    const domain = this.lab.host(host).domain;
    const sameDomain = this.lab.hosts().filter((h) => h.domain === domain && h.id !== host).map((h) => h.id);
    const deadline = Date.now() + DRAIN_RETRY_MS;
    let last = '';
    for (;;) {
      for (const asker of [host, ...(Date.now() > deadline ? sameDomain : [])]) {
        const r = await this.lab.zinc(asker, [verb, host], { timeoutMs: 30_000 });
        if (r.code === 0) return true;
        last = `${asker}: ${r.stderr.trim().split('\n')[0] ?? `exit ${r.code}`}`;
      }
      if (Date.now() > deadline) break;
      await sleep(500);
    }
    this.incident(`zinc ${verb} ${host} failed: ${last}`, false);
    return false;
  }

  /** Heals every link; the harness's own cut counts no longer matter once the rounds are over. */
  async healAll(): Promise<void> {
    for (const d of this.lab.domains()) if (d.cut || d.relayPid === null) await this.lab.healLink(d.name);
  }

  private incident(what: string, severe: boolean): void {
    this.incidents.push({ at: Date.now(), what, severe });
    this.log(`incident: ${what}`);
  }
}

/** The last log line that says why (pino level ≥ 50, or anything not JSON such as a stack). */
function lastErrorLine(tail: string): string {
  const lines = tail.split('\n').filter((l) => l.trim() !== '');
  const why = lines.filter((l) => /"level":(50|60)/.test(l) || !l.startsWith('{')).pop() ?? lines.pop() ?? '';
  return why.length > 600 ? `${why.slice(0, 600)}…` : why;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
