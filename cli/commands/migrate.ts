import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { zincV1 } from '../../proto/loader.js';
import type { MigrateProgress__Output } from '../../proto/generated/zinc/v1/MigrateProgress.js';
import type { MigrationSummary__Output } from '../../proto/generated/zinc/v1/MigrationSummary.js';
import { formatBytes, formatDuration, formatRate } from '../../daemon/common/units.js';
import { DaemonNotRunningError, MigrationContactLostError, UsageError } from '../errors.js';
import { action, type CliContext } from '../context.js';
import { printJson } from '../format.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('move a running job to another host (any domain that accepts it), keeping its GPID and state')
    .argument('<gpid>')
    .requiredOption('--to <host>', 'destination host')
    .option('--lazy [mode]', 'post-copy: resume at once, memory follows on demand; "auto" falls back when unavailable')
    .option('--json', 'machine-readable summary (no progress bar)')
    .action(
      action(async (gpid: string, o: { to: string; lazy?: string | boolean; json?: boolean }) => {
        const lazy = o.lazy === undefined || o.lazy === false ? '' : o.lazy === true ? 'on' : String(o.lazy);
        if (!['', 'on', 'auto', 'off'].includes(lazy)) throw new UsageError(`--lazy=${lazy} is not on, off or auto`, 'Use --lazy, --lazy=auto or leave it out');
        const c = ctx.client();
        c.checkSocket();
        const client = c.service(zincV1().Migrations);
        const tty = process.stderr.isTTY && !o.json;
        const bar = tty
          ? new cliProgress.SingleBar(
              { format: ' {phase} |{bar}| {percentage}% {done}/{size} {rate}', hideCursor: true, clearOnComplete: true, stream: process.stderr },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
        let started = false;
        let phase = '';
        let summary: MigrationSummary__Output | undefined;
        await new Promise<void>((resolve, reject) => {
          const stream = client.migrate({ gpid, to: o.to, lazy, reason: '' });
          stream.on('data', (p: MigrateProgress__Output) => {
            if (p.summary) summary = p.summary;
            if (p.phase) phase = p.phase;
            const total = Number(p.total ?? 0);
            const bytes = Number(p.bytes ?? 0);
            if (bar) {
              const payload = { phase: p.phase.padEnd(12), done: formatBytes(bytes), size: formatBytes(total), rate: p.rate ? formatRate(p.rate) : '' };
              if (!started) {
                bar.start(Math.max(total, 1), bytes, payload);
                started = true;
              } else {
                if (total) bar.setTotal(total);
                bar.update(bytes, payload);
              }
            } else if (!o.json && p.phase !== 'transferring' && !p.summary) {
              process.stderr.write(`${p.phase}${p.message ? `: ${p.message}` : ''}\n`);
            }
          });
          stream.on('error', (err) => {
            bar?.stop();
            const e = c.translate(err);
            // Once the migration has begun, "zincd is not running" would say nothing of the job.
            reject(phase && e instanceof DaemonNotRunningError ? new MigrationContactLostError(gpid, o.to, phase) : e);
          });
          stream.on('end', () => {
            bar?.stop();
            resolve();
          });
        });
        if (!summary) throw new Error('the daemon ended the migration without a summary');
        if (o.json) return printJson(summary);
        const s = summary;
        process.stdout.write(
          `${s.gpid} ${s.outcome} ${s.from} → ${s.to}${s.lazy ? ' (post-copy)' : ''}: ${formatBytes(Number(s.bytes))} in ${formatDuration(Number(s.totalMs))}\n` +
            `  freeze ${ms(s.freezeMs)}  dump ${ms(s.dumpMs)}  transfer ${ms(s.transferMs)}  restore ${ms(s.restoreMs)}  downtime ${ms(s.downtimeMs)}` +
            (s.lazy ? `  post-copy ${ms(s.postcopyMs)}` : '') +
            '\n',
        );
      }),
    );
}

function ms(v: number | undefined): string {
  return `${Math.round(Number(v ?? 0))}ms`;
}
