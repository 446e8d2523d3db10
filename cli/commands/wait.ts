import type { Command } from 'commander';
import { signalNumber } from '../../daemon/jobs/signals.js';
import { action, type CliContext } from '../context.js';
import { stateName } from '../format.js';

/** Exit status of `zinc wait` for a job that failed to start or resume (like podman's 125). */
export const FAILED_EXIT = 125;

export function register(program: Command, ctx: CliContext): void {
  program
    .command('wait')
    .description('wait for a job to end; exits with its exit code, 128+signal if killed, 125 if it failed')
    .argument('<gpid>')
    .action(
      action(async (gpid: string) => {
        const c = ctx.client();
        const j = await c.call(c.jobs, 'wait', { gpid }, undefined);
        const s = stateName(j.state);
        if (s === 'exited') return j.exit?.code ?? 0;
        if (s === 'killed') return 128 + (signalNumber(j.exit?.signal ?? '') ?? 0);
        process.stderr.write(`zinc: job ${gpid} ${s}${j.reason ? `: ${j.reason}` : ''}\n`);
        return FAILED_EXIT;
      }),
    );
}
