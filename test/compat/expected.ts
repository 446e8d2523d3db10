/**
 * Known gaps: programs that raw CRIU passes and zinc does not, today, each tied to its finding in
 * issue 18 ("A job comes back exactly as it left"). The suite still runs them: an entry whose
 * program passes fails the test until the entry is removed, so a fix cannot go unnoticed, and a
 * failure that is not listed here fails the test as it should.
 */
import type { Mode } from './result.js';

export interface KnownGap {
  program: string;
  modes: readonly Mode[];
  /** Where it is tracked, and what goes wrong. */
  finding: string;
}

const FIFO = "issue 18 finding 1: FIFOs in the job's directory do not travel (restore: \"Can't open fake fifo\"; one not open is dropped)";

export const KNOWN_GAPS: readonly KnownGap[] = [
  { program: 'fifo_open', modes: ['migrate', 'lazy', 'checkpoint'], finding: FIFO },
  { program: 'fifo_closed', modes: ['migrate', 'lazy', 'checkpoint'], finding: FIFO },
  // The finding names mtime after migration; what the suite sees is the atime, after
  // checkpoint/restart. Its fix ("every attribute … mtime, atime … is kept for every file") covers both.
  { program: 'file_times', modes: ['checkpoint'], finding: 'issue 18 finding 2: files lose their times (here the atime, after checkpoint/restart)' },
];

export function knownGap(program: string, mode: Mode): KnownGap | undefined {
  return KNOWN_GAPS.find((g) => g.program === program && g.modes.includes(mode));
}
