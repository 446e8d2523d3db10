/** not-draining: a host being drained (`zinc drain`) takes no new jobs. */
import { z } from 'zod';
import { PASS, defineFilter, type FilterResult } from '../plugin.js';

const DRAINING: FilterResult = Object.freeze({ ok: false, reason: 'host is draining (zinc undrain HOST to reopen it)' });

/** Local alias of PASS for the hot path (see mem-fit.ts). */
const OK = PASS;

export const notDraining = defineFilter({
  name: 'not-draining',
  kind: 'filter',
  description: 'skip hosts that are being drained',
  defaults: {},
  params: z.object({}).strict(),
  filter: (host) => (host.record.draining ? DRAINING : OK),
});
