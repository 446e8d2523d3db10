/**
 * Runs a CRIU helper that can hold a job (a post-copy dump/page server, a lazy-pages daemon)
 * under `zinc-shim guard`, so that it dies with zincd: a plain child of zincd survives zincd's
 * SIGKILL as an orphan and keeps the job seized under ptrace for ever (issue 11).
 *
 * Node cannot set PR_SET_PDEATHSIG on a child, and a helper whose work was promised to a peer
 * must not die with zincd either, so the guard is told through its stdin: EOF (zincd died) or
 * kill() ends the helper; keep() lets it finish on its own. Not for `criu restore`: the restored
 * job's supervisor outlives zincd on purpose.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CriuHelperStartError } from './errors.js';

export interface GuardedHelper {
  /** The guard process: its exit code and signal are the helper's. */
  readonly child: ChildProcess;
  /** Let the helper outlive zincd from now on (its work must finish even if zincd dies). */
  keep(): Promise<void>;
  /** SIGKILL the helper now (the guard then exits as it did). */
  kill(): void;
}

/**
 * Spawn `argv` under the guard. `stdio` describes fds 1 and up (fd 0 is the guard's control
 * pipe); e.g. ['ignore', 'ignore', 'pipe'] gives the helper a pipe on fd 3.
 */
export function spawnGuarded(shim: string, argv: readonly string[], stdio: ReadonlyArray<'ignore' | 'pipe'>): GuardedHelper {
  // For the error only: CRIU's subcommand (argv may start with its loader and the loader's flags).
  const what = argv.find((a) => a === 'dump' || a === 'lazy-pages' || a === 'page-server') ?? argv[0] ?? '(nothing)';
  if (argv.length === 0) throw new CriuHelperStartError(what, 'empty command line');
  if (!existsSync(shim)) throw new CriuHelperStartError(what, `the guard ${shim} is missing`);
  const child = spawn(shim, ['guard', '--', ...argv], { stdio: ['pipe', ...stdio] });
  const control = child.stdin;
  // The guard may exit before we write to it (the helper failed): that is not our error.
  control?.on('error', () => undefined);
  let kept = false;
  return {
    child,
    keep: () =>
      new Promise<void>((resolve) => {
        if (kept || !control || control.destroyed || child.exitCode !== null) return resolve();
        kept = true;
        control.write('keep\n', () => resolve());
      }),
    kill: () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // Through the guard, which SIGKILLs the helper and then exits as it did. Even after keep()
      // the guard's pdeathsig link kills the helper when the guard itself is killed.
      if (kept || !control || control.destroyed) child.kill('SIGKILL');
      else control.end('kill\n');
    },
  };
}
