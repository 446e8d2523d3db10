import { describe, expect, it } from 'vitest';
import { DiscoveryOptionsError, SelfRecordError } from '../../daemon/discovery/errors.js';
import {
  NameDropper,
  compareRecords,
  nextVersion,
  optionsFromRounds,
  type GossipEntry,
  type NameDropperOptions,
  type NdRecord,
} from '../../daemon/discovery/name-dropper.js';
import { createPrng, rngFunction } from '../../infra/experiment/common/prng.js';
import { gossipTurn } from '../helpers/gossip.js';

interface Rec extends NdRecord {
  readonly load?: number;
}

const OPTS: NameDropperOptions = { staleAfterMs: 3000, deadAfterMs: 6000, forgetAfterMs: 60000 };

function rec(host: string, incarnation = 1, version = 0, load = 0): Rec {
  return { host, incarnation, version, load };
}

function entry(record: Rec, ageMs = 0): GossipEntry<Rec> {
  return { record, ageMs };
}

/** A core with a hand-driven clock and a seeded rng. */
function setup(opts: NameDropperOptions = OPTS, seed = 7) {
  const clock = { now: 10_000 };
  const nd = new NameDropper<Rec>(rec('self'), opts, () => clock.now, rngFunction(createPrng(seed)));
  return { nd, clock };
}

describe('record order', () => {
  it('orders by incarnation first, then version', () => {
    expect(compareRecords(rec('a', 2, 0), rec('a', 1, 99))).toBeGreaterThan(0);
    expect(compareRecords(rec('a', 1, 5), rec('a', 1, 4))).toBeGreaterThan(0);
    expect(compareRecords(rec('a', 1, 4), rec('a', 1, 4))).toBe(0);
    expect(compareRecords(rec('a', 1, 4), rec('a', 2, 0))).toBeLessThan(0);
    expect(nextVersion(rec('a', 3, 4, 0.5))).toEqual(rec('a', 3, 5, 0.5));
  });
});

