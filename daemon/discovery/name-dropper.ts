/*
 * Name Dropper (Harchol-Balter, Leighton & Lewin, PODC 1999), the pure core.
 *
 * Every round a host sends everything it knows (its neighbour set plus itself) to one host chosen
 * uniformly at random from that set; the receiver takes the union, and per host the newer
 * (incarnation, version) wins. From any weakly connected start every host knows every host within
 * O(log² n) rounds with high probability.
 *
 * On top of the paper this core tracks how old each record is, so the daemon can tell alive from
 * stale from dead hosts, and the receiver of a push answers with what it knows better
 * (fresherThan), which keeps those ages short. The core does no I/O and reads time and randomness
 * only through the injected `clock` and `rng`, so the simulator can run ten thousand of them in
 * one process and tests can drive the clock by hand. The transport calls `pickTarget` + `outgoing`
 * once per round, `fresherThan` + `merge` for each message received, and `merge` for the answer.
 *
 * Ages, not timestamps. Each stored record keeps a local estimate of when it was born,
 * bornAt = (local receive time) − (age reported by the sender), and its age is now − bornAt. Only
 * the local clock is ever read, so clock skew between hosts cannot make a record look fresher or
 * older than it is. Time spent on the wire is not counted, so an estimate is too young by the
 * transit time of each hop it took; that is milliseconds against thresholds of seconds.
 */
import { SelfRecordError } from './errors.js';
import { checkOptions, statusForAge, type NameDropperOptions } from './nd-options.js';
import {
  compareRecords,
  hasOrderableFields,
  type GossipEntry,
  type NdRecord,
  type ViewEntry,
} from './nd-record.js';

export type { GossipEntry, HostStatus, NdRecord, ViewEntry } from './nd-record.js';
export type { NameDropperOptions } from './nd-options.js';
export { compareRecords, nextVersion } from './nd-record.js';
export { optionsFromRounds } from './nd-options.js';

interface Slot<R extends NdRecord> {
  record: R;
  /** Local-clock estimate of when this version was made (or last heard fresh). */
  bornAt: number;
  /** Position in `order`; kept so removal is O(1). */
  index: number;
}

/** Random picks of a dead host before pickTarget stops rejecting and filters instead. */
const PICK_ATTEMPTS = 4;

export class NameDropper<R extends NdRecord> {
  readonly selfHost: string;
  private selfRecord: R;
  private selfBornAt: number;
  private superseding: R | undefined;
  private readonly slots = new Map<string, Slot<R>>();
  /** The known hosts (never self) in a dense array, for O(1) uniform picks. */
  private readonly order: Slot<R>[] = [];
  private readonly opts: NameDropperOptions;
  private readonly clock: () => number;
  private readonly rng: () => number;

  /**
   * @param clock local time in ms; only differences are used, so a monotonic clock is best.
   * @param rng uniform in [0, 1).
   */
  constructor(self: R, opts: NameDropperOptions, clock: () => number, rng: () => number) {
    checkOptions(opts);
    if (!hasOrderableFields(self)) {
      throw new SelfRecordError(`own record needs a host and finite incarnation and version`, {
        context: { host: String(self.host) },
      });
    }
    this.opts = { ...opts };
    this.clock = clock;
    this.rng = rng;
    this.selfHost = self.host;
    this.selfRecord = self;
    this.selfBornAt = clock();
  }

  /** The current own record. */
  self(): R {
    return this.selfRecord;
  }

