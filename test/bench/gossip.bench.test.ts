/**
 * Issue 5 measurement: Name Dropper's cost — bytes one host sends per round (one push holding every
 * record it knows, encoded exactly as on the wire, plus its answers to the pushes it receives) as
 * the grid grows, and the time to build it. Also how old records get, push only (the paper) versus
 * push-pull (what zincd does), run on the real core with a synthetic clock.
 */
import { describe, it } from 'vitest';
import { NameDropper } from '../../daemon/discovery/name-dropper.js';
import { zincV1 } from '../../proto/loader.js';
import type { GossipMessage } from '../../proto/generated/zinc/v1/GossipMessage.js';
import { toWire, type HostState } from '../../daemon/discovery/host-state.js';
import { gossipTurn } from '../helpers/gossip.js';
import { printTable, saveResults } from './report.js';

/** Answer size relative to a push in steady state; ageRun measures it (0.32 at 6 hosts, 0.39 from 256). */
const ANSWER_RATIO = 0.39;

function record(i: number): HostState {
  return {
    host: `d${(i % 50) + 1}-h${i + 1}`,
    domain: `d${(i % 50) + 1}`,
    address: `198.18.${(i % 50) + 1}.${(i % 250) + 1}:7070`,
    cores: 16,
    speed: 1,
    load: 3.25,
    memFreeBytes: 12_345_678_901,
    memTotalBytes: 68_719_476_736,
    jobs: 12,
    draining: false,
    incarnation: 1_795_000_000_000 + i,
    version: 123_456,
  };
}

interface AgeRun {
  /** Answer entries per pushed entry, steady state. */
  answerRatio: number;
  /** Record age, in rounds, that one in a thousand views exceeds. */
  p999Rounds: number;
  maxRounds: number;
}

/** n cores that start knowing each other, gossiping at random phases within each 1 s round. */
function ageRun(n: number, pull: boolean, rounds: number): AgeRun {
  let now = 0;
  const clock = () => now;
  const opts = { staleAfterMs: 1e9, deadAfterMs: 2e9, forgetAfterMs: 3e9 };
  const nds = Array.from({ length: n }, (_, i) => new NameDropper(record(i), opts, clock, Math.random));
  const byHost = new Map(nds.map((nd) => [nd.selfHost, nd] as const));
  for (const nd of nds) nd.merge(nds.map((o) => ({ record: o.self(), ageMs: 0 })));
  let pushed = 0;
  let answered = 0;
  const ages: number[] = [];
  const warmup = 15;
  for (let r = 0; r < rounds; r++) {
    const order = nds.map((nd) => ({ nd, phase: Math.random() })).sort((a, b) => a.phase - b.phase);
    for (const { nd, phase } of order) {
      now = (r + phase) * 1000;
      const sent = gossipTurn(nd, byHost, pull);
      if (sent && r >= warmup) {
        pushed += sent.pushed;
        answered += sent.answered;
      }
    }
    if (r < warmup) continue;
    now = (r + Math.random()) * 1000;
    for (let k = 0; k < 4; k++) {
      const nd = nds[Math.floor(Math.random() * n)];
      for (const v of nd?.view() ?? []) if (!v.isSelf) ages.push(v.ageMs / 1000);
    }
  }
  ages.sort((a, b) => a - b);
  return {
    answerRatio: pushed ? answered / pushed : 0,
    p999Rounds: ages[Math.floor(ages.length * 0.999)] ?? 0,
    maxRounds: ages[ages.length - 1] ?? 0,
  };
}

describe('gossip cost', () => {
  it('record ages: push only versus push-pull', () => {
    const rows: Array<Array<string | number>> = [];
    const data: Array<{ n: number; push: AgeRun; pushPull: AgeRun }> = [];
    for (const [n, rounds] of [[6, 400], [32, 200], [256, 80], [1024, 40]] as const) {
      const push = ageRun(n, false, rounds);
      const pushPull = ageRun(n, true, rounds);
      data.push({ n, push, pushPull });
      rows.push([n, push.p999Rounds, push.maxRounds, pushPull.p999Rounds, pushPull.maxRounds, pushPull.answerRatio]);
    }
    printTable(
      'Name Dropper: record age in rounds (p99.9 and max over sampled views)',
      ['hosts', 'push p99.9', 'push max', 'push-pull p99.9', 'push-pull max', 'answer/push'],
      rows,
    );
    saveResults('gossip-ages', data);
  });

  it('bytes per round', () => {
    const serialize = zincV1().Gossip.service.Push.requestSerialize as (m: GossipMessage) => Buffer;
    const rows: Array<Array<string | number>> = [];
    const data: Array<{ n: number; bytes: number; perRecord: number; buildMs: number }> = [];
    for (const n of [16, 64, 256, 1024, 4096, 10_000]) {
      const t0 = performance.now();
      const msg: GossipMessage = { fromHost: 'd1-h1', entries: Array.from({ length: n }, (_, i) => ({ record: toWire(record(i)), ageMs: i % 5000 })) };
      const bytes = serialize(msg).length;
      const buildMs = performance.now() - t0;
      data.push({ n, bytes, perRecord: bytes / n, buildMs });
      // A host sends one push per round and, on average, receives and answers one; an answer holds
      // about ANSWER_RATIO of a push (measured by the age test above).
      const total = bytes * (1 + ANSWER_RATIO);
      rows.push([n, bytes / 1024, bytes / n, total / 1024, ((total * 8) / 1e6).toFixed(3), buildMs]);
    }
    printTable(
      'Name Dropper: bytes one host sends per round (one push with every known record, plus answers)',
      ['hosts', 'push KiB', 'bytes/record', 'push+answer KiB', 'Mbit/round', 'build+encode ms'],
      rows,
    );
    saveResults('gossip', data);
  });
});
