/**
 * The two migration state machines. The source drives:
 *
 *   offered → dumping → transferring → committing → committed → done
 *      └────────┴───────────┴──→ rolling-back → rolled-back
 *                    committing → rolling-back only when the destination says it did not restore
 *
 * The destination follows:   accepted → receiving → received → restoring → running → finished
 *                                └──────────┴───────────┴──────────┴──→ aborted
 *
 * The commit is the source ending the archive stream with status OK, which it does only after
 * persisting "committing". The destination restores only a complete, verified archive whose stream
 * ended OK. Before "committing" the source may roll back on its own (the destination cannot have
 * a complete archive); after it, the source follows the destination's word and keeps its copy
 * frozen until it has it. So there is never more than one live copy, and a failure anywhere
 * before the restore leaves the job on the source.
 */
import { IllegalMigrationPhaseError } from './errors.js';

export const SOURCE_PHASES = ['offered', 'dumping', 'transferring', 'committing', 'committed', 'done', 'rolling-back', 'rolled-back'] as const;
export type SourcePhase = (typeof SOURCE_PHASES)[number];

export const DEST_PHASES = ['accepted', 'receiving', 'received', 'restoring', 'running', 'finished', 'aborted'] as const;
export type DestPhase = (typeof DEST_PHASES)[number];

const SOURCE_NEXT: Record<SourcePhase, readonly SourcePhase[]> = {
  offered: ['dumping', 'rolling-back'],
  dumping: ['transferring', 'rolling-back'],
  transferring: ['committing', 'rolling-back'],
  committing: ['committed', 'rolling-back'],
  committed: ['done'],
  done: [],
  'rolling-back': ['rolled-back'],
  'rolled-back': [],
};

const DEST_NEXT: Record<DestPhase, readonly DestPhase[]> = {
  accepted: ['receiving', 'aborted'],
  // Straight to restoring when the commit arrives (one durable write fewer in the downtime).
  receiving: ['received', 'restoring', 'aborted'],
  received: ['restoring', 'aborted'],
  restoring: ['running', 'aborted'],
  running: ['finished'],
  finished: [],
  aborted: [],
};

/** Before a commit was sent, the source may always roll back on its own. */
export const SOURCE_BEFORE_COMMIT: readonly SourcePhase[] = ['offered', 'dumping', 'transferring'];

export function checkSourceStep(id: string, from: SourcePhase, to: SourcePhase): void {
  if (!SOURCE_NEXT[from].includes(to)) throw new IllegalMigrationPhaseError(id, 'source', from, to);
}

export function checkDestStep(id: string, from: DestPhase, to: DestPhase): void {
  if (!DEST_NEXT[from].includes(to)) throw new IllegalMigrationPhaseError(id, 'destination', from, to);
}
