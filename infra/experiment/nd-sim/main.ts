#!/usr/bin/env node
/*
 * Standalone entry: node dist/infra/experiment/nd-sim/main.js --n 16,64,256 … (see command.ts).
 * Until zinc-experiment mounts ndSimCommand() as a subcommand, this is how the simulator is run.
 */
import { ZincError, errorMessage } from '../../../daemon/common/zinc-error.js';
import { ndSimCommand } from './command.js';

try {
  await ndSimCommand().name('nd-sim').parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`nd-sim: ${err instanceof ZincError ? err.toUserLine() : errorMessage(err)}\n`);
  process.exitCode = err instanceof ZincError ? 2 : 1;
}
