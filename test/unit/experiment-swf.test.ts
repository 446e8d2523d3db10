/** The SWF reader: typed fields from good traces, an error naming the line and field for bad ones. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SwfParseError } from '../../infra/experiment/errors.js';
import { parseSwf, readSwf } from '../../infra/experiment/workload/swf.js';

const GOOD = `; Version: 2.2
; Computer: Test cluster
; MaxJobs: 3
;
; a free comment line

    1     0   10   3600  4  -1 -1  4 7200  -1 1 3 1 1 1 -1 -1 -1
    2    30    5    120  1  110.5 -1  1  300  -1 1 4 1 2 1 -1 -1 -1
    3    30   -1     -1 -1  -1 -1 -1   -1  -1 0 -1 -1 -1 -1 -1 2 15
`;

function fails(text: string): SwfParseError {
  try {
    parseSwf(text, 'trace.swf');
  } catch (err) {
    expect(err).toBeInstanceOf(SwfParseError);
    expect((err as SwfParseError).code).toBe('EXPERIMENT_SWF_INVALID');
    return err as SwfParseError;
  }
  throw new Error('expected an SWF error');
}

describe('parseSwf', () => {
  it('reads header pairs and every field of every job', () => {
    const t = parseSwf(GOOD);
    expect(t.header).toMatchObject({ Version: '2.2', Computer: 'Test cluster', MaxJobs: '3' });
    expect(t.jobs).toHaveLength(3);
    expect(t.jobs[0]).toMatchObject({ jobNumber: 1, submitTime: 0, waitTime: 10, runTime: 3600, allocatedProcessors: 4, requestedTime: 7200, status: 1, userId: 3 });
    expect(t.jobs[1]?.averageCpuTime).toBe(110.5);
    expect(t.jobs[2]).toMatchObject({ runTime: -1, precedingJob: 2, thinkTime: 15 });
  });

  it('names the line when a field is missing', () => {
    const e = fails('1 0 10 3600 4 -1 -1 4 7200 -1 1 3 1 1 1 -1 -1 -1\n2 5 1 2 3\n');
    expect(e.line).toBe(2);
    expect(e.message).toBe('trace.swf, line 2: expected 18 fields, found 5');
  });

  it('names the field that is not a number', () => {
    const e = fails('1 0 ten 3600 4 -1 -1 4 7200 -1 1 3 1 1 1 -1 -1 -1\n');
    expect(e.message).toMatch(/line 1: field 3 \(waitTime\) "ten" is not a number/);
  });

  it('refuses fractional counts, negative values other than -1, and unknown submit times', () => {
    expect(fails('1 0 1 2 4.5 -1 -1 4 7200 -1 1 3 1 1 1 -1 -1 -1\n').message).toMatch(/field 5 \(allocatedProcessors\) "4.5" must be a whole number/);
    expect(fails('1 0 -5 2 4 -1 -1 4 7200 -1 1 3 1 1 1 -1 -1 -1\n').message).toMatch(/field 3 \(waitTime\) is -5/);
    expect(fails('1 -1 0 2 4 -1 -1 4 7200 -1 1 3 1 1 1 -1 -1 -1\n').message).toMatch(/every job needs a submit time/);
    expect(fails('0 0 0 2 4 -1 -1 4 7200 -1 1 3 1 1 1 -1 -1 -1\n').message).toMatch(/jobNumber\) must be 1 or more/);
  });

  it('refuses submit times that go backwards', () => {
    const e = fails('1 100 0 2 4 -1 -1 4 7200 -1 1 3 1 1 1 -1 -1 -1\n2 50 0 2 4 -1 -1 4 7200 -1 1 3 1 1 1 -1 -1 -1\n');
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/submit time 50 is before the previous job's 100/);
  });

  it('refuses a trace with no jobs', () => {
    expect(fails('; only a header\n\n').message).toMatch(/no job lines/);
  });

  it('accepts CRLF line ends', () => {
    expect(parseSwf(GOOD.replace(/\n/g, '\r\n')).jobs).toHaveLength(3);
  });
});

describe('readSwf', () => {
  it('reads a file, and says so when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zexp-swf-'));
    try {
      writeFileSync(join(dir, 't.swf'), GOOD);
      expect(readSwf(join(dir, 't.swf')).jobs).toHaveLength(3);
      expect(() => readSwf(join(dir, 'missing.swf'))).toThrow(/missing\.swf: cannot read the file: ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
