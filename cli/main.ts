#!/usr/bin/env node
/** zinc: the command-line client. Talks to the local zincd, which forwards to other hosts. */
import { Command } from 'commander';
import { makeContext } from './context.js';
import { ZINC_VERSION } from '../daemon/common/version.js';
import { register as checkpoint } from './commands/checkpoint.js';
import { register as control } from './commands/control.js';
import { register as restart } from './commands/restart.js';
import { register as doctor } from './commands/doctor.js';
import { register as drain } from './commands/drain.js';
import { register as policy } from './commands/policy.js';
import { register as hosts } from './commands/hosts.js';
import { register as logs } from './commands/logs.js';
import { register as migrate } from './commands/migrate.js';
import { register as ps } from './commands/ps.js';
import { register as show } from './commands/show.js';
import { register as submit } from './commands/submit.js';
import { register as wait } from './commands/wait.js';
import { register as tls } from './commands/tls.js';

const program = new Command('zinc')
  .description('zinc: run, checkpoint and migrate jobs across a grid of hosts and domains')
  .version(ZINC_VERSION)
  .option('--socket <path>', 'local zincd socket (default: $ZINC_SOCKET or /var/lib/zinc/zincd.sock)')
  .showHelpAfterError('(run `zinc help <command>` for usage)')
  .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `zinc: ${s.slice(7)}` : s) })
  .exitOverride((err) => {
    // Usage errors exit 2 like other Unix tools; help and version exit 0.
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

const ctx = makeContext(program);
for (const register of [submit, ps, show, logs, wait, control, checkpoint, restart, migrate, hosts, policy, drain, doctor, tls]) register(program, ctx);

await program.parseAsync();
