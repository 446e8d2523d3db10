import { ZincError } from '../../../daemon/common/zinc-error.js';

/** A flag or option of the Name Dropper simulator is out of range or malformed. */
export class NdSimUsageError extends ZincError {
  readonly code = 'ND_SIM_USAGE';
}

/** The fast Name Dropper engine did not replay the real core exactly: its results are not trusted. */
export class NdSimEngineMismatchError extends ZincError {
  readonly code = 'ND_SIM_ENGINE_MISMATCH';
}
