import { ZincError } from '../common/zinc-error.js';

export class CheckpointDumpError extends ZincError {
  readonly code = 'CHECKPOINT_DUMP_FAILED';
  constructor(readonly gpid: string, readonly logFile: string, lines: string[], stillRunning: boolean) {
    super(
      `checkpoint of ${gpid} failed; CRIU said: ${lines.length ? lines.join(' | ') : 'nothing useful'} (full log: ${logFile})`,
      {
        hint: stillRunning ? 'The job was not harmed and keeps running' : 'See the log for details',
        context: { gpid, logFile },
      },
    );
  }
}

export class CheckpointNotFoundError extends ZincError {
  readonly code = 'CHECKPOINT_NOT_FOUND';
  override readonly kind = 'not_found';
  constructor(readonly what: string, hint = 'Make one with `zinc checkpoint GPID`, or give an archive file to `zinc restart`') {
    super(`no checkpoint: ${what}`, { hint, context: { what } });
  }
}

export class ChecksumMismatchError extends ZincError {
  readonly code = 'CHECKPOINT_CHECKSUM_MISMATCH';
  constructor(readonly file: string, readonly expected: string, readonly actual: string, readonly source: string) {
    super(`checkpoint file ${file} is corrupt: sha256 ${actual.slice(0, 16)}… does not match the manifest's ${expected.slice(0, 16)}…`, {
      hint: `Nothing was restored and ${source} was kept; use an older checkpoint or make a new one`,
      context: { file, expected, actual, source },
    });
  }
}

export class PreflightError extends ZincError {
  readonly code = 'PREFLIGHT_FAILED';
  constructor(readonly host: string, readonly problems: string[]) {
    super(`cannot restore on ${host}: ${problems.join('; ')}`, {
      hint: 'Nothing was changed; fix the host or choose another one',
      context: { host, problems: problems.join('; ') },
    });
  }
}

export class RestoreError extends ZincError {
  readonly code = 'RESTORE_FAILED';
  constructor(readonly gpid: string, detail: string, readonly logFile: string, lines: string[]) {
    super(`restore of ${gpid} failed: ${detail}${lines.length ? `; CRIU said: ${lines.join(' | ')}` : ''} (log: ${logFile})`, {
      hint: 'The checkpoint was kept and the job is marked failed with the reason; retry with `zinc restart` after fixing the cause',
      context: { gpid, logFile },
    });
  }
}

export class ArchiveFormatError extends ZincError {
  readonly code = 'ARCHIVE_INVALID';
  override readonly kind = 'invalid';
  constructor(readonly source: string, detail: string) {
    super(`${source} is not a valid zinc checkpoint archive: ${detail}`, {
      hint: 'Give a file written by `zinc checkpoint -o`; nothing was restored',
      context: { source },
    });
  }
}

export class DiskFullError extends ZincError {
  readonly code = 'DISK_FULL';
  constructor(readonly path: string, needed: number, available: number) {
    super(`not enough disk space in ${path}: need ${needed} bytes, ${available} available`, {
      hint: 'Free some space (old checkpoints: `zinc show` lists them) and retry; nothing was changed',
      context: { path, needed, available },
    });
  }
}

export class JobBusyError extends ZincError {
  readonly code = 'JOB_BUSY';
  override readonly kind = 'conflict';
  constructor(readonly gpid: string, state: string, action: string) {
    super(`job ${gpid} is ${state}; cannot ${action}`, {
      hint: state === 'running' || state === 'stopped' ? `Kill it first (zinc kill ${gpid}) if you want to restart it from a checkpoint` : `See \`zinc show ${gpid}\``,
      context: { gpid, state },
    });
  }
}

/** The CRIU images would bring back a process with credentials its job's owner does not have. */
export class ImageCredentialsError extends ZincError {
  readonly code = 'RESTORE_CREDENTIALS_REFUSED';
  override readonly kind = 'refused';
  constructor(readonly gpid: string, readonly owner: string, readonly problem: string) {
    super(`refusing to restore ${gpid}: ${problem}, but the job belongs to ${owner}`, {
      hint: 'Nothing was restored. The checkpoint was made for another user or altered after the dump; restore it as the user it belongs to, or checkpoint the job again under its owner',
      context: { gpid, owner, problem },
    });
  }
}

/** `zinc checkpoint -o FILE` / `zinc restart FILE` named a path zincd (root) must not use for this caller. */
/** The bytes stopped before the archive's end (a dropped connection, a sender that died or went
 * silent): the archive itself may be fine, and nothing was restored from it. */
export class ArchiveInterruptedError extends ZincError {
  readonly code = 'ARCHIVE_INTERRUPTED';
  override readonly kind = 'unavailable';
  constructor(readonly source: string, detail: string) {
    super(`${source} was cut off before its end: ${detail}`, {
      hint: 'Nothing was restored from it and the sender still has its copy; try again once the connection (or the sender) is back',
      context: { source },
    });
  }
}

export class ArchivePathError extends ZincError {
  readonly code = 'ARCHIVE_PATH_REFUSED';
  override readonly kind = 'invalid';
  constructor(readonly path: string, detail: string, hint: string) {
    super(`cannot use ${path}: ${detail}`, { hint, context: { path } });
  }
}

/** The archive's GPID is live (here or where its home host says it runs): no second copy. */
export class AlreadyRunningError extends ZincError {
  readonly code = 'GPID_ALREADY_RUNNING';
  override readonly kind = 'conflict';
  constructor(readonly gpid: string, where: string) {
    super(`job ${gpid} is already running ${where}; a GPID is never restored a second time`, {
      hint: `Nothing was restored. Kill it first (zinc kill ${gpid}) if this archive should replace it`,
      context: { gpid, where },
    });
  }
}
