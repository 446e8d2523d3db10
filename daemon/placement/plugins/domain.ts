/**
 * domain: the job's --domain constraint, and optionally an operator's allow-list of domains this
 * host may place into (`--param allow=d1,d2`; empty = all).
 */
import { z } from 'zod';
import { nameList } from '../params.js';
import { PASS, defineFilter } from '../plugin.js';

/** Local alias of PASS for the hot path (see mem-fit.ts). */
const OK = PASS;

export const domain = defineFilter({
  name: 'domain',
  kind: 'filter',
  description: 'honour --domain, and place only into the domains in allow= (empty: any)',
  defaults: { allow: '' },
  params: z.object({ allow: nameList() }).strict(),
  filter(host, request, ctx) {
    const d = host.record.domain;
    if (request.domain !== '' && d !== request.domain) return { ok: false, reason: `domain ${d}, the job asked for --domain ${request.domain}` };
    const allow = ctx.params.allow;
    if (allow.length > 0 && !allow.includes(d)) return { ok: false, reason: `domain ${d} not in allow=${allow.join(',')}` };
    return OK;
  },
});
