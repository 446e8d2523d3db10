/**
 * Running external programs: always an argument array (never a shell string), output captured,
 * failures turned into LabCommandError with the command line and stderr.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { constants } from 'node:os';
import { LabCommandError } from './errors.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user (uid and primary gid), e.g. to show what a non-root user may do. */
  user?: { uid: number; gid: number };
}

/** Runs argv and resolves with its exit code and output; 128+n when killed by signal n. */
export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('run: empty argv');
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      ...(opts.user ? { uid: opts.user.uid, gid: opts.user.gid } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    }
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        code: code ?? 128 + signalNumber(signal),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    // A child that exits before reading its stdin makes the write fail with EPIPE; that is fine.
    child.stdin.on('error', () => undefined);
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/** Runs argv and throws LabCommandError unless it exits 0. Returns stdout. */
export async function runOk(argv: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(argv, opts);
  if (r.code !== 0) throw new LabCommandError(argv, r.code, r.stderr || r.stdout);
  return r.stdout;
}

export function signalNumber(signal: NodeJS.Signals | null): number {
  if (signal === null) return 0;
  return constants.signals[signal] ?? 0;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The absolute path of `cmd` on PATH (like `command -v`), or undefined. */
export function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    if (!dir) continue;
    const p = `${dir}/${cmd}`;
    try {
      accessSync(p, fsConstants.X_OK);
      return p;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Type guard for signal names this platform knows, e.g. "SIGTERM". */
export function isSignal(name: string): name is NodeJS.Signals {
  return Object.prototype.hasOwnProperty.call(constants.signals, name);
}
