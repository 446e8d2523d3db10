/**
 * round-robin: the eligible hosts in name order, one after the other. The cursor is the last host
 * chosen; the next pick is the first eligible name after it (wrapping), found by one linear scan
 * rather than a sort, so a 10,000-host view costs O(n).
 */
import { z } from 'zod';
import { defineScorer, type Scored } from '../plugin.js';

interface Cursor {
  last: string | undefined;
}

const NO_FACTORS = Object.freeze({});

export const roundRobin = defineScorer({
  name: 'round-robin',
  kind: 'scorer',
  description: 'each eligible host in turn, in name order',
  defaults: {},
  params: z.object({}).strict(),
  initialState: (): Cursor => ({ last: undefined }),
  score: () => ({ score: 0, factors: NO_FACTORS }),
  pick(scored, ctx) {
    const last = ctx.state.last;
    let next: Scored | undefined;
    let first: Scored | undefined;
    for (const s of scored) {
      const h = s.entry.record.host;
      if (!first || h < first.entry.record.host) first = s;
      if (last !== undefined && h > last && (!next || h < next.entry.record.host)) next = s;
    }
    const chosen = next ?? first;
    if (!chosen) throw new RangeError('pick called with no scored hosts');
    ctx.state.last = chosen.entry.record.host;
    return chosen;
  },
  explain: (c, w) => (c === w ? 'next in rotation' : `not next in rotation (${w.entry.record.host} was)`),
});
