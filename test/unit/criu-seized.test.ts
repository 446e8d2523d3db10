/** Recognising the CRIU dump that still seizes a job (issue 11): only our own dumps are killed. */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { notOwnDump, parseTracerPid, releaseSeizedJob, tracerOf } from '../../daemon/criu/seized.js';

const LOADER = '/opt/zinc/criu/root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2';
const own = { exes: [LOADER], imagesDirs: ['/run/zinc/h1/migrations/j.1-abc/images', '/run/zinc/h1/migrations/j.1-abc.partial/images'] };
const dumpArgv = (dir: string) => [
  LOADER, '--library-path', '/opt/zinc/criu/root/usr/lib/x86_64-linux-gnu', '--argv0', '/opt/zinc/criu/bin/criu', '/opt/zinc/criu/root/usr/sbin/criu',
  'dump', '-t', '42', '-D', dir, '-W', '/run/zinc/h1/migrations/j.1-abc', '--lazy-pages', '--port', '4000',
];

describe('parseTracerPid', () => {
  it('reads TracerPid from /proc/<pid>/status text', () => {
    expect(parseTracerPid('Name:\tx\nState:\tt (tracing stop)\nTracerPid:\t7067\nUid:\t0\n')).toBe(7067);
    expect(parseTracerPid('TracerPid:\t0\n')).toBe(0);
    expect(parseTracerPid('Name:\tx\n')).toBeUndefined();
  });

  it('says 0 for this (untraced) process and undefined for a pid that does not exist', () => {
    expect(tracerOf(process.pid)).toBe(0);
    expect(tracerOf(2 ** 22 + 1)).toBeUndefined();
  });
});

describe('notOwnDump', () => {
  it('accepts our CRIU dumping to this job\'s images (post-copy or checkpointer directory)', () => {
    expect(notOwnDump({ exe: LOADER, argv: dumpArgv(own.imagesDirs[0] ?? '') }, own)).toBeUndefined();
    expect(notOwnDump({ exe: LOADER, argv: dumpArgv(own.imagesDirs[1] ?? '') }, own)).toBeUndefined();
  });

  it('refuses another executable, another command, or another job\'s images', () => {
    expect(notOwnDump({ exe: '/usr/bin/strace', argv: ['strace', '-p', '42'] }, own)).toMatch(/not this host's CRIU/);
    expect(notOwnDump({ exe: LOADER, argv: dumpArgv(own.imagesDirs[0] ?? '').map((a) => (a === 'dump' ? 'restore' : a)) }, own)).toMatch(/not a criu dump/);
    expect(notOwnDump({ exe: LOADER, argv: dumpArgv('/run/zinc/h1/migrations/other/images') }, own)).toMatch(/not to this job's images/);
    expect(notOwnDump({ exe: LOADER, argv: dumpArgv('').filter((a) => a !== '-D' && a !== '') }, own)).toMatch(/no -D/);
  });
});

describe('releaseSeizedJob', () => {
  it('kills nothing when no process traces the job', async () => {
    const log = pino({ level: 'silent' });
    await expect(releaseSeizedJob({ gpid: 'h1.1', pids: () => [process.pid], own, log })).resolves.toEqual([]);
  });
});
