/** Reads <ctl>/exit, written atomically by the supervisor when the job ends. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const exitSchema = z.object({
  code: z.number().int().optional(),
  signal: z.number().int().optional(),
  core: z.boolean().optional(),
  at_ms: z.number(),
  cpu_usec: z.number(),
  maxrss_kb: z.number(),
  /** The supervisor that wrote it (absent from supervisors before this field). */
  shim_pid: z.number().int().positive().optional(),
});
export type ExitFile = z.infer<typeof exitSchema>;

/** undefined if the job has not ended; throws if the file exists but is unreadable. */
export async function readExitFile(path: string): Promise<ExitFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return exitSchema.parse(JSON.parse(text));
}
