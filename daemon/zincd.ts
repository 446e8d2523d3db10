/**
 * zincd's composition root: builds every part from the config, serves gRPC on the local socket
 * (CLI) and the peer listener (other daemons), and stops without touching any job.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { CgroupSet } from './cgroups/cgroup-set.js';
import { detectCgroups, describeLayout, type CgroupLayout } from './cgroups/detect.js';
import { CgroupUnavailableError } from './cgroups/errors.js';
import { errorMessage } from './common/zinc-error.js';
import type { Config } from './config/schema.js';
import { isLoopbackHost, parseHostPort } from './config/schema.js';
import { ConfigError } from './config/errors.js';
import { Discovery } from './discovery/discovery.js';
import { SERVER_OPTIONS } from './grpc/constants.js';
import { localServerCredentials, peerServerCredentials } from './grpc/credentials.js';
import { Authorizer } from './security/authz.js';
import { trusts } from './security/domain-trust.js';
import { Callers } from './security/callers.js';
import { secureStateDir } from './store/modes.js';
import { LocalSocket } from './security/local-socket.js';
import { PeerListener } from './security/peer-listener.js';
import { LoopbackListener } from './security/loopback-listener.js';
import { TlsRequiredError } from './security/errors.js';
import { loadTlsMaterial, type TlsMaterial } from './security/tls-files.js';
import { runDoctor } from './host/doctor.js';
import { HostIdentity } from './host/identity.js';
import { HostProbe } from './host/probe.js';
import { JobManager } from './jobs/manager.js';
import { defaultShimPath } from './jobs/launcher.js';
import { createLogger, type Logger } from './log.js';
import { PeerPool } from './peers/pool.js';
import type { ServiceContext } from './services/context.js';
import { GossipService } from './services/gossip-service.js';
import { HomeReports } from './services/home-reports.js';
import { HostsService } from './services/hosts-service.js';
import { JobsService } from './services/jobs-service.js';
import { Router } from './services/router.js';
import { acquireLock } from './store/lock.js';
import { StateLayout } from './store/layout.js';
import { criuDoctorChecks } from './checkpoint/doctor-checks.js';
import { Checkpointer } from './checkpoint/checkpointer.js';
import { CriuResolver } from './checkpoint/criu-binary.js';
import { PeriodicCheckpoints } from './checkpoint/periodic.js';
import { sharedHasher } from './checkpoint/hasher.js';
import { Restorer } from './checkpoint/restorer.js';
import { CheckpointService } from './services/checkpoint-service.js';
import { MigrationDestination } from './migration/destination.js';
import { LazyDumper } from './migration/lazy-source.js';
import { MigrationStore } from './migration/records.js';
import { MigrationSource } from './migration/source.js';
import { MigrationService } from './services/migration-service.js';
import { Failpoints } from './common/failpoints.js';
import { BalancerLoop } from './balancer/loop.js';
import { toLocalJob } from './balancer/local-jobs.js';
import { builtinRegistry } from './placement/builtin.js';
import { PlacementEngine } from './placement/engine.js';
import { loadChain, saveChain } from './placement/policy-store.js';
import { PolicyService } from './services/policy-service.js';

export class Zincd {
  readonly log: Logger;
  private server: grpc.Server | undefined;
  private localSocket: LocalSocket | undefined;
  private peerListener: PeerListener | undefined;
  private loopbackListener: LoopbackListener | undefined;
  /** The TLS files in use (undefined: plaintext peers); replaced by reloadTls on SIGHUP. */
  private tls: TlsMaterial | undefined;
  private releaseLock: (() => void) | undefined;
  private ctx: ServiceContext | undefined;
  private periodic: PeriodicCheckpoints | undefined;
  private migrationsOut: MigrationSource | undefined;
  private migrationsIn: MigrationDestination | undefined;
  private balancer: BalancerLoop | undefined;
  private stopping = false;
  boundAddress = '';

  constructor(readonly config: Config) {
    this.log = createLogger(config.logLevel, { host: config.hostId, domain: config.domain });
  }

  async start(): Promise<void> {
    const { config, log } = this;
    const layout = new StateLayout(config.stateDir);
    mkdirSync(config.stateDir, { recursive: true, mode: 0o755 });
    mkdirSync(layout.jobsDir, { recursive: true });
    // Not world-readable (job output, images, environments), but traversable for the socket.
    secureStateDir(layout);
    this.releaseLock = acquireLock(layout.lockFile);

    const cgroups = detectCgroups();
    if (cgroups.mode === 'none') throw new CgroupUnavailableError('no cgroup hierarchy is mounted');
    log.info({ cgroups: describeLayout(cgroups) }, 'cgroups detected');
    this.joinDaemonCgroup(cgroups);

    const identity = HostIdentity.open(layout.hostFile, config.hostId, config.domain, log);
    const shimPath = config.shim ?? defaultShimPath();
    const jobs = new JobManager({ hostId: config.hostId, layout, cgroups, cgroupParent: config.cgroupParent, shimPath, log });
    identity.ensureSeqAbove(await jobs.start());

    // Bind first: with --listen HOST:0 the port is only known afterwards, and it goes into gossip.
    const server = new grpc.Server(SERVER_OPTIONS);
    this.server = server;
    const listen = parseHostPort(config.listen);
    const listenHost = listen?.host ?? '127.0.0.1';
    this.tls = this.checkTransport(listenHost);
    let peerPort: number;
    if (this.tls) {
      this.peerListener = new PeerListener(this.tls, server.createConnectionInjector(peerServerCredentials()), log.child({ area: 'peer-tls' }));
      peerPort = await this.peerListener.listen(listenHost, listen?.port ?? 7070).catch((err: Error) => {
        throw new ConfigError(`cannot listen on ${config.listen}: ${err.message}`, 'listen', 'Choose a free address/port with --listen, or stop whatever uses it');
      });
    } else if (isLoopbackHost(listenHost)) {
      // Without TLS, only root's processes (other daemons) may be peers: see loopback-listener.ts.
      this.loopbackListener = new LoopbackListener(server.createConnectionInjector(peerServerCredentials()), log.child({ area: 'peer-loopback' }));
      peerPort = await this.loopbackListener.listen(listenHost, listen?.port ?? 7070).catch((err: Error) => {
        throw new ConfigError(`cannot listen on ${config.listen}: ${err.message}`, 'listen', 'Choose a free address/port with --listen, or stop whatever uses it');
      });
    } else {
      peerPort = await bind(server, config.listen, peerServerCredentials());
    }
    this.boundAddress = listenHost.includes(':') ? `[${listenHost}]:${peerPort}` : `${listenHost}:${peerPort}`;
    const advertise = config.advertise ?? advertisable(this.boundAddress, listenHost);

    const pool = new PeerPool(() => this.tls);
    const jobsParent = new CgroupSet(cgroups, `${config.cgroupParent}/jobs`);
    const probe = new HostProbe({ cores: config.cores, speed: config.speed, tauMs: 5000 });
    // A job that starts here counts in the gossiped load at once, not after ~5 s of smoothing:
    // the placement engine drops its pending reservation as soon as the job count shows it.
    let lastRunning = 0;
    const discovery = new Discovery({
      self: {
        host: config.hostId,
        domain: config.domain,
        address: advertise,
        cores: config.cores,
        speed: config.speed,
        load: 0,
        memFreeBytes: 0,
        memTotalBytes: 0,
        jobs: 0,
        draining: false,
        incarnation: identity.incarnation,
      },
      seeds: config.peers,
      gossipIntervalMs: config.gossipInterval,
      staleAfterRounds: config.staleAfterRounds,
      deadAfterRounds: config.deadAfterRounds,
      forgetAfterRounds: config.forgetAfterRounds,
      pool,
      trust: () => this.tls?.trust,
      log,
      refresh: () => {
        const live = jobs.live();
        const running = live.filter((r) => r.state === 'running').length;
        if (running > lastRunning) probe.bump(running - lastRunning);
        lastRunning = running;
        return probe.sample(
          live.map((r) => jobs.cgroupOf(r.gpid)),
          jobsParent,
          live.filter((r) => r.state === 'running').length,
        );
      },
    });
    const router = new Router(config.hostId, config.domain, discovery, jobs);
    const registry = builtinRegistry();
    const placement = new PlacementEngine(registry, loadChain(layout.policyFile, registry, log), Date.now, Math.random, {
      selfHost: config.hostId,
      staleAfterMs: config.staleAfterRounds * config.gossipInterval,
      deadAfterMs: config.deadAfterRounds * config.gossipInterval,
    });
    const reports = new HomeReports(config.hostId, jobs, layout, pool, () => router, log);
    // The local socket is created now, served later (after recovery): calls need its credentials.
    const localSocket = new LocalSocket(config.socket, server.createConnectionInjector(localServerCredentials()), log.child({ area: 'local-socket' }));
    this.localSocket = localSocket;
    // Without TLS (loopback, or --insecure) peers are anonymous; with it, every peer is verified.
    const callers = new Callers({ local: localSocket, insecure: this.tls === undefined });
    const auth = new Authorizer({ callers, hostId: config.hostId, domain: config.domain, userMap: config.userMap });
    const ctx: ServiceContext = { config, hostId: config.hostId, domain: config.domain, layout, identity, jobs, discovery, router, pool, reports, placement, auth, callers, log };
    this.ctx = ctx;

    new JobsService(ctx).addToServer(server);
    new HostsService(ctx, () => runDoctor({ cgroups, shimPath, stateDir: config.stateDir, criuChecks: () => criuDoctorChecks(config) })).addToServer(server);
    new GossipService(discovery, log.child({ area: 'gossip' }), auth).addToServer(server);
    const criu = new CriuResolver(config.criu);
    sharedHasher().warm();
    void criu.get().then(
      (c) => {
        if (c.breakpoints.state === 'broken') log.warn({ detail: c.breakpoints.detail, CRIU_FAULT: process.env.CRIU_FAULT }, 'hardware breakpoints do not fire on this machine; CRIU runs with CRIU_FAULT=130 (syscall tracing instead of breakpoints)');
      },
      (err: unknown) => log.warn({ err: errorMessage(err) }, 'CRIU is not usable; checkpoint and migration will fail until it is (zinc doctor)'),
    );
    const checkpointer = new Checkpointer(config.hostId, config.domain, layout, jobs, criu, log.child({ area: 'checkpoint' }));
    const restorer = new Restorer(config.hostId, layout, jobs, criu, shimPath, log.child({ area: 'restore' }));
    new CheckpointService(ctx, checkpointer, restorer).addToServer(server);
    this.periodic = new PeriodicCheckpoints(jobs, checkpointer, log.child({ area: 'periodic' }));
    const migrations = new MigrationStore(layout);
    const lazy = new LazyDumper(config.hostId, config.domain, layout, jobs, checkpointer.store, criu, parseHostPort(advertise)?.host ?? listenHost, shimPath, log.child({ area: 'post-copy' }));
    const failpoints = new Failpoints(config.failpoints, log.child({ area: 'failpoints' }));
    const source = new MigrationSource({ hostId: config.hostId, domain: config.domain, jobs, checkpointer, restorer, router, pool, store: migrations, lazy, failpoints, log });
    const dest = new MigrationDestination({
      hostId: config.hostId,
      domain: config.domain,
      config,
      layout,
      jobs,
      restorer,
      checkpoints: checkpointer.store,
      pool,
      store: migrations,
      isDraining: () => discovery.self().draining,
      criu,
      shimPath,
      failpoints,
      // An offer's return address must be the one gossip knows for its source (issue 10, section 6).
      known: (host) => discovery.lookup(host)?.record,
      log,
    });
    this.migrationsOut = source;
    this.migrationsIn = dest;
    new MigrationService(ctx, source, dest).addToServer(server);

    // Preemptive migration: the balancer moves jobs off this host when it is overloaded, and
    // every job when it drains. It runs only if the policy chain enables it (zinc policy).
    const balancer = new BalancerLoop({
      engine: placement,
      intervalMs: config.gossipInterval,
      log: log.child({ area: 'balancer' }),
      inputs: () => {
        // The balancer only moves jobs to domains this host may send them to (sendJobsTo).
        const views = discovery.views().filter((v) => v.isSelf || trusts(config, 'send-to', v.record.domain));
        const self = views.find((v) => v.isSelf);
        if (!self) return undefined;
        return { self, hosts: views, jobs: jobs.live().map((r) => toLocalJob(r, jobs.cgroupOf(r.gpid))) };
      },
      migrate: (gpid, to, reason) => source.migrate(gpid, { to, lazy: 'off', reason, onProgress: () => undefined }).then(() => undefined),
    });
    this.balancer = balancer;
    new PolicyService(ctx, {
      engine: placement,
      setChain: async (chain) => {
        placement.setChain(chain);
        await saveChain(layout.policyFile, chain);
      },
      drain: async (on) => {
        discovery.refreshSelf({ draining: on });
        await balancer.tick();
        return balancer.drainReply(config.hostId);
      },
    }).addToServer(server);

    // Migrations a previous run left half done: finish or roll back before serving the CLI.
    const left = await migrations.all((id, why) => log.error({ migration: id, why }, 'unreadable migration record; left in place'));
    await dest.recover(left.filter((r) => r.role === 'destination'));
    await source.recover(left.filter((r) => r.role === 'source'));
    await localSocket.listen();
    discovery.refreshSelf();
    discovery.start();
    reports.start();
    this.periodic.start();
    balancer.start();
    log.info({ listen: this.boundAddress, advertise, socket: config.socket, stateDir: config.stateDir, peers: config.peers }, 'zincd ready');
  }

  /** Stops the daemon. Jobs keep running under their supervisors. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const ctx = this.ctx;
    this.periodic?.stop();
    this.balancer?.stop();
    this.migrationsOut?.stop();
    this.migrationsIn?.stop();
    ctx?.discovery.stop();
    ctx?.reports.stop();
    ctx?.jobs.stop();
    const server = this.server;
    if (server) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000);
        server.tryShutdown(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    ctx?.pool.close();
    this.peerListener?.close();
    this.loopbackListener?.close();
    this.localSocket?.close();
    this.releaseLock?.();
    this.log.info('zincd stopped; jobs left running');
    this.log.flush();
  }

  /**
   * The TLS files, checked; or undefined for a plaintext listener, which is allowed on loopback,
   * and elsewhere only with --insecure (warned about at every start).
   */
  private checkTransport(listenHost: string): TlsMaterial | undefined {
    const { config, log } = this;
    if (config.tlsCa && config.tlsCert && config.tlsKey) {
      const m = loadTlsMaterial({ ca: config.tlsCa, cert: config.tlsCert, key: config.tlsKey }, config.hostId, config.domain);
      log.info({ trustedDomains: m.trust.domains, certificate: config.tlsCert, notAfter: m.notAfter }, 'mutual TLS on the peer listener');
      return m;
    }
    if (isLoopbackHost(listenHost)) return undefined;
    if (!config.insecure) throw new TlsRequiredError(config.listen);
    log.warn({ listen: config.listen }, 'INSECURE: peer listener without TLS (--insecure); anyone who reaches it can submit jobs, inject gossip and push checkpoints');
    return undefined;
  }

  /**
   * SIGHUP: re-reads --tls-ca, --tls-cert and --tls-key. New connections (both ways) use the new
   * files; established ones keep theirs until they close. A bad file is logged and the old ones
   * stay in use.
   */
  reloadTls(): void {
    const { config, log } = this;
    if (!this.tls || !config.tlsCa || !config.tlsCert || !config.tlsKey) {
      log.info('SIGHUP: no TLS files configured; nothing to reload');
      return;
    }
    try {
      const m = loadTlsMaterial({ ca: config.tlsCa, cert: config.tlsCert, key: config.tlsKey }, config.hostId, config.domain);
      this.tls = m;
      this.peerListener?.reload(m);
      this.ctx?.pool.reset();
      log.info({ trustedDomains: m.trust.domains, notAfter: m.notAfter }, 'SIGHUP: TLS files reloaded');
    } catch (err) {
      log.error({ err: errorMessage(err) }, 'SIGHUP: TLS files not reloaded; the previous ones stay in use');
    }
  }

  private joinDaemonCgroup(cgroups: CgroupLayout): void {
    try {
      const cg = new CgroupSet(cgroups, `${this.config.cgroupParent}/daemon`);
      cg.create();
      for (const f of cg.procsFiles()) writeFileSync(f, String(process.pid));
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'could not move zincd into its own cgroup');
    }
  }
}

function bind(server: grpc.Server, address: string, creds: grpc.ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, creds, (err, port) => {
      if (err) reject(new ConfigError(`cannot listen on ${address}: ${err.message}`, 'listen', 'Choose a free address/port with --listen, or stop whatever uses it'));
      else resolve(port);
    });
  });
}

function advertisable(bound: string, host: string): string {
  if (host === '0.0.0.0' || host === '::') {
    throw new ConfigError(`--listen ${bound} is a wildcard; peers cannot reach "${host}"`, 'listen', 'Add --advertise HOST:PORT with the address other hosts should use');
  }
  return bound;
}
