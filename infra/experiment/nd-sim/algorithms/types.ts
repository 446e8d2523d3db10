/*
 * The synchronous model of the paper: in each round every node decides what to send from its
 * state at the start of the round, then all messages are delivered. A run ends when every node
 * knows every other node, or when it provably cannot get there, or at the round cap.
 */

export type StopReason =
  /** Every node knows every node. */
  | 'complete'
  /** The round cap was reached first. */
  | 'cap'
  /** A deterministic algorithm had a round that changed nothing, so it will never change again. */
  | 'fixpoint'
  /** Complete knowledge is unreachable from this start (see StopDetail) and progress stopped. */
  | 'impossible';

export interface RunResult {
  /** Rounds until complete knowledge; null when the run did not get there. */
  readonly rounds: number | null;
  readonly roundsRun: number;
  readonly stop: StopReason;
  /** Why 'impossible', in words. */
  readonly detail?: string;
  /** Connections opened (one per message sent) up to the stop. */
  readonly connections: number;
  /** Host ids carried in all messages up to the stop. */
  readonly pointers: number;
  /** Known (ordered) pairs at the stop over n·(n − 1). */
  readonly knownFraction: number;
  /** Which implementation ran: the real daemon core, or a bitset/array state machine. */
  readonly engine: 'core' | 'fast';
}

export interface RunOptions {
  readonly maxRounds: number;
}

export const ALGORITHM_NAMES = [
  'name-dropper',
  'flooding',
  'swamping',
  'random-pointer-jump',
  'random-pointer-jump-back-edge',
] as const;
export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];
