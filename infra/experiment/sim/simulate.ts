/**
 * One run of the experiment in the discrete-event simulator. It drives zinc's own policy code —
 * one PlacementEngine per host (filters, scorer, pending ledger), the balancer plugin through
 * engine.balance, MoveHistory — with simulated hosts instead of real ones:
 *
 *   arrival    the entry host (the entry domain's hosts in turn, as in the lab) decides with its
 *              view, exactly as JobsService.submit does; the job starts on the chosen host after
 *              the start delay (plus a round trip if it was forwarded to another domain)
 *   gossip     every host refreshes its record once per interval (SimHost.refresh), at its own phase
 *   balance    every host runs the balancer once per interval, as BalancerLoop does: not while its
 *              last move is under way; a move is reserved on its target (notePlaced) and recorded
 *              in the history (started); the job is frozen for the modelled migration time
 *   completion processor sharing, see host.ts
 *
 * Hosts whose normalised load is at most the balancer's threshold are not asked: decideMove
 * would answer "no move" for them on that very test (rule 3), after at most the rate-limit test,
 * which also answers "no move". Skipping them changes no decision and saves the O(hosts) scan.
 */
import { deriveSeed, createPrng, rngFunction } from '../common/prng.js';
import { builtinRegistry } from '../../../daemon/placement/builtin.js';
import { PlacementEngine } from '../../../daemon/placement/engine.js';
import type { LocalJob } from '../../../daemon/balancer/types.js';
import { parseDuration } from '../../../daemon/common/units.js';
import { chainFor, entryHostsOf, hostsOf, type ExperimentConfig } from '../config.js';
import type { PlannedRun } from '../design.js';
import type { JobOutcome } from '../measures.js';
import type { GeneratedJob, Workload } from '../workload/generator.js';
import { EventQueue } from './event-queue.js';
import { SimHost, type SimJob } from './host.js';
import { migrationMs } from './migration-cost.js';
import { Network } from './network.js';
import { Views } from './views.js';
import { SimModelError } from '../errors.js';

/** What CRIU moves besides the job's own memory: libc, stack, page tables, the archive's files. */
export const IMAGE_OVERHEAD_BYTES = 1024 * 1024;

type SimEvent =
  | { kind: 'arrive'; job: GeneratedJob }
  | { kind: 'start'; job: SimJob; host: number }
  | { kind: 'done'; host: number; epoch: number }
  | { kind: 'gossip'; host: number }
  | { kind: 'balance'; host: number }
  | { kind: 'moved'; job: SimJob; from: number; to: number; ms: number }
  | { kind: 'stop' };

export interface SimMigration {
  readonly fromDomain: string;
  readonly toDomain: string;
  readonly bytes: number;
  readonly ms: number;
}

export interface SimRunResult {
  readonly outcomes: JobOutcome[];
  readonly stoppedMs: number;
  readonly migrations: readonly SimMigration[];
  readonly events: number;
  /** Wall time the simulation took, ms. */
  readonly computeMs: number;
}

export interface SimRunInputs {
  readonly config: ExperimentConfig;
  readonly run: Pick<PlannedRun, 'cell' | 'runSeed'>;
  readonly workload: Workload;
}

