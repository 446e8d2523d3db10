import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';
import { formatBytes, formatDuration, printJson, stateName, table } from '../format.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('hosts')
    .description('the grid as this host (or --host H) knows it through gossip')
    .option('--host <host>', 'ask another host for its view')
    .option('--json', 'machine-readable output')
    .action(
      action(async (o: { host?: string; json?: boolean }) => {
        const c = ctx.client();
        const r = await c.call(c.hosts, 'list', { host: o.host ?? '' });
        if (o.json) return printJson(r.hosts);
        const rows = (r.hosts ?? []).map((h) => {
          const rec = h.record;
          const norm = rec ? rec.load / Math.max(1e-9, rec.cores * rec.speed) : 0;
          return [
            `${rec?.host ?? ''}${rec?.host === r.self ? '*' : ''}`,
            rec?.domain ?? '',
            rec?.address ?? '',
            String(rec?.cores ?? ''),
            (rec?.speed ?? 0).toFixed(2),
            `${(rec?.load ?? 0).toFixed(2)} (${norm.toFixed(2)})`,
            formatBytes(Number(rec?.memFreeBytes ?? 0)),
            String(rec?.jobs ?? 0),
            formatDuration(Number(h.ageMs ?? 0)),
            stateName(h.status) + (rec?.draining ? ',draining' : ''),
          ];
        });
        process.stdout.write(`${table(['HOST', 'DOMAIN', 'ADDRESS', 'CORES', 'SPEED', 'LOAD (NORM)', 'MEM FREE', 'JOBS', 'AGE', 'STATUS'], rows)}\n`);
      }),
    );
}
