import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';
import { cpu, printJson, runtime, shellQuote, stateWithDetail, table } from '../format.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('ps')
    .description('list jobs on this host (or --host H), including jobs homed here that run elsewhere')
    .option('-a, --all', 'include jobs that have ended')
    .option('--host <host>', 'list that host\'s jobs')
    .option('--json', 'machine-readable output')
    .action(
      action(async (o: { all?: boolean; host?: string; json?: boolean }) => {
        const c = ctx.client();
        const reply = await c.call(c.jobs, 'list', { all: !!o.all, host: o.host ?? '' });
        const jobs = reply.jobs ?? [];
        if (o.json) return printJson(jobs);
        const rows = jobs.map((j) => [
          j.gpid,
          j.name,
          stateWithDetail(j),
          j.host === reply.host ? j.host : `→ ${j.host}`,
          runtime(j),
          cpu(j),
          shellQuote(j.spec?.argv ?? []).slice(0, 60),
        ]);
        process.stdout.write(`${table(['GPID', 'NAME', 'STATE', 'HOST', 'RUNTIME', 'CPU', 'COMMAND'], rows)}\n`);
      }),
    );
}