  /**
   * Replaces the own record and makes its age 0. Call it every round, with a bumped version when
   * the payload changed (see nextVersion); re-setting the same version is allowed and just tells
   * the others, through the age, that this host is still alive.
   */
  setSelf(record: R): void {
    if (record.host !== this.selfHost) {
      throw new SelfRecordError(`setSelf got a record for ${record.host}, this core is ${this.selfHost}`, {
        context: { self: this.selfHost, host: record.host },
      });
    }
    if (!hasOrderableFields(record) || compareRecords(record, this.selfRecord) < 0) {
      throw new SelfRecordError(
        `setSelf got an older or invalid record (incarnation ${record.incarnation}, version ${record.version}; current ${this.selfRecord.incarnation}, ${this.selfRecord.version})`,
        { hint: 'bump version (nextVersion) or, after a restart, use a larger incarnation', context: { host: record.host } },
      );
    }
    this.selfRecord = record;
    this.selfBornAt = this.clock();
    if (this.superseding !== undefined && compareRecords(record, this.superseding) > 0) this.superseding = undefined;
  }

  /**
   * A record about this host, received from a peer, that beats the own record: the incarnation
   * went backwards across a restart (clock reset?) and the others would ignore us. The daemon
   * should log it and setSelf with an incarnation above this one.
   */
  supersededBy(): R | undefined {
    return this.superseding;
  }

  /** One host chosen uniformly at random among the known ones, excluding self and dead hosts. */
  pickTarget(): string | undefined {
    const len = this.order.length;
    if (len === 0) return undefined;
    const now = this.clock();
    const deadAfter = this.opts.deadAfterMs;
    // Rejection keeps the pick uniform over live hosts and costs one rng call when none are dead,
    // which is the common case; the filtering fallback bounds the work when many are.
    for (let attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
      const slot = this.order[Math.min(len - 1, Math.floor(this.rng() * len))];
      if (slot !== undefined && now - slot.bornAt < deadAfter) return slot.record.host;
    }
    const live = this.order.filter((s) => now - s.bornAt < deadAfter);
    if (live.length === 0) return undefined;
    return live[Math.min(live.length - 1, Math.floor(this.rng() * live.length))]?.record.host;
  }

  /**
   * Everything worth sending: self first (age since the last setSelf), then every known host that
   * is not dead. Dead records are held back because they can teach a receiver nothing: it either
   * knows the host with a younger age already, or must not learn it (see merge).
   */
  outgoing(): GossipEntry<R>[] {
    const now = this.clock();
    const deadAfter = this.opts.deadAfterMs;
    const out: GossipEntry<R>[] = [{ record: this.selfRecord, ageMs: now - this.selfBornAt }];
    for (const slot of this.order) {
      const age = now - slot.bornAt;
      if (age < deadAfter) out.push({ record: slot.record, ageMs: age });
    }
    return out;
  }

  /**
   * The pull half of a push-pull exchange: of what outgoing() would send, the entries that would
   * teach the pusher something, given the entries it just pushed. That is every host it did not
   * mention, a newer version, or the same version heard more recently. The paper's Name Dropper is
   * push only, which is enough to spread knowledge in O(log² n) rounds, but leaves the freshest copy
   * of a record at some hosts many rounds old; answering with this delta (about 0.4× the push in
   * steady state) bounds record ages near log₃ n rounds. Call it before merge(pushed).
   */
  fresherThan(pushed: readonly GossipEntry<R>[]): GossipEntry<R>[] {
    const theirs = new Map<string, GossipEntry<R>>();
    for (const e of pushed) theirs.set(e.record.host, e);
    return this.outgoing().filter((mine) => {
      const their = theirs.get(mine.record.host);
      if (their === undefined) return true;
      const cmp = compareRecords(mine.record, their.record);
      return cmp > 0 || (cmp === 0 && mine.ageMs < their.ageMs);
    });
  }

