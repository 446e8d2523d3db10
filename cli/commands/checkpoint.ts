import type { Command } from 'commander';
import { resolve } from 'node:path';
import { zincV1 } from '../../proto/loader.js';
import type { CheckpointsClient } from '../../proto/generated/zinc/v1/Checkpoints.js';
import { formatBytes, formatDuration } from '../../daemon/common/units.js';
import { action, type CliContext } from '../context.js';
import { printJson } from '../format.js';

export function checkpointsClient(ctx: CliContext): CheckpointsClient {
  const c = ctx.client();
  return c.service(zincV1().Checkpoints);
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('checkpoint')
    .description('save a running job with CRIU; without --leave-running the job stops (state checkpointed)')
    .argument('<gpid>')
    .option('--leave-running', 'keep the job running after the checkpoint')
    .option('-o, --output <file>', 'also write the checkpoint archive (tar) to this file')
    .option('--json', 'machine-readable output')
    .action(
      action(async (gpid: string, o: { leaveRunning?: boolean; output?: string; json?: boolean }) => {
        const c = ctx.client();
        const r = await c.call(checkpointsClient(ctx), 'checkpoint', { gpid, leaveRunning: !!o.leaveRunning, output: o.output ? resolve(o.output) : '' }, undefined);
        if (o.json) return printJson(r);
        const where = r.archive || r.path;
        const size = r.archive ? Number(r.archiveBytes) : Number(r.bytes);
        const took = Number(r.totalMs) + Number(r.archiveMs ?? 0);
        process.stdout.write(`${where}  ${formatBytes(size)}  ${formatDuration(took)} (frozen ${formatDuration(Number(r.frozenMs))}, dump ${formatDuration(Number(r.dumpMs))})\n`);
      }),
    );
}
