import { ZincError } from '../../../daemon/common/zinc-error.js';

/** A plot was asked for something it cannot draw (no data, unknown factor, non-finite value). */
export class PlotInputError extends ZincError {
  readonly code = 'PLOT_INPUT_INVALID';
}