export function simulateRun({ config, run, workload }: SimRunInputs): SimRunResult {
  const t0 = performance.now();
  const sim = config.sim;
  const interval = sim.gossipIntervalMs;
  const levels = run.cell.levels;
  const migration = levels.migration === 'on' ? 'on' : 'off';
  const chain = chainFor(config, levels.placement, migration);
  const registry = builtinRegistry();
  const specs = hostsOf(config.topology);
  let now = 0;
  const clock = (): number => now;
  const engineOptions = { staleAfterMs: sim.staleAfterRounds * interval, deadAfterMs: sim.deadAfterRounds * interval };
  const hosts = specs.map(
    (spec, i) => new SimHost(spec, i, new PlacementEngine(registry, chain, clock, rngFunction(createPrng(deriveSeed(run.runSeed, 'engine', spec.id))), { selfHost: spec.id, ...engineOptions }), sim.loadTauMs),
  );
  const byId = new Map(hosts.map((h) => [h.spec.id, h]));
  const network = new Network(config.topology, sim.lanRateUnlimited);
  const lagMs = sim.lagRounds * interval;
  const views = new Views(hosts, { ...engineOptions, forgetAfterMs: Infinity }, network, lagMs, Math.max(1, interval / 2));
  const entryIds = new Set(entryHostsOf(config, levels.entry).map((h) => h.id));
  const entryHosts = hosts.filter((h) => entryIds.has(h.spec.id));
  if (entryHosts.length === 0) throw new SimModelError(`entry domain "${levels.entry}" has no hosts`);
  const balancerParams = chain.balancer.enabled ? registry.balancer().bind(chain.balancer.params).effective : undefined;
  const threshold = Number(balancerParams?.threshold ?? Infinity);
  const loadTau = parseDuration(balancerParams?.loadTau ?? '5s') ?? 5000;

  const q = new EventQueue<SimEvent>();
  const phase = createPrng(deriveSeed(run.runSeed, 'phase'));
  // The grid has been up for a while: every host has published records before the first arrival.
  const keepMs = lagMs + 2 * interval + 2000;
  for (const h of hosts) {
    const p = phase.next() * interval;
    for (let t = p - Math.ceil((keepMs + interval) / interval) * interval; t < 0; t += interval) {
      now = t;
      h.refresh(t, keepMs);
    }
    q.push(p, { kind: 'gossip', host: h.index });
    if (chain.balancer.enabled) q.push(p + phase.next() * interval, { kind: 'balance', host: h.index });
  }
  now = 0;
  for (const job of workload.jobs) q.push(job.arrivalMs, { kind: 'arrive', job });
  const stopAt = (config.window.arrivalS + config.window.drainLimitS) * 1000;
  q.push(stopAt, { kind: 'stop' });

  const outcomes = new Map<number, JobOutcome>();
  const meta = new Map<number, GeneratedJob>(workload.jobs.map((j) => [j.id, j]));
  const migrations: SimMigration[] = [];
  let ended = 0;
  let inFlight = 0;
  let rr = 0;
  let events = 0;

  const schedule = (h: SimHost): void => {
    const next = h.nextCompletion(now);
    if (next) q.push(next.at, { kind: 'done', host: h.index, epoch: h.epoch });
  };
  const finish = (job: SimJob, fate: 'completed' | 'failed', host: string): void => {
    const g = meta.get(job.id);
    outcomes.set(job.id, {
      id: job.id,
      cls: g?.cls ?? 'short',
      cpuMs: job.cpuMs,
      memBytes: job.memBytes,
      submittedMs: g?.arrivalMs ?? 0,
      endedMs: fate === 'completed' ? now : null,
      fate,
      migrations: job.migratedAtMs.length,
      firstHost: job.firstHost,
      finalHost: host,
    });
    ended++;
  };
  const localJobs = (h: SimHost): LocalJob[] =>
    [...h.jobs.values()].map((j) => ({
      gpid: j.gpid,
      state: 'running',
      startedAtMs: j.startedAtMs,
      imageBytes: j.memBytes + IMAGE_OVERHEAD_BYTES,
      memBytes: 0,
      domain: '',
      migratedAtMs: j.migratedAtMs,
    }));

  for (let ev = q.pop(); ev; ev = q.pop()) {
    now = ev.at;
    events++;
    const e = ev.event;
    if (e.kind === 'stop') break;
    switch (e.kind) {
      case 'arrive': {
        const entry = entryHosts[rr++ % entryHosts.length] as SimHost;
        const job: SimJob = { id: e.job.id, gpid: `${entry.spec.id}.${e.job.id}`, cpuMs: e.job.cpuMs, memBytes: e.job.memBytes, remainingMs: e.job.cpuMs, startedAtMs: NaN, migratedAtMs: [], firstHost: '' };
        const d = entry.engine.decide({ memBytes: 0, domain: '', entryHost: entry.spec.id }, views.of(entry, now));
        const target = d.chosen === undefined ? undefined : byId.get(d.chosen);
        if (!target) {
          finish(job, 'failed', '');
          break;
        }
        const forward = target.spec.domain === entry.spec.domain ? 0 : network.path(entry.spec.domain, target.spec.domain).rttMs;
        q.push(now + sim.startDelayMs + forward, { kind: 'start', job, host: target.index });
        break;
      }
      case 'start': {
        const h = hosts[e.host] as SimHost;
        e.job.startedAtMs = now;
        e.job.firstHost = h.spec.id;
        h.add(e.job, now);
        schedule(h);
        break;
      }
      case 'done': {
        const h = hosts[e.host] as SimHost;
        if (e.epoch !== h.epoch) break;
        h.advance(now);
        const next = h.nextCompletion(now);
        if (!next) break;
        h.remove(next.job.id, now);
        finish(next.job, 'completed', h.spec.id);
        schedule(h);
        break;
      }
      case 'gossip': {
        const h = hosts[e.host] as SimHost;
        h.refresh(now, keepMs);
        q.push(now + interval, { kind: 'gossip', host: h.index });
        break;
      }
      case 'balance': {
        const h = hosts[e.host] as SimHost;
        q.push(now + interval, { kind: 'balance', host: h.index });
        if (h.moving || h.jobs.size === 0) break;
        const cap = h.spec.cores * h.spec.speed;
        const load = Math.max(0, h.record.load - h.history.departedLoad(now, loadTau) + h.engine.pending(h.spec.id).cpus) / cap;
        if (!(load > threshold)) break;
        const view = views.of(h, now);
        const d = h.engine.balance({ self: views.self(h, now), hosts: view, jobs: localJobs(h), history: h.history });
        const move = d.move;
        if (!move) break;
        const to = byId.get(move.to);
        const job = [...h.jobs.values()].find((j) => j.gpid === move.gpid);
        if (!to || !job) break;
        const seen = view.find((v) => v.record.host === move.to)?.record;
        h.engine.notePlaced(move.to, { memBytes: move.memBytes, domain: '', cpus: move.cpus, gpid: move.gpid, entryHost: move.from }, seen);
        h.history.started(move.gpid, move.cpus, now);
        h.moving = true;
        h.remove(job.id, now);
        schedule(h);
        inFlight++;
        const ms = migrationMs(sim.migration, job.memBytes + IMAGE_OVERHEAD_BYTES, network.path(h.spec.domain, to.spec.domain));
        q.push(now + ms, { kind: 'moved', job, from: h.index, to: to.index, ms });
        break;
      }
      case 'moved': {
        const from = hosts[e.from] as SimHost;
        const to = hosts[e.to] as SimHost;
        from.moving = false;
        inFlight--;
        e.job.migratedAtMs.push(now);
        to.add(e.job, now);
        schedule(to);
        migrations.push({ fromDomain: from.spec.domain, toDomain: to.spec.domain, bytes: e.job.memBytes + IMAGE_OVERHEAD_BYTES, ms: e.ms });
        break;
      }
    }
    if (ended === workload.jobs.length && inFlight === 0 && now >= (workload.jobs[workload.jobs.length - 1]?.arrivalMs ?? 0)) break;
  }

  // Whatever is still running (or moving) when the run stops is unfinished.
  const stillThere = new Map<number, { job: SimJob; host: string }>();
  for (const h of hosts) for (const j of h.jobs.values()) stillThere.set(j.id, { job: j, host: h.spec.id });
  const all: JobOutcome[] = workload.jobs.map((g) => {
    const done = outcomes.get(g.id);
    if (done) return done;
    const s = stillThere.get(g.id);
    return {
      id: g.id,
      cls: g.cls,
      cpuMs: g.cpuMs,
      memBytes: g.memBytes,
      submittedMs: g.arrivalMs,
      endedMs: null,
      fate: 'unfinished',
      migrations: s?.job.migratedAtMs.length ?? 0,
      firstHost: s?.job.firstHost ?? '',
      finalHost: s?.host ?? '',
    };
  });
  return { outcomes: all, stoppedMs: Math.min(now, stopAt), migrations, events, computeMs: performance.now() - t0 };
}
