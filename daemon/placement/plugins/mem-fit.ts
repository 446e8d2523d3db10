/**
 * mem-fit: the host must have the job's --mem free, counting memory already promised to jobs this
 * host placed there that the host's record does not show yet (pending reservations).
 */
import { z } from 'zod';
import { bytes } from '../describe.js';
import { size } from '../params.js';
import { PASS, defineFilter } from '../plugin.js';

// A module-local alias: filters run for every host of every decision, and under the test
// runner's module transform each read of an imported binding is a getter call.
const OK = PASS;

export const memFit = defineFilter({
  name: 'mem-fit',
  kind: 'filter',
  description: 'free memory (minus pending reservations) must cover --mem plus headroom',
  defaults: { headroom: '0' },
  params: z.object({ headroom: size() }).strict(),
  filter(host, request, ctx) {
    const need = request.memBytes + ctx.params.headroom;
    if (need === 0) return OK;
    const reserved = ctx.pending(host.record.host).memBytes;
    const free = host.record.memFreeBytes - reserved;
    if (free >= need) return OK;
    const headroom = ctx.params.headroom;
    const reason = () => {
      const asked = request.memBytes > 0 ? `${bytes(request.memBytes)} requested` : 'no --mem';
      const extra = headroom > 0 ? ` + ${bytes(headroom)} headroom` : '';
      const pend = reserved > 0 ? ` (after ${bytes(reserved)} reserved by pending placements)` : '';
      return `free memory ${bytes(free)} < ${asked}${extra}${pend}`;
    };
    return { ok: false, reason };
  },
});
