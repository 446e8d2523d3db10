/**
 * least-loaded: the baseline Zinctask improves upon: shortest run queue (raw load, not divided
 * by cores or speed; memory and staleness ignored). It counts pending placements by default so
 * that comparisons isolate normalisation; countPending=false gives the naive, stampeding form.
 */
import { z } from 'zod';
import { fixed, num } from '../describe.js';
import { bool } from '../params.js';
import { defineScorer } from '../plugin.js';

export const leastLoaded = defineScorer({
  name: 'least-loaded',
  kind: 'scorer',
  description: 'shortest run queue (raw load, not normalised): the classic baseline',
  defaults: { countPending: 'true' },
  params: z.object({ countPending: bool() }).strict(),
  score(host, _request, ctx) {
    const pending = ctx.params.countPending ? ctx.pending(host.record.host).cpus : 0;
    const runQueue = host.record.load + pending;
    return { score: -runQueue, factors: { runQueue, pending } };
  },
  explain(c, w) {
    const q = num(c.factors, 'runQueue');
    if (c === w) return `shortest run queue ${fixed(q)}`;
    const wq = num(w.factors, 'runQueue');
    if (q === wq) return `tied with ${w.entry.record.host} at ${fixed(q)}; ${w.entry.record.host} sorts first`;
    return `run queue ${fixed(q)} longer than ${w.entry.record.host}'s ${fixed(wq)}`;
  },
});