describe('merge', () => {
  it('adds unknown hosts and counts them', () => {
    const { nd } = setup();
    expect(nd.merge([entry(rec('a')), entry(rec('b'))])).toBe(2);
    expect(nd.known()).toBe(2);
    expect(nd.merge([entry(rec('a')), entry(rec('b'))])).toBe(0);
  });

  it('keeps the newer version and ignores older ones', () => {
    const { nd } = setup();
    nd.merge([entry(rec('a', 1, 5, 0.1))]);
    expect(nd.merge([entry(rec('a', 1, 4, 0.9))])).toBe(0);
    expect(nd.entry('a')?.record.load).toBe(0.1);
    expect(nd.merge([entry(rec('a', 1, 6, 0.7))])).toBe(1);
    expect(nd.entry('a')?.record).toEqual(rec('a', 1, 6, 0.7));
  });

  it('lets a restarted host (larger incarnation, version back at 0) beat its old records', () => {
    const { nd } = setup();
    nd.merge([entry(rec('a', 1, 500, 0.1))]);
    expect(nd.merge([entry(rec('a', 2, 0, 0.2))])).toBe(1);
    expect(nd.entry('a')?.record).toEqual(rec('a', 2, 0, 0.2));
    // The old incarnation keeps circulating for a while and must lose.
    expect(nd.merge([entry(rec('a', 1, 501, 0.3))])).toBe(0);
    expect(nd.entry('a')?.record.incarnation).toBe(2);
  });

  it('estimates age from the sender-reported age and the local clock only', () => {
    const { nd, clock } = setup();
    nd.merge([entry(rec('a'), 1200)]);
    expect(nd.entry('a')?.ageMs).toBe(1200);
    clock.now += 500;
    expect(nd.entry('a')?.ageMs).toBe(1700);
  });

  it('moves the estimate younger when the same version arrives with a smaller age, never older', () => {
    const { nd, clock } = setup();
    nd.merge([entry(rec('a', 1, 3), 2500)]);
    clock.now += 1000; // our estimate: 3500
    expect(nd.merge([entry(rec('a', 1, 3), 400)])).toBe(0); // not newer, but fresher
    expect(nd.entry('a')?.ageMs).toBe(400);
    expect(nd.merge([entry(rec('a', 1, 3), 5000)])).toBe(0);
    expect(nd.entry('a')?.ageMs).toBe(400);
  });

  it('takes the age that comes with a newer version', () => {
    const { nd } = setup();
    nd.merge([entry(rec('a', 1, 3), 100)]);
    nd.merge([entry(rec('a', 1, 4), 900)]);
    expect(nd.entry('a')?.ageMs).toBe(900);
  });

  it('drops an unknown host whose record is already dead', () => {
    const { nd } = setup();
    expect(nd.merge([entry(rec('a'), OPTS.deadAfterMs)])).toBe(0);
    expect(nd.merge([entry(rec('b'), OPTS.deadAfterMs - 1)])).toBe(1);
    expect(nd.entry('a')).toBeUndefined();
  });

  it('does not resurrect a forgotten host from old records still in circulation (no zombies)', () => {
    const { nd, clock } = setup();
    nd.merge([entry(rec('z', 1, 9), 0)]);
    clock.now += OPTS.forgetAfterMs;
    expect(nd.expire()).toEqual(['z']);
    expect(nd.known()).toBe(0);
    // A peer that has not expired z yet still sends it, with the age it has reached by now.
    expect(nd.merge([entry(rec('z', 1, 9), OPTS.forgetAfterMs - 10)])).toBe(0);
    expect(nd.merge([entry(rec('z', 1, 9), OPTS.deadAfterMs)])).toBe(0);
    expect(nd.entry('z')).toBeUndefined();
    // A fresh record means z really is back.
    expect(nd.merge([entry(rec('z', 2, 0), 100)])).toBe(1);
    expect(nd.entry('z')?.status).toBe('alive');
  });

  it('ignores records about itself, but reports one that beats its own', () => {
    const { nd } = setup();
    expect(nd.merge([entry(rec('self', 1, 0))])).toBe(0);
    expect(nd.known()).toBe(0);
    expect(nd.supersededBy()).toBeUndefined();
    nd.merge([entry(rec('self', 5, 0))]);
    expect(nd.supersededBy()).toEqual(rec('self', 5, 0));
    nd.setSelf(rec('self', 6, 0));
    expect(nd.supersededBy()).toBeUndefined();
  });

  it('skips malformed entries and clamps negative ages to zero', () => {
    const { nd } = setup();
    const bad = [
      entry(rec('nan-age'), Number.NaN),
      entry(rec('inf-age'), Number.POSITIVE_INFINITY),
      entry(rec('nan-version', 1, Number.NaN)),
      entry(rec('', 1, 0)),
    ];
    expect(nd.merge(bad)).toBe(0);
    expect(nd.merge([entry(rec('future'), -5000)])).toBe(1);
    expect(nd.entry('future')?.ageMs).toBe(0);
  });
});

describe('status from age', () => {
  it('goes alive → stale → dead at the thresholds, with an injected clock', () => {
    const { nd, clock } = setup();
    nd.merge([entry(rec('a'), 0)]);
    const status = () => nd.entry('a')?.status;
    expect(status()).toBe('alive');
    clock.now += OPTS.staleAfterMs - 1;
    expect(status()).toBe('alive');
    clock.now += 1;
    expect(status()).toBe('stale');
    clock.now += OPTS.deadAfterMs - OPTS.staleAfterMs - 1;
    expect(status()).toBe('stale');
    clock.now += 1;
    expect(status()).toBe('dead');
    // Dead but not forgotten yet: still listed, gone at forgetAfter.
    clock.now += OPTS.forgetAfterMs - OPTS.deadAfterMs - 1;
    expect(nd.expire()).toEqual([]);
    clock.now += 1;
    expect(nd.expire()).toEqual(['a']);
  });

  it('comes back to alive when a fresher report arrives', () => {
    const { nd, clock } = setup();
    nd.merge([entry(rec('a', 1, 1), 0)]);
    clock.now += OPTS.staleAfterMs + 10;
    expect(nd.entry('a')?.status).toBe('stale');
    nd.merge([entry(rec('a', 1, 2), 50)]);
    expect(nd.entry('a')?.status).toBe('alive');
  });

  it('lists self first (age since setSelf, always alive), then the others by host id', () => {
    const { nd, clock } = setup();
    nd.merge([entry(rec('c'), 0), entry(rec('a'), OPTS.deadAfterMs - 1), entry(rec('b'), OPTS.staleAfterMs)]);
    clock.now += 1;
    const v = nd.view();
    expect(v.map((e) => [e.record.host, e.status, e.isSelf])).toEqual([
      ['self', 'alive', true],
      ['a', 'dead', false],
      ['b', 'stale', false],
      ['c', 'alive', false],
    ]);
    expect(v[0]?.ageMs).toBe(1);
    nd.setSelf(nextVersion(nd.self()));
    expect(nd.view()[0]?.ageMs).toBe(0);
  });
});

