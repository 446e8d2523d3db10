import type { Command } from 'commander';
import { parseSignal } from '../../daemon/jobs/signals.js';
import { UsageError } from '../errors.js';
import { action, type CliContext } from '../context.js';
import { stateWithDetail } from '../format.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('stop')
    .description('freeze every process of a job (cgroup freezer); `zinc cont` resumes it')
    .argument('<gpid>')
    .action(
      action(async (gpid: string) => {
        const c = ctx.client();
        const j = await c.call(c.jobs, 'control', { gpid, action: 'CONTROL_ACTION_STOP', signal: '' });
        process.stdout.write(`${j.gpid} ${stateWithDetail(j)}\n`);
      }),
    );
  program
    .command('cont')
    .description('resume a stopped job')
    .argument('<gpid>')
    .action(
      action(async (gpid: string) => {
        const c = ctx.client();
        const j = await c.call(c.jobs, 'control', { gpid, action: 'CONTROL_ACTION_CONT', signal: '' });
        process.stdout.write(`${j.gpid} ${stateWithDetail(j)}\n`);
      }),
    );
  program
    .command('kill')
    .description('signal every process of a job (default SIGKILL, which ends the whole tree)')
    .argument('<gpid>')
    .option('-s, --signal <signal>', 'signal name or number, e.g. TERM, SIGINT, 15', 'KILL')
    .action(
      action(async (gpid: string, o: { signal: string }) => {
        const sig = parseSignal(o.signal);
        if (!sig) throw new UsageError(`unknown signal "${o.signal}"`, 'Use a name like TERM or SIGINT, or a number like 15');
        const c = ctx.client();
        const j = await c.call(c.jobs, 'control', { gpid, action: 'CONTROL_ACTION_KILL', signal: sig });
        process.stdout.write(`${j.gpid} ${stateWithDetail(j)}\n`);
      }),
    );
}