  /**
   * Merges a received message and returns how many entries were new hosts or newer versions.
   *
   * - Newer (incarnation, version) wins and brings its own age.
   * - The same version with a smaller age moves the estimate younger: someone heard from the host
   *   more recently than we did. A larger age never makes it older.
   * - A host we do not know arriving already dead is dropped. That is what keeps a host from
   *   coming back as a zombie after expire() forgot it while peers still hold its old record.
   * - Entries about this host itself are ignored (but see supersededBy).
   */
  merge(entries: readonly GossipEntry<R>[]): number {
    const now = this.clock();
    const deadAfter = this.opts.deadAfterMs;
    let merged = 0;
    for (const entry of entries) {
      const record = entry.record;
      let age = entry.ageMs;
      if (!Number.isFinite(age) || !hasOrderableFields(record)) continue;
      // A peer cannot know of anything younger than "just now".
      if (age < 0) age = 0;
      const host = record.host;
      if (host === this.selfHost) {
        this.noteSelfClaim(record);
        continue;
      }
      const slot = this.slots.get(host);
      if (slot === undefined) {
        if (age >= deadAfter) continue;
        const fresh: Slot<R> = { record, bornAt: now - age, index: this.order.length };
        this.slots.set(host, fresh);
        this.order.push(fresh);
        merged++;
        continue;
      }
      const cmp = compareRecords(record, slot.record);
      if (cmp > 0) {
        slot.record = record;
        slot.bornAt = now - age;
        merged++;
      } else if (cmp === 0) {
        const bornAt = now - age;
        if (bornAt > slot.bornAt) slot.bornAt = bornAt;
      }
    }
    return merged;
  }

  /** Every host including self, self first then by host id, with status from age. */
  view(): ViewEntry<R>[] {
    const now = this.clock();
    const others = this.order
      .map((s): ViewEntry<R> => {
        const ageMs = now - s.bornAt;
        return { record: s.record, status: statusForAge(ageMs, this.opts), ageMs, isSelf: false };
      })
      .sort((a, b) => (a.record.host < b.record.host ? -1 : a.record.host > b.record.host ? 1 : 0));
    const selfEntry: ViewEntry<R> = { record: this.selfRecord, status: 'alive', ageMs: now - this.selfBornAt, isSelf: true };
    return [selfEntry, ...others];
  }

  /** One host's entry (self included), e.g. to find the address of the host pickTarget chose. */
  entry(host: string): ViewEntry<R> | undefined {
    const now = this.clock();
    if (host === this.selfHost) {
      return { record: this.selfRecord, status: 'alive', ageMs: now - this.selfBornAt, isSelf: true };
    }
    const slot = this.slots.get(host);
    if (slot === undefined) return undefined;
    const ageMs = now - slot.bornAt;
    return { record: slot.record, status: statusForAge(ageMs, this.opts), ageMs, isSelf: false };
  }

  /** Forgets hosts whose age reached forgetAfterMs and returns their ids. Call once per round. */
  expire(): string[] {
    const now = this.clock();
    const forgotten: string[] = [];
    // Backwards, so the swap-remove only moves slots that were already checked.
    for (let i = this.order.length - 1; i >= 0; i--) {
      const slot = this.order[i];
      if (slot !== undefined && now - slot.bornAt >= this.opts.forgetAfterMs) {
        forgotten.push(slot.record.host);
        this.drop(slot);
      }
    }
    return forgotten;
  }

  /**
   * Forgets one host now (e.g. decommissioned). If it is still running and gossiping it will be
   * learnt again from the next fresh record, which is the point: only silence makes a host go.
   */
  remove(host: string): void {
    const slot = this.slots.get(host);
    if (slot !== undefined) this.drop(slot);
  }

  /** How many other hosts are known (self not counted), dead ones included until forgotten. */
  known(): number {
    return this.order.length;
  }

  private drop(slot: Slot<R>): void {
    this.slots.delete(slot.record.host);
    const last = this.order.pop();
    if (last !== undefined && last !== slot) {
      last.index = slot.index;
      this.order[slot.index] = last;
    }
  }

  private noteSelfClaim(record: R): void {
    if (compareRecords(record, this.selfRecord) <= 0) return;
    if (this.superseding === undefined || compareRecords(record, this.superseding) > 0) this.superseding = record;
  }
}
