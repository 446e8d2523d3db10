/**
 * Pre-flight refusals about files outside the job (issue 10, section 6): they say which file does
 * not match, never its size or whether it exists, and say nothing at all about a file the job's user
 * could not read on this host, so that a migration offer cannot probe for /etc/shadow.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExternalFiles } from '../../daemon/checkpoint/external-files.js';
import { permits, visibility } from '../../daemon/checkpoint/file-access.js';
import type { ExternalFile } from '../../daemon/checkpoint/manifest.js';

const ROOT = { uid: 0, gid: 0, groups: [0] };
const USER = { uid: 54321, gid: 54321, groups: [54321] };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zinc-preflight-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'public.dat'), 'x'.repeat(100));
  chmodSync(join(dir, 'public.dat'), 0o644);
  writeFileSync(join(dir, 'secret.dat'), 'y'.repeat(694));
  chmodSync(join(dir, 'secret.dat'), 0o600);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open = (path: string, size: number): ExternalFile => ({ path, size, why: 'open' });

describe('pre-flight: external files', () => {
  it('names a file that differs, without its size', () => {
    const problems = checkExternalFiles([open(join(dir, 'public.dat'), 50)], USER);
    expect(problems).toEqual([`open file ${join(dir, 'public.dat')} is not the same on this host (it must exist, with the size it had at the checkpoint)`]);
    expect(problems.join()).not.toMatch(/100|size \d/);
  });

  it('says the same for a missing file as for one of another size', () => {
    const missing = checkExternalFiles([open(join(dir, 'gone.dat'), 50)], USER);
    expect(missing).toEqual([`open file ${join(dir, 'gone.dat')} is not the same on this host (it must exist, with the size it had at the checkpoint)`]);
  });

  it('passes a file that matches', () => {
    expect(checkExternalFiles([open(join(dir, 'public.dat'), 100)], USER)).toEqual([]);
  });

  it("says nothing about a file the job's user cannot read: one answer whether it matches, differs or is absent", () => {
    const secret = join(dir, 'secret.dat');
    const answers = [694, 1, 0].map((size) => checkExternalFiles([open(secret, size)], USER));
    for (const a of answers) expect(a).toEqual([`open file ${secret} is not available to the job's user (uid 54321) on this host`]);
    expect(answers.join()).not.toMatch(/694|size|missing|same/);
    // The old answer to an offer naming /etc/shadow: "open file /etc/shadow differs (size 694, expected 1)".
    const shadow = checkExternalFiles([open('/etc/shadow', 1)], USER);
    expect(shadow.join()).not.toMatch(/size|differs|missing/);
  });

  it('hides files below a directory the user cannot search, present or not', () => {
    const closed = join(dir, 'closed');
    // A 0700 directory of root's: neither its files nor their absence are the user's business.
    mkdirSync(closed, { mode: 0o700 });
    chmodSync(closed, 0o700);
    writeFileSync(join(closed, 'there.dat'), 'z');
    chmodSync(join(closed, 'there.dat'), 0o644);
    expect(visibility(join(closed, 'there.dat'), USER, false)).toBe('hidden');
    expect(visibility(join(closed, 'absent.dat'), USER, false)).toBe('hidden');
    expect(visibility(join(closed, 'there.dat'), ROOT, false)).toBe('readable');
  });

  it('root jobs keep the full check', () => {
    expect(checkExternalFiles([open(join(dir, 'secret.dat'), 694)], ROOT)).toEqual([]);
    expect(checkExternalFiles([open(join(dir, 'secret.dat'), 1)], ROOT)).toHaveLength(1);
  });

  it('permission bits: owner, group, other', () => {
    expect(permits({ uid: 5, gid: 9, mode: 0o100640 }, { uid: 5, gid: 1, groups: [1] }, 4)).toBe(true);
    expect(permits({ uid: 5, gid: 9, mode: 0o100640 }, { uid: 6, gid: 1, groups: [1, 9] }, 4)).toBe(true);
    expect(permits({ uid: 5, gid: 9, mode: 0o100640 }, { uid: 6, gid: 1, groups: [1] }, 4)).toBe(false);
    expect(permits({ uid: 5, gid: 9, mode: 0o100604 }, { uid: 5, gid: 1, groups: [1] }, 4)).toBe(true);
    expect(permits({ uid: 5, gid: 9, mode: 0o100064 }, { uid: 5, gid: 9, groups: [9] }, 4)).toBe(false);
  });
});
