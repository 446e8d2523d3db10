import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';
import { printJson } from '../format.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('check this host (or --host H) for what zinc needs, and say how to fix what is missing')
    .option('--host <host>', 'ask another host')
    .option('--json', 'machine-readable output')
    .action(
      action(async (o: { host?: string; json?: boolean }) => {
        const c = ctx.client();
        const r = await c.call(c.hosts, 'doctor', { host: o.host ?? '' }, 120_000);
        if (o.json) return printJson(r);
        let bad = 0;
        process.stdout.write(`zinc doctor — ${r.host}\n`);
        for (const ch of r.checks ?? []) {
          const mark = ch.ok ? 'ok  ' : ch.warning ? 'warn' : 'FAIL';
          if (!ch.ok && !ch.warning) bad++;
          process.stdout.write(`  [${mark}] ${ch.name.padEnd(16)} ${ch.detail}\n`);
          if (!ch.ok && ch.fix) process.stdout.write(`         ${''.padEnd(16)} → ${ch.fix}\n`);
        }
        return bad > 0 ? 1 : 0;
      }),
    );
}
