/**
 * Name Dropper over gRPC. Every round this host refreshes its own record, then pushes everything
 * it knows to one host chosen at random from its known set (the pure core in name-dropper.ts
 * decides; this file only moves bytes). `--peers` are seeds known by address only: each one is
 * identified with a Hello until it appears in the known set.
 */
import type { Logger } from '../log.js';
import { errorMessage } from '../common/zinc-error.js';
import { GOSSIP_CALL_TIMEOUT_MS } from '../grpc/constants.js';
import { unary, type PeerPool } from '../peers/pool.js';
import type { GossipAck } from '../../proto/generated/zinc/v1/GossipAck.js';
import type { GossipMessage } from '../../proto/generated/zinc/v1/GossipMessage.js';
import type { PeerIdentity } from '../security/peer-identity.js';
import type { TrustBundle } from '../security/trust.js';
import { guardGossip } from './gossip-guard.js';
import { entriesFromWire, fromWire, toWire, type HostState } from './host-state.js';
import { compareRecords, NameDropper, optionsFromRounds, type GossipEntry, type ViewEntry } from './name-dropper.js';

export interface DiscoveryOptions {
  self: Omit<HostState, 'version'>;
  seeds: string[];
  gossipIntervalMs: number;
  staleAfterRounds: number;
  deadAfterRounds: number;
  forgetAfterRounds: number;
  pool: PeerPool;
  /** The CAs this host trusts; undefined without TLS (then gossip is taken as it comes). */
  trust?: () => TrustBundle | undefined;
  log: Logger;
  /** Fresh measurements for this host's record, taken once per round. */
  refresh: () => Partial<Omit<HostState, 'host' | 'incarnation' | 'version'>>;
  clock?: () => number;
  rng?: () => number;
}

export class Discovery {
  readonly nd: NameDropper<HostState>;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private readonly seeds: string[];
  private readonly probing = new Set<string>();
  /** Each known host's address, so its channels can be closed once discovery forgets it. */
  private readonly addresses = new Map<string, string>();
  private rounds = 0;

  constructor(private readonly o: DiscoveryOptions) {
    this.log = o.log.child({ area: 'discovery' });
    const opts = optionsFromRounds(o.gossipIntervalMs, o);
    this.nd = new NameDropper<HostState>({ ...o.self, version: 0 }, opts, o.clock ?? Date.now, o.rng ?? Math.random);
    this.seeds = o.seeds.filter((s) => s !== o.self.address);
  }

