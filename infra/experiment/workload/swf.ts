/**
 * Standard Workload Format (Feitelson et al., the Parallel Workloads Archive): one job per line,
 * 18 whitespace-separated numbers, -1 where a value is unknown; header lines start with ";" and
 * may carry "; Key: value" pairs. The experiment uses the submit times (arrivals); the other
 * fields are kept, typed, for whoever wants them.
 *
 * The parser is strict, because a silently misread trace gives a wrong experiment: a line with
 * the wrong number of fields, a field that is not a number, or a submit time that goes backwards
 * is an error naming the line and the field.
 */
import { readFileSync } from 'node:fs';
import { SwfParseError } from '../errors.js';

export const SWF_FIELDS = [
  'jobNumber',
  'submitTime',
  'waitTime',
  'runTime',
  'allocatedProcessors',
  'averageCpuTime',
  'usedMemory',
  'requestedProcessors',
  'requestedTime',
  'requestedMemory',
  'status',
  'userId',
  'groupId',
  'executable',
  'queue',
  'partition',
  'precedingJob',
  'thinkTime',
] as const;

export type SwfField = (typeof SWF_FIELDS)[number];
export type SwfJob = Readonly<Record<SwfField, number>>;

export interface SwfTrace {
  /** "; Key: value" header lines, e.g. { Version: '2.2', MaxJobs: '…' }. */
  readonly header: Readonly<Record<string, string>>;
  readonly jobs: readonly SwfJob[];
}

const NUMBER_RE = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const INTEGER_FIELDS: ReadonlySet<SwfField> = new Set(['jobNumber', 'allocatedProcessors', 'requestedProcessors', 'status', 'userId', 'groupId', 'executable', 'queue', 'partition', 'precedingJob']);

export function parseSwf(text: string, source = 'SWF trace'): SwfTrace {
  const header: Record<string, string> = {};
  const jobs: SwfJob[] = [];
  const lines = text.split(/\r?\n/);
  let lastSubmit = -Infinity;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    if (line.startsWith(';')) {
      const m = /^;\s*([A-Za-z][\w ]*?)\s*:\s*(.*)$/.exec(line);
      if (m && m[1] !== undefined) header[m[1]] = (m[2] ?? '').trim();
      continue;
    }
    const parts = line.split(/\s+/);
    if (parts.length !== SWF_FIELDS.length) {
      throw new SwfParseError(source, lineNo, `expected ${SWF_FIELDS.length} fields, found ${parts.length}`);
    }
    const job: Partial<Record<SwfField, number>> = {};
    SWF_FIELDS.forEach((field, f) => {
      const raw = parts[f] ?? '';
      if (!NUMBER_RE.test(raw)) throw new SwfParseError(source, lineNo, `field ${f + 1} (${field}) "${raw}" is not a number`);
      const v = Number(raw);
      if (INTEGER_FIELDS.has(field) && !Number.isInteger(v)) throw new SwfParseError(source, lineNo, `field ${f + 1} (${field}) "${raw}" must be a whole number`);
      if (v < 0 && v !== -1) throw new SwfParseError(source, lineNo, `field ${f + 1} (${field}) is ${raw}; negative values other than -1 (unknown) are invalid`);
      job[field] = v;
    });
    const done = job as Record<SwfField, number>;
    if (done.jobNumber < 1) throw new SwfParseError(source, lineNo, `field 1 (jobNumber) must be 1 or more, got ${done.jobNumber}`);
    if (done.submitTime < 0) throw new SwfParseError(source, lineNo, 'field 2 (submitTime) is unknown (-1); every job needs a submit time');
    if (done.submitTime < lastSubmit) {
      throw new SwfParseError(source, lineNo, `submit time ${done.submitTime} is before the previous job's ${lastSubmit}; SWF lines are sorted by submit time`);
    }
    lastSubmit = done.submitTime;
    jobs.push(done);
  }
  if (jobs.length === 0) throw new SwfParseError(source, lines.length, 'no job lines (only comments or blank lines)');
  return { header, jobs };
}

export function readSwf(path: string): SwfTrace {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SwfParseError(path, 0, `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseSwf(text, path);
}
