/**
 * Errors about finding and running CRIU. Codes are stable: scripts and peers match on them.
 */
import { ZincError } from '../common/zinc-error.js';

/** No usable CRIU binary where zincd looked. The hint says exactly what to run. */
export class CriuNotFoundError extends ZincError {
  readonly code = 'CRIU_NOT_FOUND';
  readonly tried: readonly string[];

  constructor(opts: { tried: readonly string[]; hint: string; reason?: string }) {
    super(opts.reason ?? 'CRIU not found', {
      hint: opts.hint,
      context: { tried: opts.tried.join(', ') },
    });
    this.tried = opts.tried;
  }
}

/** CRIU runs but is older than zinc needs (3.17, Debian 12's, fails on kernels >= 6.13). */
export class CriuTooOldError extends ZincError {
  readonly code = 'CRIU_TOO_OLD';
  readonly binary: string;
  readonly version: string;
  readonly minimum: string;

  constructor(opts: { binary: string; version: string; minimum: string; hint: string }) {
    super(`CRIU ${opts.version} at ${opts.binary} is older than ${opts.minimum}`, {
      hint: opts.hint,
      context: { binary: opts.binary, version: opts.version, minimum: opts.minimum },
    });
    this.binary = opts.binary;
    this.version = opts.version;
    this.minimum = opts.minimum;
  }
}

/** `criu check` (or `criu --version`) failed: this kernel or environment lacks what CRIU needs. */
export class CriuCheckFailedError extends ZincError {
  readonly code = 'CRIU_CHECK_FAILED';
  readonly binary: string;
  readonly exitCode: number | null;
  /** CRIU's relevant output lines (errors and warnings, without the harmless RLIMIT line). */
  readonly lines: readonly string[];

  constructor(opts: {
    binary: string;
    exitCode: number | null;
    summary: string;
    lines: readonly string[];
    hint: string;
    cause?: unknown;
  }) {
    super(`criu check failed for ${opts.binary}: ${opts.summary}`, {
      hint: opts.hint,
      context: { binary: opts.binary, exitCode: opts.exitCode ?? undefined, lines: opts.lines.join(' | ') },
      cause: opts.cause,
    });
    this.binary = opts.binary;
    this.exitCode = opts.exitCode;
    this.lines = opts.lines;
  }
}

/** A CRIU helper (dump/page server, lazy-pages) could not be started under zinc-shim's guard. */
export class CriuHelperStartError extends ZincError {
  readonly code = 'CRIU_HELPER_START_FAILED';

  constructor(readonly helper: string, detail: string) {
    super(`cannot start criu ${helper}: ${detail}`, {
      hint: 'Rebuild zinc (`node scripts/build.mjs`) so that build/zinc-shim exists, then retry',
      context: { helper },
    });
  }
}

/** A CRIU process still holds (ptrace-seizes) a job after zincd killed it and waited. */
export class CriuHelperStuckError extends ZincError {
  readonly code = 'CRIU_HELPER_STUCK';

  constructor(readonly gpid: string, readonly tracers: readonly number[], waitedMs: number) {
    super(`job ${gpid} is still held by CRIU process${tracers.length > 1 ? 'es' : ''} ${tracers.join(', ')} ${waitedMs} ms after SIGKILL`, {
      hint: `Look at those pids (\`cat /proc/PID/stack\`, D state?); the job stays frozen until they are gone. Then restart zincd`,
      context: { gpid, tracers: tracers.join(',') },
    });
  }
}

/** A CRIU image zinc must inspect (before a restore) is not what CRIU writes. */
export class ImageFormatError extends ZincError {
  readonly code = 'CRIU_IMAGE_INVALID';
  override readonly kind = 'invalid';
  constructor(readonly file: string, detail: string) {
    super(`CRIU image ${file} cannot be read: ${detail}`, {
      hint: 'Nothing was restored; the checkpoint is damaged or was not made by CRIU. Use another checkpoint',
      context: { file },
    });
  }
}
