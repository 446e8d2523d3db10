/**
 * Issue 18, finding 6, measured: one job with N one-page mappings moved by stop-and-copy, then
 * by post-copy, over the same WAN link (the lab's delay set for the measurement), from the
 * summaries `zinc migrate --json` prints. The job checks its pages afterwards.
 */
import type { Lab } from '../../infra/lab/lab.js';
import { programs } from './programs.js';
import { verdict } from './result.js';

export interface ManyMappingsOptions {
  home: string;
  away: string;
  mappings: number;
  /** One-way delay between the domains; RTT ≈ 2 × this. */
  wanDelayMs: number;
  /** The lab's delay to put back afterwards. */
  restoreDelayMs?: number;
}

interface Summary {
  outcome: string;
  lazy: boolean;
  bytes: number;
  totalMs: number;
  downtimeMs: number;
  postcopyMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureManyMappings(lab: Lab, o: ManyMappingsOptions): Promise<{ text: string; verdicts: string[] }> {
  const p = programs('many_mappings')[0];
  if (!p) throw new Error('many_mappings is not in test/compat');
  const ok = async (host: string, args: string[]): Promise<string> => {
    const r = await lab.zinc(host, args, { timeoutMs: 900_000 });
    if (r.code !== 0) throw new Error(`zinc ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout.trim();
  };
  await lab.setWan({ delayMs: o.wanDelayMs });
  let gpid = '';
  try {
    const m = await lab.measure(o.home, o.away, { seconds: 1, rttCount: 10 });
    gpid = await ok(o.home, ['submit', '--host', o.home, '--name', 'compat-many-mappings', '--', p.path, String(o.mappings)]);
    for (let i = 0; !(await ok(o.home, ['logs', gpid])).includes('READY'); i++) {
      if (i > 300) throw new Error('many_mappings did not get ready');
      await sleep(100);
    }
    const copy = JSON.parse(await ok(o.home, ['migrate', gpid, '--to', o.away, '--json'])) as Summary;
    const lazy = JSON.parse(await ok(o.away, ['migrate', gpid, '--to', o.home, '--lazy', '--json'])) as Summary;
    await ok(o.home, ['kill', '--signal', 'TERM', gpid]);
    await lab.zinc(o.home, ['wait', gpid], { timeoutMs: 60_000 });
    const v = verdict(await ok(o.home, ['logs', gpid])) ?? 'no verdict';
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const text =
      `${o.mappings} one-page mappings (${(copy.bytes / 1048576).toFixed(1)} MiB of images), ${o.home} ↔ ${o.away}, ` +
      `RTT median ${m.rttMs.median.toFixed(1)} ms (min ${m.rttMs.min.toFixed(1)}), measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC ` +
      `with \`ZINC_COMPAT_MEASURE=1 ZINC_COMPAT_MODES=none npx vitest run test/integration/compat.test.ts\`:\n\n` +
      `| migration | downtime | post-copy phase | total (until the source is done) | job's verdict |\n|---|---|---|---|---|\n` +
      `| stop-and-copy ${o.home} → ${o.away} | ${s(copy.downtimeMs)} | – | ${s(copy.totalMs)} | |\n` +
      `| post-copy (\`--lazy\`) ${o.away} → ${o.home} | ${s(lazy.downtimeMs)} | ${s(lazy.postcopyMs)} | ${s(lazy.totalMs)} | ${v} |\n\n` +
      `Post-copy takes ${(lazy.totalMs / Math.max(copy.totalMs, 1)).toFixed(1)}× as long as stop-and-copy to complete.`;
    return { text, verdicts: [v] };
  } finally {
    if (gpid) await lab.zinc(o.home, ['kill', gpid]).catch(() => undefined);
    await lab.setWan({ delayMs: o.restoreDelayMs ?? 1 });
  }
}
