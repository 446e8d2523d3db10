/**
 * Errors of zinc-experiment. Codes are stable (scripts match on them); every class carries a hint
 * that says what to do next.
 */
import { ZincError, type ErrorContext } from '../../daemon/common/zinc-error.js';

/** The configuration file is missing, is not JSON, or does not validate. */
export class ExperimentConfigError extends ZincError {
  readonly code = 'EXPERIMENT_CONFIG_INVALID';
  override readonly kind = 'invalid';
  constructor(message: string, hint?: string, context?: ErrorContext) {
    super(message, { hint: hint ?? 'Fix the configuration (see docs/experiment.md, "Configuration reference")', context });
  }
}

/** A flag of zinc-experiment is malformed or two flags contradict each other. */
export class ExperimentUsageError extends ZincError {
  readonly code = 'EXPERIMENT_USAGE';
  override readonly kind = 'invalid';
  constructor(message: string, hint?: string) {
    super(message, { hint: hint ?? 'Run `zinc-experiment --help`' });
  }
}

/** A line of a Standard Workload Format trace cannot be read. */
export class SwfParseError extends ZincError {
  readonly code = 'EXPERIMENT_SWF_INVALID';
  override readonly kind = 'invalid';
  constructor(
    readonly source: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${source}${line > 0 ? `, line ${line}` : ''}: ${detail}`, {
      hint: 'SWF data lines have 18 whitespace-separated numbers (-1 = unknown), sorted by submit time; header lines start with ";"',
      context: { source, line },
    });
  }
}

/** The real lab cannot be used here (not root, not built). */
export class LabUnavailableError extends ZincError {
  readonly code = 'EXPERIMENT_LAB_UNAVAILABLE';
  override readonly kind = 'unavailable';
  constructor(reason: string) {
    super(`the lab cannot run here: ${reason}`, { hint: 'Run as root after `node scripts/build.mjs`, or use --mode sim' });
  }
}

/** One run of the experiment failed (lab did not come up, daemons refused the policy, …). */
export class RunFailedError extends ZincError {
  readonly code = 'EXPERIMENT_RUN_FAILED';
  constructor(run: number, cell: string, detail: string, cause?: unknown) {
    super(`run ${run} (${cell}) failed: ${detail}`, {
      hint: 'Look at the zincd logs kept in the output directory (lab-logs/), fix the cause and run again',
      context: { run, cell },
      cause,
    });
  }
}

/** Ctrl-C or SIGTERM: the experiment stopped; what was measured so far is kept. */
export class ExperimentAbortedError extends ZincError {
  readonly code = 'EXPERIMENT_ABORTED';
  constructor(done: number, total: number, outDir: string) {
    super(`stopped after ${done} of ${total} runs`, {
      hint: `The finished runs are kept in ${outDir}; to complete the design, run the same command with --resume --out ${outDir}`,
    });
  }
}

/** --out names a directory that already holds finished runs, and --resume was not given. */
export class ExperimentOutputExistsError extends ZincError {
  readonly code = 'EXPERIMENT_OUTPUT_EXISTS';
  override readonly kind = 'conflict';
  constructor(readonly outDir: string, readonly runs: number) {
    super(`${outDir} already holds ${runs} finished run${runs === 1 ? '' : 's'} of an experiment`, {
      hint: 'Add --resume to continue that experiment, or give another --out (nothing was changed)',
      context: { outDir, runs },
    });
  }
}

/** --resume cannot continue what is in the output directory. */
export class ResumeMismatchError extends ZincError {
  readonly code = 'EXPERIMENT_RESUME_MISMATCH';
  override readonly kind = 'invalid';
  constructor(readonly outDir: string, detail: string) {
    super(`cannot resume the experiment in ${outDir}: ${detail}`, {
      hint: 'Resume with the configuration and flags (--mode, --replications, --quick) it was started with, or start afresh with another --out',
      context: { outDir },
    });
  }
}

/** The simulator was given something it cannot model. */
export class SimModelError extends ZincError {
  readonly code = 'EXPERIMENT_SIM_MODEL';
  override readonly kind = 'invalid';
  constructor(message: string, hint?: string) {
    super(message, { hint: hint ?? 'Check the sim section of the configuration' });
  }
}

/** Migration-cost calibration could not fit its model (too few or inconsistent measurements). */
export class CalibrationError extends ZincError {
  readonly code = 'EXPERIMENT_CALIBRATION_FAILED';
  constructor(message: string, hint?: string) {
    super(message, { hint: hint ?? 'Measure more migrations (zinc-experiment calibrate --repeats N) on links of different rates and delays' });
  }
}
