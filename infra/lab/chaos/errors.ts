/** Errors of the chaos harness (`zinc-lab chaos`). Invariant failures are not errors: they are the
 * run's result, printed in its summary. These are the reasons a run could not be carried out. */
import { ZincError } from '../../../daemon/common/zinc-error.js';

/** Flags that do not make a valid chaos run. */
export class ChaosOptionsError extends ZincError {
  readonly code = 'CHAOS_BAD_OPTIONS';
  override readonly kind = 'invalid';
  constructor(detail: string) {
    super(`invalid chaos options: ${detail}`, { hint: 'Run `zinc-lab chaos --help`; see docs/lab.md, "Chaos runs"', context: { detail } });
  }
}

/** A program the chaos jobs run is missing. */
export class ChaosToolMissingError extends ZincError {
  readonly code = 'CHAOS_TOOL_MISSING';
  constructor(
    readonly tool: string,
    hint: string,
  ) {
    super(`the chaos run needs ${tool}, which was not found`, { hint, context: { tool } });
  }
}

/** The lab given with --attach cannot host a chaos run. */
export class ChaosLabUnsuitableError extends ZincError {
  readonly code = 'CHAOS_LAB_UNSUITABLE';
  constructor(
    readonly lab: string,
    detail: string,
  ) {
    super(`lab "${lab}" cannot host a chaos run: ${detail}`, {
      hint: 'Use a lab with at least 2 hosts and a zincd on each (`zinc-lab up … ` without --no-daemons), or leave out --attach',
      context: { lab, detail },
    });
  }
}

/** The jobs could not be submitted or did not start, before any fault was injected. */
export class ChaosSetupError extends ZincError {
  readonly code = 'CHAOS_SETUP_FAILED';
  constructor(
    detail: string,
    readonly logs: string,
  ) {
    super(`chaos setup failed: ${detail}`, {
      hint: `Nothing was injected yet, so this is a lab or zincd problem: check \`zinc-lab status\` and the zincd logs in ${logs}`,
      context: { detail, logs },
    });
  }
}
