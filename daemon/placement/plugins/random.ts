/** random: uniform among the hosts that passed the filters; the baseline the seed measures against. */
import { z } from 'zod';
import { defineScorer } from '../plugin.js';

const NO_FACTORS = Object.freeze({});

export const random = defineScorer({
  name: 'random',
  kind: 'scorer',
  description: 'uniformly at random among the eligible hosts',
  defaults: {},
  params: z.object({}).strict(),
  score: () => ({ score: 0, factors: NO_FACTORS }),
  pick(scored, ctx) {
    const i = Math.min(scored.length - 1, Math.floor(ctx.rng() * scored.length));
    const s = scored[i];
    if (!s) throw new RangeError('pick called with no scored hosts');
    return s;
  },
  explain: (c, w) => (c === w ? 'drawn at random' : 'not drawn (random pick)'),
});
