/**
 * A job's persistent record (jobs/<gpid>/job.json), validated with zod whenever it is read back,
 * and its conversion to the wire's JobInfo.
 */
import { z } from 'zod';
import type { JobInfo } from '../../proto/generated/zinc/v1/JobInfo.js';
import type { JobState as WireJobState } from '../../proto/generated/zinc/v1/JobState.js';
import { JOB_STATES, type JobState } from './state-machine.js';

export const jobEventSchema = z.object({
  at: z.number(),
  type: z.string(),
  host: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.string()).default({}),
});
export type JobEvent = z.infer<typeof jobEventSchema>;

export const jobSpecSchema = z.object({
  argv: z.array(z.string()).min(1),
  env: z.array(z.string()),
  cwd: z.string().nullable(), // as given by the user; null = the job's work/ directory
  user: z.string(),
  uid: z.number().int().nonnegative(),
  gid: z.number().int().nonnegative(),
  memBytes: z.number().nonnegative(),
  checkpointEveryMs: z.number().nonnegative(),
  keepCheckpoints: z.number().int().nonnegative(),
  /** --domain: placement (and later automatic moves) stay within it; '' = anywhere. */
  domain: z.string().default(''),
});
export type JobSpecRecord = z.infer<typeof jobSpecSchema>;

export const checkpointRefSchema = z.object({
  id: z.string(),
  dir: z.string(),
  at: z.number(),
  bytes: z.number(),
  periodic: z.boolean(),
});
export type CheckpointRef = z.infer<typeof checkpointRefSchema>;

export const jobRecordSchema = z.object({
  format: z.literal(1),
  gpid: z.string(),
  name: z.string(),
  home: z.string(),
  host: z.string(), // the host this record lives on
  location: z.string(), // where the job is now (== host unless moved)
  state: z.enum(JOB_STATES),
  /** For a forwarding record (state moved): the job's last known state where it is now. */
  remoteState: z.enum(JOB_STATES).optional(),
  spec: jobSpecSchema,
  cwd: z.string(), // resolved working directory
  submittedAt: z.number(),
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
  exit: z.object({ code: z.number().int().optional(), signal: z.string().optional() }).optional(),
  usage: z.object({ cpuUsec: z.number(), peakRssBytes: z.number() }).optional(),
  reason: z.string().optional(),
  shimPid: z.number().int().optional(),
  shimStart: z.number().optional(),
  jobPid: z.number().int().optional(),
  killRequested: z.boolean().optional(),
  events: z.array(jobEventSchema),
  hops: z.array(z.string()),
  migrations: z.number().int().nonnegative(),
  /** Location epoch (see JobInfo.epoch in zinc.proto): orders reports from every host the job was on. */
  epoch: z.number().int().nonnegative().default(0),
  checkpoints: z.array(checkpointRefSchema).default([]),
  /** How the placement policy chose this job's host (proto PlacementDecision, as sent). */
  placement: z.record(z.string(), z.unknown()).optional(),
});
export type JobRecord = z.infer<typeof jobRecordSchema>;

const TO_WIRE: Record<JobState, WireJobState> = {
  queued: 'JOB_STATE_QUEUED',
  running: 'JOB_STATE_RUNNING',
  stopped: 'JOB_STATE_STOPPED',
  checkpointed: 'JOB_STATE_CHECKPOINTED',
  migrating: 'JOB_STATE_MIGRATING',
  exited: 'JOB_STATE_EXITED',
  killed: 'JOB_STATE_KILLED',
  failed: 'JOB_STATE_FAILED',
  moved: 'JOB_STATE_MOVED',
};

export function stateToWire(s: JobState): WireJobState {
  return TO_WIRE[s];
}

export function stateFromWire(s: string | number | undefined): JobState | undefined {
  for (const [k, v] of Object.entries(TO_WIRE)) if (v === s) return k as JobState;
  return undefined;
}

export function toJobInfo(r: JobRecord, jobDir: string): JobInfo {
  return {
    gpid: r.gpid,
    name: r.name,
    state: stateToWire(r.state === 'moved' && r.remoteState ? r.remoteState : r.state),
    host: r.location,
    home: r.home,
    spec: {
      argv: r.spec.argv,
      env: r.spec.env,
      cwd: r.spec.cwd ?? '',
      user: r.spec.user,
      name: r.name,
      memBytes: r.spec.memBytes,
      checkpointEveryMs: r.spec.checkpointEveryMs,
      keepCheckpoints: r.spec.keepCheckpoints,
      domain: r.spec.domain,
    },
    submittedAtMs: r.submittedAt,
    startedAtMs: r.startedAt ?? 0,
    endedAtMs: r.endedAt ?? 0,
    exit: {
      ended: r.exit !== undefined,
      code: r.exit?.code ?? 0,
      signal: r.exit?.signal ?? '',
    },
    usage: { cpuUsec: r.usage?.cpuUsec ?? 0, peakRssBytes: r.usage?.peakRssBytes ?? 0 },
    reason: r.reason ?? '',
    events: r.events.map((e) => ({ atMs: e.at, type: e.type, host: e.host, message: e.message, fields: e.fields })),
    jobPid: r.jobPid ?? 0,
    shimPid: r.shimPid ?? 0,
    cwd: r.cwd,
    jobDir,
    migrations: r.migrations,
    epoch: r.epoch,
    hops: r.hops,
    placement: (r.placement as JobInfo['placement']) ?? null,
  };
}
