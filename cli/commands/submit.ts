import type { Command } from 'commander';
import { resolve } from 'node:path';
import { parseDuration, parseSize } from '../../daemon/common/units.js';
import { UsageError } from '../errors.js';
import { action, type CliContext } from '../context.js';

const collect = (v: string, prev: string[]) => [...prev, v];

export function register(program: Command, ctx: CliContext): void {
  program
    .command('submit')
    .description('run a job; prints its GPID')
    .usage('[options] -- COMMAND [ARGS...]')
    .option('--host <host>', 'run on this host (default: the placement policy decides)')
    .option('--domain <domain>', 'place only on hosts of this domain')
    .option('--name <name>', 'a name for the job (default: the command\'s name)')
    .option('--user <user>', 'run as this user; only root may name another user (default: you)')
    .option('--cwd <dir>', 'working directory (default: the job\'s own work/ directory)')
    .option('--env <KEY=VALUE>', 'set an environment variable (repeatable)', collect, [])
    .option('--getenv', 'pass this shell\'s whole environment to the job (like HTCondor getenv)')
    .option('--mem <size>', 'memory the job needs, e.g. 512M; enforced as a limit and used for placement')
    .option('--checkpoint-every <duration>', 'checkpoint the job periodically, e.g. 30s or 10m')
    .option('--keep <n>', 'how many periodic checkpoints to keep (default: 2)')
    .argument('[command...]')
    .action(
      action(async (command: string[], o: Record<string, string | string[] | boolean | undefined>) => {
        if (command.length === 0) throw new UsageError('no command given', 'Put the command after --, e.g. `zinc submit -- sleep 60`');
        const env = [...(o.getenv ? Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`) : []), ...((o.env as string[]) ?? [])];
        for (const e of env) if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(e)) throw new UsageError(`invalid --env "${e}"`, 'Use --env KEY=VALUE');
        let memBytes = 0;
        if (o.mem !== undefined) {
          const b = parseSize(String(o.mem));
          if (b === undefined || b <= 0) throw new UsageError(`invalid --mem "${String(o.mem)}"`, 'Give a size such as 512M or 2G');
          memBytes = b;
        }
        let checkpointEveryMs = 0;
        if (o.checkpointEvery !== undefined) {
          const ms = parseDuration(String(o.checkpointEvery));
          if (ms === undefined || ms <= 0) throw new UsageError(`invalid --checkpoint-every "${String(o.checkpointEvery)}"`, 'Give a duration such as 30s or 10m');
          checkpointEveryMs = ms;
        }
        let keepCheckpoints = 0;
        if (o.keep !== undefined) {
          keepCheckpoints = Number(o.keep);
          if (!Number.isInteger(keepCheckpoints) || keepCheckpoints < 1) throw new UsageError(`invalid --keep "${String(o.keep)}"`, 'Give a whole number ≥ 1');
        }
        const c = ctx.client();
        const reply = await c.call(c.jobs, 'submit', {
          spec: {
            argv: command,
            env,
            cwd: o.cwd ? resolve(String(o.cwd)) : '',
            user: o.user ? String(o.user) : '',
            name: o.name ? String(o.name) : '',
            memBytes,
            checkpointEveryMs,
            keepCheckpoints,
          },
          host: o.host ? String(o.host) : '',
          domain: o.domain ? String(o.domain) : '',
        });
        process.stdout.write(`${reply.gpid}\n`);
      }),
    );
}
