import type { Command } from 'commander';
import { resolve } from 'node:path';
import { parseGpid } from '../../daemon/jobs/gpid.js';
import { formatDuration } from '../../daemon/common/units.js';
import { action, type CliContext } from '../context.js';
import { printJson, stateWithDetail } from '../format.js';
import { checkpointsClient } from './checkpoint.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('restart')
    .description('resume a job from its newest checkpoint, or from an archive file, with the same GPID')
    .argument('<gpid|file>')
    .option('--json', 'machine-readable output')
    .action(
      action(async (what: string, o: { json?: boolean }) => {
        const c = ctx.client();
        const isGpid = parseGpid(what) !== undefined && !what.includes('/');
        const req = isGpid ? { gpid: what, archive: '' } : { gpid: '', archive: resolve(what) };
        const r = await c.call(checkpointsClient(ctx), 'restart', req, undefined);
        if (o.json) return printJson(r);
        const j = r.job;
        process.stdout.write(`${j?.gpid ?? what} ${j ? stateWithDetail(j) : ''} on ${j?.host ?? '?'} from checkpoint ${r.checkpoint} in ${formatDuration(Number(r.totalMs))}\n`);
      }),
    );
}
