import type { Command } from 'commander';
import type { LogChunk__Output } from '../../proto/generated/zinc/v1/LogChunk.js';
import { action, type CliContext } from '../context.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('logs')
    .description('print a job\'s stdout (or --stderr); -f follows it, across migrations, until the job ends')
    .argument('<gpid>')
    .option('--stderr', 'print stderr instead of stdout')
    .option('-f, --follow', 'keep printing as the job writes')
    .action(
      action(async (gpid: string, o: { stderr?: boolean; follow?: boolean }) => {
        const c = ctx.client();
        c.checkSocket();
        await new Promise<void>((resolve, reject) => {
          const stream = c.jobs.logs({ gpid, stderr: !!o.stderr, follow: !!o.follow, offset: 0 });
          process.on('SIGINT', () => {
            stream.cancel();
            resolve();
          });
          stream.on('data', (chunk: LogChunk__Output) => {
            if (!process.stdout.write(chunk.data)) {
              stream.pause();
              process.stdout.once('drain', () => stream.resume());
            }
          });
          stream.on('error', (err) => reject(c.translate(err)));
          stream.on('end', () => resolve());
        });
      }),
    );
}
