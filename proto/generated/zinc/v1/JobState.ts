// Original file: proto/zinc.proto

export const JobState = {
  JOB_STATE_UNSPECIFIED: 'JOB_STATE_UNSPECIFIED',
  /**
   * accepted, supervisor not started yet
   */
  JOB_STATE_QUEUED: 'JOB_STATE_QUEUED',
  JOB_STATE_RUNNING: 'JOB_STATE_RUNNING',
  /**
   * whole tree frozen (zinc stop)
   */
  JOB_STATE_STOPPED: 'JOB_STATE_STOPPED',
  /**
   * saved and not running; zinc restart resumes it
   */
  JOB_STATE_CHECKPOINTED: 'JOB_STATE_CHECKPOINTED',
  /**
   * being moved to another host
   */
  JOB_STATE_MIGRATING: 'JOB_STATE_MIGRATING',
  /**
   * ended on its own; see exit code
   */
  JOB_STATE_EXITED: 'JOB_STATE_EXITED',
  /**
   * ended by a signal
   */
  JOB_STATE_KILLED: 'JOB_STATE_KILLED',
  /**
   * could not start or resume; see reason
   */
  JOB_STATE_FAILED: 'JOB_STATE_FAILED',
  /**
   * not here any more: this is a forwarding record, see `host`
   */
  JOB_STATE_MOVED: 'JOB_STATE_MOVED',
} as const;

export type JobState =
  | 'JOB_STATE_UNSPECIFIED'
  | 0
  /**
   * accepted, supervisor not started yet
   */
  | 'JOB_STATE_QUEUED'
  | 1
  | 'JOB_STATE_RUNNING'
  | 2
  /**
   * whole tree frozen (zinc stop)
   */
  | 'JOB_STATE_STOPPED'
  | 3
  /**
   * saved and not running; zinc restart resumes it
   */
  | 'JOB_STATE_CHECKPOINTED'
  | 4
  /**
   * being moved to another host
   */
  | 'JOB_STATE_MIGRATING'
  | 5
  /**
   * ended on its own; see exit code
   */
  | 'JOB_STATE_EXITED'
  | 6
  /**
   * ended by a signal
   */
  | 'JOB_STATE_KILLED'
  | 7
  /**
   * could not start or resume; see reason
   */
  | 'JOB_STATE_FAILED'
  | 8
  /**
   * not here any more: this is a forwarding record, see `host`
   */
  | 'JOB_STATE_MOVED'
  | 9

export type JobState__Output = typeof JobState[keyof typeof JobState]
