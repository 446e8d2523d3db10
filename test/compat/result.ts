/** What one program did in one mode of the compatibility suite. */
export type Mode = 'raw' | 'migrate' | 'lazy' | 'checkpoint';
export type ZincMode = Exclude<Mode, 'raw'>;
export const ZINC_MODES: readonly ZincMode[] = ['migrate', 'lazy', 'checkpoint'];

export interface Outcome {
  /** PASS/FAIL: the program's own verdict (or the step that failed before it could give one);
   * n/a: not run, because raw CRIU already fails the program. */
  status: 'PASS' | 'FAIL' | 'n/a';
  /** One line: the program's FAIL reason, or the step that failed and what it said. */
  detail: string;
  /** Evidence for a failure: CRIU log lines, zinc's stderr, zincd log lines about the job. */
  evidence: string;
  ms: number;
  /** Where the time went, step by step (zinc modes). */
  steps?: string;
}

export const passed = (ms: number): Outcome => ({ status: 'PASS', detail: '', evidence: '', ms });
export const failed = (detail: string, evidence: string, ms: number): Outcome => ({ status: 'FAIL', detail, evidence, ms });
export const notApplicable: Outcome = { status: 'n/a', detail: 'raw CRIU fails it', evidence: '', ms: 0 };

/** The verdict line a program printed ("PASS" or "FAIL: …"), or undefined if none yet. */
export function verdict(stdout: string): string | undefined {
  return stdout.split('\n').map((l) => l.trim()).find((l) => l === 'PASS' || l.startsWith('FAIL') || l.startsWith('SETUP FAILED'));
}

export function outcomeOf(stdout: string, ms: number): Outcome {
  const v = verdict(stdout);
  if (v === 'PASS') return passed(ms);
  return failed(v ?? 'no verdict printed', stdout.trim().split('\n').slice(-3).join(' | '), ms);
}
