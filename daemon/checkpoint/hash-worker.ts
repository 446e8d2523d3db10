/**
 * Worker thread that computes sha256 of files off the daemon's event loop, on the second core.
 * Two jobs:
 * - `hash`: hash whole files.
 * - `follow`: hash files in a directory *while another process writes them* (CRIU writes
 *   pages-*.img strictly sequentially with splice, never seeking), so hashing overlaps the dump
 *   instead of following it. `finish` says the writer is done; the rest is read to EOF.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort } from 'node:worker_threads';

export type HashRequest =
  | { id: number; op: 'hash'; paths: string[] }
  | { id: number; op: 'follow'; dir: string; pattern: string }
  | { id: number; op: 'finish'; followId: number };

export type HashResponse =
  | { id: number; ok: true; results: Array<{ path: string; sha256: string; bytes: number }> }
  | { id: number; ok: false; error: string };

const CHUNK = 8 * 1024 * 1024;
const buf = Buffer.allocUnsafe(CHUNK);

export function hashFileSync(path: string): { sha256: string; bytes: number } {
  const fd = openSync(path, 'r');
  try {
    const h = createHash('sha256');
    let bytes = 0;
    for (let n = readSync(fd, buf, 0, CHUNK, null); n > 0; n = readSync(fd, buf, 0, CHUNK, null)) {
      h.update(buf.subarray(0, n));
      bytes += n;
    }
    return { sha256: h.digest('hex'), bytes };
  } finally {
    closeSync(fd);
  }
}

interface Tail {
  fd: number;
  hash: Hash;
  offset: number;
}

const finishing = new Set<number>();

async function follow(id: number, dir: string, pattern: RegExp): Promise<HashResponse> {
  const tails = new Map<string, Tail>();
  const pump = (): boolean => {
    let progressed = false;
    for (const name of readdirSync(dir)) {
      if (!pattern.test(name) || tails.has(name)) continue;
      tails.set(name, { fd: openSync(join(dir, name), 'r'), hash: createHash('sha256'), offset: 0 });
    }
    for (const t of tails.values()) {
      const size = fstatSync(t.fd).size;
      while (t.offset < size) {
        const n = readSync(t.fd, buf, 0, Math.min(CHUNK, size - t.offset), t.offset);
        if (n <= 0) break;
        t.hash.update(buf.subarray(0, n));
        t.offset += n;
        progressed = true;
      }
    }
    return progressed;
  };
  try {
    for (;;) {
      const done = finishing.has(id);
      const progressed = pump();
      if (done && !progressed) break;
      if (!progressed) await sleep(3);
    }
    return {
      id,
      ok: true,
      results: [...tails].map(([name, t]) => ({ path: join(dir, name), sha256: t.hash.digest('hex'), bytes: t.offset })),
    };
  } finally {
    finishing.delete(id);
    for (const t of tails.values()) closeSync(t.fd);
  }
}

const pendingFollows = new Map<number, Promise<HashResponse>>();

parentPort?.on('message', (req: HashRequest) => {
  const port = parentPort;
  if (!port) return;
  try {
    if (req.op === 'hash') {
      const results = req.paths.map((p) => ({ path: p, ...hashFileSync(p) }));
      port.postMessage({ id: req.id, ok: true, results } satisfies HashResponse);
    } else if (req.op === 'follow') {
      pendingFollows.set(req.id, follow(req.id, req.dir, new RegExp(req.pattern)));
      port.postMessage({ id: req.id, ok: true, results: [] } satisfies HashResponse);
    } else {
      finishing.add(req.followId);
      const p = pendingFollows.get(req.followId);
      pendingFollows.delete(req.followId);
      if (!p) throw new Error(`no follow ${req.followId}`);
      void p.then(
        (r) => port.postMessage({ ...r, id: req.id }),
        (err: unknown) => port.postMessage({ id: req.id, ok: false, error: String(err) } satisfies HashResponse),
      );
    }
  } catch (err) {
    port.postMessage({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies HashResponse);
  }
});