describe('outgoing', () => {
  it('sends self first with its age, then every host that is not dead', () => {
    const { nd, clock } = setup();
    nd.merge([entry(rec('a'), 0), entry(rec('b'), 0)]);
    clock.now += OPTS.deadAfterMs - 1000; // both stale now
    nd.merge([entry(rec('c'), 0)]);
    clock.now += 2000; // a, b dead; c alive
    const out = nd.outgoing();
    expect(out.map((e) => e.record.host)).toEqual(['self', 'c']);
    expect(out[0]?.ageMs).toBe(OPTS.deadAfterMs + 1000);
    expect(out[1]?.ageMs).toBe(2000);
  });

  it('round-trips: what one core sends, another learns with the same ages', () => {
    const { nd: a, clock } = setup();
    const b = new NameDropper<Rec>(rec('b'), OPTS, () => clock.now, rngFunction(createPrng(1)));
    a.merge([entry(rec('x'), 700)]);
    expect(b.merge(a.outgoing())).toBe(2);
    expect(b.entry('x')?.ageMs).toBe(700);
    expect(b.entry('self')?.ageMs).toBe(0);
  });
});

describe('fresherThan (the pull answer)', () => {
  it('answers with unknown hosts, newer versions, younger copies and itself; nothing the pusher knows as well', () => {
    const { nd: receiver, clock } = setup();
    receiver.merge([
      entry(rec('same', 1, 3), 1000), // same version, same age as the push: not sent back
      entry(rec('newer', 1, 5), 4000), // newer version than the push, even though older
      entry(rec('younger', 1, 2), 500), // same version, heard more recently
      entry(rec('older', 1, 2), 2500), // same version, older than the push: not sent back
      entry(rec('unknown'), 200), // the pusher does not know it
      entry(rec('behind', 1, 1), 0), // an older version than the push: not sent back
    ]);
    clock.now += 100;
    const push = [
      entry(rec('pusher', 1, 9), 0),
      entry(rec('self', 1, 0), 3000),
      entry(rec('same', 1, 3), 1100),
      entry(rec('newer', 1, 4), 0),
      entry(rec('younger', 1, 2), 2000),
      entry(rec('older', 1, 2), 1000),
      entry(rec('behind', 1, 2), 0),
    ];
    const answer = receiver.fresherThan(push);
    expect(answer.map((e) => e.record.host).sort()).toEqual(['newer', 'self', 'unknown', 'younger']);
    expect(answer.find((e) => e.record.host === 'younger')?.ageMs).toBe(600);
  });

  it('push-pull keeps every record younger than push alone (20 cores, 100 rounds)', () => {
    const maxAge = (pull: boolean): number => {
      const clock = { now: 0 };
      const rng = rngFunction(createPrng(11));
      const nds = Array.from({ length: 20 }, (_, i) => new NameDropper<Rec>(rec(`h${i}`), OPTS, () => clock.now, rng));
      const byHost = new Map(nds.map((nd) => [nd.selfHost, nd] as const));
      for (const nd of nds) nd.merge(nds.map((o) => entry(o.self())));
      let worst = 0;
      for (let r = 0; r < 100; r++) {
        for (const nd of nds) {
          clock.now += 50;
          gossipTurn(nd, byHost, pull);
        }
        if (r > 10) for (const nd of nds) for (const v of nd.view()) worst = Math.max(worst, v.ageMs);
      }
      return worst;
    };
    const push = maxAge(false);
    const pushPull = maxAge(true);
    // Measured with this seed: 13.1 s push only, 5.2 s push-pull.
    expect(pushPull).toBeLessThan(push / 2);
  });
});

