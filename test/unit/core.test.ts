/** Small pure pieces of the daemon: units, GPIDs, signals, config validation, state machines. */
import { describe, expect, it } from 'vitest';
import { formatBytes, parseDuration, parseSize } from '../../daemon/common/units.js';
import { loadConfig } from '../../daemon/config/load.js';
import { parseHostPort } from '../../daemon/config/schema.js';
import { formatGpid, parseGpid } from '../../daemon/jobs/gpid.js';
import { parseSignal, signalName } from '../../daemon/jobs/signals.js';
import { canTransition, JOB_STATES } from '../../daemon/jobs/state-machine.js';
import { checkDestStep, checkSourceStep, SOURCE_BEFORE_COMMIT } from '../../daemon/migration/phases.js';
import { resolveExecutable } from '../../daemon/jobs/environment.js';

describe('units', () => {
  it('parses durations', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1s')).toBe(1000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2')).toBe(2000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('1s junk')).toBeUndefined();
  });
  it('parses sizes in binary multiples', () => {
    expect(parseSize('512M')).toBe(512 * 1024 * 1024);
    expect(parseSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('100')).toBe(100);
    expect(parseSize('lots')).toBeUndefined();
    expect(formatBytes(26_306_560)).toBe('25.1 MiB');
  });
});

describe('GPIDs', () => {
  it('round-trips and rejects malformed ids', () => {
    expect(parseGpid(formatGpid('frodo-1', 42))).toEqual({ home: 'frodo-1', seq: 42 });
    for (const bad of ['frodo', '.1', 'a.b.c', 'frodo.0', 'frodo.-1', 'fr odo.1', 'x.12345678901234567']) expect(parseGpid(bad)).toBeUndefined();
  });
});

describe('signals', () => {
  it('accepts the spellings users type', () => {
    for (const s of ['TERM', 'SIGTERM', 'sigterm', '15']) expect(parseSignal(s)).toBe('SIGTERM');
    expect(parseSignal('NOPE')).toBeUndefined();
    expect(signalName(9)).toBe('SIGKILL');
  });
});

describe('config', () => {
  it('validates flags and names the problem', () => {
    expect(() => loadConfig({ hostId: 'a.b' })).toThrow(/invalid hostId \(flag\): host id must be/);
    expect(() => loadConfig({ listen: 'nope' })).toThrow(/must be HOST:PORT/);
    expect(() => loadConfig({ gossipInterval: 'soon' })).toThrow(/not a duration/);
    const c = loadConfig({ hostId: 'h1', stateDir: '/srv/zinc', gossipInterval: '250ms' });
    expect(c.socket).toBe('/srv/zinc/zincd.sock');
    expect(c.gossipInterval).toBe(250);
  });
  it('parses host:port, IPv6 included', () => {
    expect(parseHostPort('[::1]:7070')).toEqual({ host: '::1', port: 7070 });
    expect(parseHostPort('10.0.0.1:99999')).toBeUndefined();
  });
});

describe('job state machine', () => {
  it('allows the documented lifecycle and rejects the rest', () => {
    expect(canTransition('queued', 'running')).toBe(true);
    expect(canTransition('running', 'stopped')).toBe(true);
    expect(canTransition('running', 'moved')).toBe(false); // only via migrating
    expect(canTransition('migrating', 'moved')).toBe(true);
    expect(canTransition('killed', 'running')).toBe(true); // zinc restart from a checkpoint
    expect(canTransition('exited', 'stopped')).toBe(false);
    for (const s of JOB_STATES) expect(canTransition(s, 'queued')).toBe(false);
  });
});

describe('migration phases', () => {
  it('the source can roll back on its own only before the commit', () => {
    expect(SOURCE_BEFORE_COMMIT).toEqual(['offered', 'dumping', 'transferring']);
    expect(() => checkSourceStep('m', 'committing', 'committed')).not.toThrow();
    expect(() => checkSourceStep('m', 'committed', 'rolling-back')).toThrow(/cannot go from committed to rolling-back/);
    expect(() => checkDestStep('m', 'running', 'aborted')).toThrow();
    expect(() => checkDestStep('m', 'receiving', 'restoring')).not.toThrow();
  });
});

describe('executables', () => {
  it('resolves commands the way execvp will', () => {
    const exists = (p: string) => p === '/usr/bin/sleep' || p === '/work/run.sh';
    expect(resolveExecutable('sleep', [], '/', exists)).toBe('/usr/bin/sleep');
    expect(resolveExecutable('./run.sh', [], '/work', exists)).toBe('/work/run.sh');
    expect(resolveExecutable('sleep', ['PATH=/opt/bin'], '/', exists)).toBeUndefined();
  });
});
