/**
 * manifest.json: what a checkpoint is and how to check it — the job, where and with what it was
 * made, and the size and sha256 of every file. It is the first entry of an archive, so a receiver
 * can run the pre-flight checks and verify each file as it arrives.
 */
import { z } from 'zod';
import { jobSpecSchema } from '../jobs/record.js';

export const MANIFEST_FORMAT = 'zinc-checkpoint/1';

export const fileEntrySchema = z.object({
  /** Relative to the checkpoint root: images/… or files/… */
  path: z.string(),
  type: z.enum(['file', 'dir', 'symlink']),
  size: z.number().int().nonnegative(),
  mode: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  /** Files only; absent in archives made before zinc kept access times. */
  atimeMs: z.number().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  target: z.string().optional(),
});
export type FileEntry = z.infer<typeof fileEntrySchema>;

/** A file the job had mapped or open outside its own directory; it must exist, unchanged, at restore. */
export const externalFileSchema = z.object({
  path: z.string(),
  size: z.number().int().nonnegative(),
  why: z.enum(['exe', 'mapped', 'open']),
});
export type ExternalFile = z.infer<typeof externalFileSchema>;

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  id: z.string(),
  gpid: z.string(),
  name: z.string(),
  home: z.string(),
  spec: jobSpecSchema,
  cwd: z.string(),
  submittedAt: z.number(),
  startedAt: z.number().optional(),
  /** Absolute path of the job's files directory when dumped; CRIU restores open files by path. */
  filesDir: z.string(),
  sourceHost: z.string(),
  sourceDomain: z.string(),
  createdAt: z.number(),
  kernel: z.string(),
  arch: z.string(),
  cpuFlags: z.array(z.string()),
  criuVersion: z.string(),
  rootPid: z.number().int(),
  leaveRunning: z.boolean(),
  lazy: z.boolean().default(false),
  hops: z.array(z.string()).default([]),
  migrations: z.number().int().nonnegative().default(0),
  /** The job's location epoch when it was saved (JobInfo.epoch). */
  epoch: z.number().int().nonnegative().default(0),
  files: z.array(fileEntrySchema),
  external: z.array(externalFileSchema),
  /**
   * Processes the job itself had stopped (SIGSTOP…) at the dump, by pid inside the job's PID
   * namespace: a restart that resumes the tree must leave these stopped. Absent in older archives.
   */
  stopped: z.array(z.number().int().positive()).optional(),
  totalBytes: z.number().int().nonnegative(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** A path from a manifest or an archive entry is safe if it stays inside images/ or files/. */
export function isSafeRelativePath(p: string): boolean {
  if (p.length === 0 || p.length > 4096 || p.includes('\0') || p.startsWith('/')) return false;
  const parts = p.split('/');
  if (parts.some((s) => s === '' || s === '.' || s === '..')) return false;
  return parts[0] === 'images' || parts[0] === 'files';
}
