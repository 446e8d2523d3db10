/**
 * The job lifecycle. Every change of state goes through `transition`, which rejects moves the
 * table does not allow, appends the event to the job's log and logs it with pino.
 *
 *   queued ─► running ◄─► stopped
 *                │  ▲         │
 *                │  └─ checkpointed / exited / killed / failed (zinc restart, from a checkpoint)
 *                ├─► migrating ─► moved (the job now runs elsewhere; this is a forwarding record)
 *                └─► exited | killed | failed
 */
export const JOB_STATES = [
  'queued',
  'running',
  'stopped',
  'checkpointed',
  'migrating',
  'exited',
  'killed',
  'failed',
  'moved',
] as const;
export type JobState = (typeof JOB_STATES)[number];

const TRANSITIONS: Record<JobState, readonly JobState[]> = {
  queued: ['running', 'failed', 'killed'],
  running: ['stopped', 'exited', 'killed', 'failed', 'checkpointed', 'migrating'],
  stopped: ['running', 'exited', 'killed', 'failed', 'checkpointed', 'migrating'],
  checkpointed: ['running', 'failed', 'killed', 'migrating'],
  // A migration ends with the job here again (rolled back), or gone (moved), or ended meanwhile.
  migrating: ['running', 'stopped', 'checkpointed', 'moved', 'exited', 'killed', 'failed'],
  // An ended job that has a checkpoint can be restarted from it (zinc restart).
  exited: ['running'],
  killed: ['running'],
  failed: ['running'],
  // The job came back to a host it had left (A→B→A).
  moved: ['running', 'stopped', 'moved'],
};

export const TERMINAL_STATES: readonly JobState[] = ['exited', 'killed', 'failed'];
/** States in which processes of the job exist on this host. */
export const LIVE_STATES: readonly JobState[] = ['running', 'stopped', 'migrating'];

export function canTransition(from: JobState, to: JobState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(s: JobState): boolean {
  return TERMINAL_STATES.includes(s);
}
