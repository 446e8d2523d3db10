import { ZincError } from '../../../daemon/common/zinc-error.js';

/** The sample handed to a summary statistic cannot give it (empty, too small, not finite). */
export class StatsInputError extends ZincError {
  readonly code = 'STATS_INPUT_INVALID';
}

/** A numerical routine did not converge; with sane inputs this is a bug worth reporting. */
export class StatsConvergenceError extends ZincError {
  readonly code = 'STATS_NO_CONVERGENCE';
}

/** Rows or factor list cannot form a factorial design (missing factor value, one-level factor, …). */
export class AnovaDesignError extends ZincError {
  readonly code = 'ANOVA_DESIGN_INVALID';
}

/** Some combinations of factor levels have no observations at all. */
export class IncompleteDesignError extends ZincError {
  readonly code = 'ANOVA_DESIGN_INCOMPLETE';
}

/** Cells have different numbers of replications; only balanced designs are analysed. */
export class UnbalancedDesignError extends ZincError {
  readonly code = 'ANOVA_DESIGN_UNBALANCED';
}

/** An ANOVA table was asked for an effect it does not have. */
export class UnknownEffectError extends ZincError {
  readonly code = 'ANOVA_EFFECT_UNKNOWN';
}
