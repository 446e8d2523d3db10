/**
 * The experiment's gRPC connection to the lab's daemons: one ZincClient per host socket (the same
 * client the zinc CLI uses), so that hundreds of submits cost a call each instead of a Node
 * process each. Everything the runner asks zincd goes through here.
 */
import { zincV1 } from '../../proto/loader.js';
import type { JobInfo__Output } from '../../proto/generated/zinc/v1/JobInfo.js';
import type { MigrationSummary__Output } from '../../proto/generated/zinc/v1/MigrationSummary.js';
import type { MigrateProgress__Output } from '../../proto/generated/zinc/v1/MigrateProgress.js';
import type { PolicyClient } from '../../proto/generated/zinc/v1/Policy.js';
import type { MigrationsClient } from '../../proto/generated/zinc/v1/Migrations.js';
import { ZincClient } from '../../cli/client.js';
import type { ChainSpec } from '../../daemon/placement/chain.js';

export interface HostJobs {
  /** The host that answered. */
  readonly host: string;
  readonly jobs: readonly JobInfo__Output[];
}

export class LabClient {
  private readonly clients = new Map<string, ZincClient>();
  private readonly policy = new Map<string, PolicyClient>();

  constructor(private readonly sockets: ReadonlyMap<string, string>) {}

  private client(host: string): ZincClient {
    let c = this.clients.get(host);
    if (!c) {
      const socket = this.sockets.get(host);
      if (!socket) throw new RangeError(`no socket for host ${host}`);
      c = new ZincClient(socket);
      this.clients.set(host, c);
    }
    return c;
  }

  /** Submits through `entry` (its placement decides unless `host` is given); returns the GPID. */
  async submit(entry: string, argv: readonly string[], name: string): Promise<{ gpid: string; host: string }> {
    const c = this.client(entry);
    const r = await c.call(c.jobs, 'submit', {
      spec: { argv: [...argv], env: [], cwd: '', user: '', name, memBytes: 0, checkpointEveryMs: 0, keepCheckpoints: 0 },
      host: '',
      domain: '',
    });
    return { gpid: r.gpid, host: r.host };
  }

  /** Submits to run on `host` itself (no placement): calibration. */
  async submitTo(host: string, argv: readonly string[], name: string): Promise<{ gpid: string; host: string }> {
    const c = this.client(host);
    const r = await c.call(c.jobs, 'submit', {
      spec: { argv: [...argv], env: [], cwd: '', user: '', name, memBytes: 0, checkpointEveryMs: 0, keepCheckpoints: 0 },
      host,
      domain: '',
    });
    return { gpid: r.gpid, host: r.host };
  }

  /** Every job record `host` keeps (ended ones too). */
  async list(host: string): Promise<HostJobs> {
    const c = this.client(host);
    const r = await c.call(c.jobs, 'list', { all: true, host: '' });
    return { host: r.host || host, jobs: r.jobs };
  }

  /** One job with its events, asked of `host`. */
  async show(host: string, gpid: string): Promise<JobInfo__Output> {
    const c = this.client(host);
    return c.call(c.jobs, 'show', { gpid });
  }

  /** Hosts `host` sees alive (its Name Dropper view). */
  async aliveSeenBy(host: string): Promise<string[]> {
    const c = this.client(host);
    const r = await c.call(c.hosts, 'list', { host: '' });
    return r.hosts.filter((h) => h.status === 'HOST_STATUS_ALIVE').map((h) => h.record?.host ?? '');
  }

  /** Sets the same chain on every live host (through `via`); returns the hosts that failed. */
  async setChainEverywhere(via: string, chain: ChainSpec): Promise<{ changed: string[]; failed: string[] }> {
    const c = this.client(via);
    let p = this.policy.get(via);
    if (!p) {
      p = c.service(zincV1().Policy);
      this.policy.set(via, p);
    }
    const r = await c.call(p, 'set', {
      host: '',
      all: true,
      scorer: chain.scorer.name,
      filters: chain.filters.map((f) => f.name),
      setFilters: true,
      params: Object.fromEntries(
        [...chain.filters.flatMap((f) => Object.entries(f.params).map(([k, v]) => [`${f.name}.${k}`, v])), ...Object.entries(chain.scorer.params).map(([k, v]) => [`${chain.scorer.name}.${k}`, v])],
      ),
      balancer: chain.balancer.enabled ? 'on' : 'off',
      balancerParams: { ...chain.balancer.params },
    });
    return { changed: r.hosts.map((h) => h.host), failed: r.failed };
  }

  /** Migrates a job and waits for the summary (calibration). */
  async migrate(via: string, gpid: string, to: string): Promise<MigrationSummary__Output> {
    const c = this.client(via);
    const m: MigrationsClient = c.service(zincV1().Migrations);
    return new Promise((resolve, reject) => {
      let summary: MigrationSummary__Output | undefined;
      const stream = m.migrate({ gpid, to, lazy: '', reason: 'zinc-experiment calibrate' });
      stream.on('data', (p: MigrateProgress__Output) => {
        if (p.summary) summary = p.summary;
      });
      stream.on('error', (err) => reject(c.translate(err)));
      stream.on('end', () => (summary ? resolve(summary) : reject(new Error(`migration of ${gpid} ended without a summary`))));
    });
  }

  async kill(via: string, gpid: string): Promise<void> {
    const c = this.client(via);
    await c.call(c.jobs, 'control', { gpid, action: 'CONTROL_ACTION_KILL', signal: '' });
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
    this.policy.clear();
  }
}
