/** cgroup layout detection from mountinfo: v2, v1 and hybrid hosts. */
import { describe, expect, it } from 'vitest';
import { detectCgroups } from '../../daemon/cgroups/detect.js';

const line = (mp: string, fs: string, opts: string) => `30 20 0:26 / ${mp} rw,nosuid - ${fs} ${fs} ${opts}`;
const yes = () => true;

describe('cgroup detection', () => {
  it('pure v2', () => {
    const l = detectCgroups(line('/sys/fs/cgroup', 'cgroup2', 'rw'), yes, () => 'cpu memory pids');
    expect(l.mode).toBe('v2');
    expect(l.v2Root).toBe('/sys/fs/cgroup');
    expect(l.v2Controllers).toEqual(['cpu', 'memory', 'pids']);
  });
  it('hybrid: v1 controllers and a controller-less v2 tree', () => {
    const info = [
      line('/sys/fs/cgroup/cpu', 'cgroup', 'rw,cpu'),
      line('/sys/fs/cgroup/memory', 'cgroup', 'rw,memory'),
      line('/sys/fs/cgroup/freezer', 'cgroup', 'rw,freezer'),
      line('/sys/fs/cgroup/unified', 'cgroup2', 'rw'),
    ].join('\n');
    const l = detectCgroups(info, yes, () => '');
    expect(l.mode).toBe('hybrid');
    expect(l.v2Root).toBe('/sys/fs/cgroup/unified');
    expect(l.v1.memory).toBe('/sys/fs/cgroup/memory');
    expect(l.v2Controllers).toEqual([]);
  });
  it('pure v1, with controllers co-mounted', () => {
    const l = detectCgroups(line('/sys/fs/cgroup/cpu,cpuacct', 'cgroup', 'rw,cpu,cpuacct'), yes, () => undefined);
    expect(l.mode).toBe('v1');
    expect(l.v1.cpu).toBe('/sys/fs/cgroup/cpu,cpuacct');
    expect(l.v1.cpuacct).toBe('/sys/fs/cgroup/cpu,cpuacct');
  });
  it('none', () => {
    expect(detectCgroups('', yes, () => undefined).mode).toBe('none');
  });
});