describe('pickTarget', () => {
  it('returns undefined when nobody else is known', () => {
    const { nd } = setup();
    expect(nd.pickTarget()).toBeUndefined();
  });

  it('never picks self or a dead host', () => {
    const { nd, clock } = setup();
    nd.merge([entry(rec('old'), 0)]);
    clock.now += OPTS.deadAfterMs;
    nd.merge([entry(rec('self')), entry(rec('new'), 0)]);
    for (let i = 0; i < 500; i++) expect(nd.pickTarget()).toBe('new');
    clock.now += OPTS.deadAfterMs;
    expect(nd.pickTarget()).toBeUndefined();
  });

  it('picks uniformly among the known hosts (chi-square, 5 hosts, 50 000 picks)', () => {
    const { nd } = setup();
    const hosts = ['a', 'b', 'c', 'd', 'e'];
    nd.merge(hosts.map((h) => entry(rec(h))));
    const counts = new Map<string, number>();
    const picks = 50_000;
    for (let i = 0; i < picks; i++) {
      const t = nd.pickTarget() ?? 'none';
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(hosts);
    const expected = picks / hosts.length;
    const chi2 = hosts.reduce((s, h) => s + ((counts.get(h) ?? 0) - expected) ** 2 / expected, 0);
    // 4 degrees of freedom: P(χ² > 18.47) = 0.001.
    expect(chi2).toBeLessThan(18.47);
  });

  it('stays uniform over live hosts when most are dead (the filtering fallback)', () => {
    const { nd, clock } = setup();
    nd.merge(Array.from({ length: 40 }, (_, i) => entry(rec(`dead${i}`), 0)));
    clock.now += OPTS.deadAfterMs;
    nd.merge([entry(rec('x'), 0), entry(rec('y'), 0)]);
    const counts = { x: 0, y: 0 };
    for (let i = 0; i < 20_000; i++) {
      const t = nd.pickTarget();
      expect(t === 'x' || t === 'y').toBe(true);
      if (t === 'x' || t === 'y') counts[t]++;
    }
    // 1 degree of freedom: P(χ² > 10.83) = 0.001.
    const chi2 = ((counts.x - 10_000) ** 2 + (counts.y - 10_000) ** 2) / 10_000;
    expect(chi2).toBeLessThan(10.83);
  });

  it('still picks stale hosts: slow is not dead', () => {
    const { nd, clock } = setup();
    nd.merge([entry(rec('slow'), 0)]);
    clock.now += OPTS.staleAfterMs;
    expect(nd.entry('slow')?.status).toBe('stale');
    expect(nd.pickTarget()).toBe('slow');
  });
});

describe('self, remove, options', () => {
  it('setSelf rejects another host and an older record, accepts the same version', () => {
    const { nd, clock } = setup();
    nd.setSelf(rec('self', 1, 3));
    expect(() => nd.setSelf(rec('other', 1, 4))).toThrow(SelfRecordError);
    expect(() => nd.setSelf(rec('self', 1, 2))).toThrow(SelfRecordError);
    clock.now += 800;
    nd.setSelf(rec('self', 1, 3));
    expect(nd.outgoing()[0]?.ageMs).toBe(0);
  });

  it('remove forgets a host now; it comes back only with a fresh record', () => {
    const { nd } = setup();
    nd.merge([entry(rec('a')), entry(rec('b')), entry(rec('c'))]);
    nd.remove('a');
    nd.remove('nobody');
    expect(nd.known()).toBe(2);
    expect(nd.view().map((e) => e.record.host)).toEqual(['self', 'b', 'c']);
    for (let i = 0; i < 100; i++) expect(nd.pickTarget()).not.toBe('a');
    expect(nd.merge([entry(rec('a'), 10)])).toBe(1);
  });

  it('rejects thresholds that are not ordered stale < dead < forget', () => {
    const bad: NameDropperOptions[] = [
      { staleAfterMs: 0, deadAfterMs: 1, forgetAfterMs: 2 },
      { staleAfterMs: 5, deadAfterMs: 5, forgetAfterMs: 10 },
      { staleAfterMs: 1, deadAfterMs: 10, forgetAfterMs: 10 },
      { staleAfterMs: 1, deadAfterMs: Number.NaN, forgetAfterMs: 10 },
    ];
    for (const o of bad) expect(() => new NameDropper(rec('s'), o, () => 0, () => 0)).toThrow(DiscoveryOptionsError);
  });

  it('converts the daemon config (rounds × interval) to ms', () => {
    expect(optionsFromRounds(1000, { staleAfterRounds: 3, deadAfterRounds: 6, forgetAfterRounds: 60 })).toEqual({
      staleAfterMs: 3000,
      deadAfterMs: 6000,
      forgetAfterMs: 60000,
    });
    expect(() => optionsFromRounds(1000, { staleAfterRounds: 6, deadAfterRounds: 3, forgetAfterRounds: 60 })).toThrow(
      DiscoveryOptionsError,
    );
  });
});
