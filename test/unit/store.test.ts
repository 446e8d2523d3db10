/** State-directory helpers: atomic writes, the tree copy, failpoints. */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Failpoints } from '../../daemon/common/failpoints.js';
import { syncTree, writeFileAtomic } from '../../daemon/store/atomic.js';
import { copyTree } from '../../daemon/store/copy-tree.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zinc-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('atomic writes', () => {
  it('replace content without leaving temporary files', async () => {
    const p = join(dir, 'job.json');
    await writeFileAtomic(p, 'one');
    await writeFileAtomic(p, 'two');
    await writeFileAtomic(p, 'three', 0o644, false);
    expect(readFileSync(p, 'utf8')).toBe('three');
    expect(readdirSync(dir)).toEqual(['job.json']);
  });
});

describe('syncTree', () => {
  it('syncs nested files and directories, and leaves symlinks and FIFOs alone (opening a FIFO would block)', async () => {
    mkdirSync(join(dir, 'images', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'images', 'pages-1.img'), 'x'.repeat(8192));
    writeFileSync(join(dir, 'images', 'sub', 'core.img'), 'y');
    symlinkSync('/nonexistent/target', join(dir, 'images', 'dangling'));
    execFileSync('mkfifo', [join(dir, 'images', 'fifo')]);
    await syncTree(dir);
    await expect(syncTree(join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });
});

describe('copyTree', () => {
  it('copies files, directories, modes, times and symlinks', async () => {
    const src = join(dir, 'src');
    mkdirSync(join(src, 'work', 'sub'), { recursive: true });
    writeFileSync(join(src, 'stdout'), 'out\n');
    writeFileSync(join(src, 'work', 'sub', 'data'), 'x'.repeat(5000), { mode: 0o600 });
    symlinkSync('sub/data', join(src, 'work', 'link'));
    await copyTree(src, join(dir, 'dst'));
    expect(readFileSync(join(dir, 'dst', 'work', 'sub', 'data'), 'utf8')).toHaveLength(5000);
    expect(lstatSync(join(dir, 'dst', 'work', 'sub', 'data')).mode & 0o777).toBe(0o600);
    expect(readlinkSync(join(dir, 'dst', 'work', 'link'))).toBe('sub/data');
    expect(lstatSync(join(dir, 'dst', 'stdout')).mtimeMs).toBeCloseTo(lstatSync(join(src, 'stdout')).mtimeMs, 0);
  });
});

describe('failpoints', () => {
  it('are no-ops without a directory, and pause while their file exists', async () => {
    await new Failpoints(undefined).hit('migrate.frozen');
    const fp = new Failpoints(dir);
    await fp.hit('migrate.frozen'); // not armed
    writeFileSync(join(dir, 'migrate.frozen'), '5000');
    const t0 = Date.now();
    setTimeout(() => rmSync(join(dir, 'migrate.frozen')), 150);
    await fp.hit('migrate.frozen');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(existsSync(join(dir, 'migrate.frozen.hit'))).toBe(true);
  });
});