  start(): void {
    // Rounds start every interval, not an interval after the previous push returned: across a
    // WAN a push takes a few RTTs, and the lag would otherwise stretch every round. A push that
    // outlasts the interval delays the next round rather than overlapping it.
    const tick = () => {
      const startedAt = Date.now();
      void this.round().finally(() => {
        const wait = Math.max(0, this.o.gossipIntervalMs - (Date.now() - startedAt));
        if (this.timer) this.timer = setTimeout(tick, wait);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  get roundsDone(): number {
    return this.rounds;
  }

  self(): HostState {
    return this.nd.self();
  }

  /** Update this host's record now (e.g. drained), without waiting for the next round. */
  refreshSelf(patch: Partial<Omit<HostState, 'host' | 'incarnation' | 'version'>> = {}): void {
    const cur = this.nd.self();
    this.nd.setSelf({ ...cur, ...this.o.refresh(), ...patch, version: cur.version + 1 });
  }

  async round(): Promise<void> {
    this.rounds++;
    this.refreshSelf();
    for (const gone of this.nd.expire()) {
      this.log.info({ host: gone }, 'forgot dead host');
      const addr = this.addresses.get(gone);
      if (addr) this.o.pool.forget(addr);
    }
    this.rememberAddresses();
    this.probeDormant();
    const target = this.nd.pickTarget();
    if (!target) return;
    const entry = this.nd.entry(target);
    if (!entry) return;
    const msg: GossipMessage = {
      fromHost: this.o.self.host,
      entries: this.nd.outgoing().map((e) => ({ record: toWire(e.record), ageMs: Math.round(e.ageMs) })),
    };
    // Bound to the identity the record claims: an impostor at that address fails the handshake.
    const expect: PeerIdentity = { host: target, domain: entry.record.domain };
    try {
      const client = this.o.pool.gossip(entry.record.address, expect);
      const sentAt = Date.now();
      const ack = await unary(client, 'push', msg, GOSSIP_CALL_TIMEOUT_MS);
      const { ok, rejected } = entriesFromWire(ack.fresher);
      if (rejected > 0) this.log.warn({ from: target, rejected }, 'ignored malformed gossip records');
      const learnt = this.mergeGuarded(ok, this.trusted() ? expect : undefined, target, 'gossip answer');
      this.log.debug({ target, sent: msg.entries?.length ?? 0, merged: ack.merged, answered: ok.length, learnt, ms: Date.now() - sentAt }, 'gossip pushed');
    } catch (err) {
      this.log.debug({ target, err: errorMessage(err) }, 'gossip push failed');
    }
  }

  /**
   * Receiver side of a push: merge it, and answer with what this host knows better. `sender` is
   * the pusher's identity from its verified certificate (undefined without TLS).
   */
  receive(msg: GossipMessage, sender?: PeerIdentity): GossipAck {
    const { ok, rejected } = entriesFromWire(msg.entries);
    if (rejected > 0) this.log.warn({ from: msg.fromHost, rejected }, 'ignored malformed gossip records');
    const fresher = this.nd.fresherThan(ok).map((e) => ({ record: toWire(e.record), ageMs: Math.round(e.ageMs) }));
    return { merged: this.mergeGuarded(ok, sender, msg.fromHost, 'gossip push'), fresher };
  }

  private trusted(): TrustBundle | undefined {
    return this.o.trust?.();
  }

  /**
   * Merges what passes gossip-guard.ts, logging each refusal. A record that comes first-hand
   * (from the host it describes, proven by its certificate) replaces what this host knew even if
   * a forged record with a larger incarnation got here first.
   */
  private mergeGuarded(entries: GossipEntry<HostState>[], sender: PeerIdentity | undefined, claimedFrom: string | undefined, what: string): number {
    const trust = this.trusted();
    const verdict = guardGossip(entries, {
      sender,
      claimedFrom,
      verified: trust !== undefined,
      trusts: (d) => trust?.trusts(d) ?? true,
      known: (h) => (h === this.o.self.host ? this.nd.self() : this.nd.entry(h)?.record),
    });
    const from = sender ? { peerHost: sender.host, peerDomain: sender.domain } : { claimedFrom };
    if (verdict.refused !== undefined) {
      this.log.warn({ ...from, reason: verdict.refused, records: entries.length }, `${what} refused`);
      return 0;
    }
    if (verdict.truncated > 0) this.log.warn({ ...from, truncated: verdict.truncated }, `${what} too large; extra records dropped`);
    for (const d of verdict.dropped) this.log.warn({ ...from, host: d.host, reason: d.reason }, 'gossip record dropped');
    if (sender) {
      const own = verdict.accepted.find((e) => e.record.host === sender.host);
      const known = own && this.nd.entry(own.record.host)?.record;
      // The host is the authority on its own record: a second-hand record that moved it, or that
      // claims a newer version than the host itself has (forged figures), gives way.
      if (own && known && (known.address !== own.record.address || known.domain !== own.record.domain || compareRecords(known, own.record) > 0)) {
        this.log.info({ host: sender.host, was: known.address, now: own.record.address }, 'host corrects its own record first-hand');
        this.nd.remove(sender.host);
      }
    }
    return this.mergeLogged(verdict.accepted);
  }

  private rememberAddresses(): void {
    for (const v of this.nd.view()) if (!v.isSelf) this.addresses.set(v.record.host, v.record.address);
    if (this.addresses.size > this.nd.known() * 2 + 64) {
      const live = new Set(this.nd.view().map((v) => v.record.host));
      for (const h of this.addresses.keys()) if (!live.has(h)) this.addresses.delete(h);
    }
  }

  private mergeLogged(entries: GossipEntry<HostState>[]): number {
    const unknown = entries.filter((e) => e.record.host !== this.o.self.host && !this.nd.entry(e.record.host));
    const merged = this.nd.merge(entries);
    for (const e of unknown) {
      if (this.nd.entry(e.record.host)) this.log.info({ host: e.record.host, domain: e.record.domain }, 'discovered host');
    }
    return merged;
  }

  /** Merge a record obtained directly from the host itself (Hello). */
  learn(record: HostState): void {
    this.nd.merge([{ record, ageMs: 0 }]);
  }

  lookup(host: string): ViewEntry<HostState> | undefined {
    return this.nd.entry(host);
  }

  views(): ViewEntry<HostState>[] {
    return this.nd.view();
  }

  /**
   * Name Dropper never picks a dead host as a target, so a host that comes back (restart, healed
   * partition) would stay unknown to hosts it does not itself gossip to. Seeds (--peers) that are
   * not currently alive are asked for their record every round, and known-dead hosts every few
   * rounds until they are forgotten. The calls run in the background and never delay a round.
   */
  private probeDormant(): void {
    const byAddress = new Map(this.nd.view().map((v) => [v.record.address, v] as const));
    const targets = new Map<string, PeerIdentity | undefined>();
    for (const seed of this.seeds) {
      const v = byAddress.get(seed);
      if (!v || v.status !== 'alive') targets.set(seed, undefined);
    }
    if (this.rounds % 5 === 0) {
      for (const v of this.nd.view()) if (v.status === 'dead' && !v.isSelf) targets.set(v.record.address, { host: v.record.host, domain: v.record.domain });
    }
    for (const [address, expect] of targets) {
      if (this.probing.has(address)) continue;
      this.probing.add(address);
      void this.hello(address, expect).finally(() => this.probing.delete(address));
    }
  }

  private async hello(address: string, expect?: PeerIdentity): Promise<void> {
    try {
      const reply = await unary(this.o.pool.hosts(address, expect), 'hello', {}, GOSSIP_CALL_TIMEOUT_MS);
      const rec = fromWire(reply.self);
      if (!rec || rec.host === this.o.self.host) return;
      const before = this.nd.entry(rec.host);
      // From a seed (no identity to bind to) the answer is second-hand as far as TLS can tell.
      const firstHand = expect && rec.host === expect.host ? expect : undefined;
      this.mergeGuarded([{ record: rec, ageMs: 0 }], this.trusted() ? firstHand : undefined, undefined, 'hello answer');
      if (!before || before.status !== 'alive') this.log.info({ address, host: rec.host }, 'host answered: alive');
    } catch (err) {
      if (this.rounds % 20 === 1) this.log.debug({ address, err: errorMessage(err) }, 'host not reachable');
    }
  }
}
