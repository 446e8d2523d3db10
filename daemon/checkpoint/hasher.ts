/**
 * sha256 off the event loop: requests go to a worker thread (hash-worker.ts). Running from the
 * TypeScript sources (unit tests), where the compiled worker does not exist, it hashes in-thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { hashFileSync, type HashRequest, type HashResponse } from './hash-worker.js';

type Result = Array<{ path: string; sha256: string; bytes: number }>;
type Pending = { resolve: (r: Result) => void; reject: (e: Error) => void };

/** Distributive Omit, so each member of the request union keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class Hasher {
  private worker: Worker | undefined;
  private next = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly inThread: boolean;

  constructor() {
    const url = new URL('./hash-worker.js', import.meta.url);
    this.inThread = !existsSync(fileURLToPath(url));
  }

  private send(req: WithoutId<HashRequest>): { id: number; done: Promise<Result> } {
    if (!this.worker) {
      this.worker = new Worker(new URL('./hash-worker.js', import.meta.url));
      this.worker.unref();
      this.worker.on('message', (res: HashResponse) => {
        const p = this.pending.get(res.id);
        if (!p) return;
        this.pending.delete(res.id);
        if (res.ok) p.resolve(res.results);
        else p.reject(new Error(res.error));
      });
      this.worker.on('error', (err) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        this.worker = undefined;
      });
    }
    const id = this.next++;
    const done = new Promise<Result>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker.postMessage({ ...req, id });
    return { id, done };
  }

  /** Start the worker now, so the first checkpoint does not pay for its start-up (~40 ms). */
  warm(): void {
    if (!this.inThread) void this.send({ op: 'hash', paths: [] }).done.catch(() => undefined);
  }

  async hash(paths: string[]): Promise<Result> {
    if (paths.length === 0) return [];
    if (this.inThread) return paths.map((p) => ({ path: p, ...hashFileSync(p) }));
    return this.send({ op: 'hash', paths }).done;
  }

  /** Start hashing files matching `pattern` in `dir` as they are written; call the returned
   * function once the writer has finished to get the final digests. */
  async follow(dir: string, pattern: RegExp): Promise<() => Promise<Result>> {
    if (this.inThread) {
      return async () => {
        const { readdirSync } = await import('node:fs');
        const names = readdirSync(dir).filter((n) => pattern.test(n));
        return names.map((n) => ({ path: `${dir}/${n}`, ...hashFileSync(`${dir}/${n}`) }));
      };
    }
    const { id, done } = this.send({ op: 'follow', dir, pattern: pattern.source });
    await done;
    return () => this.send({ op: 'finish', followId: id }).done;
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

let shared: Hasher | undefined;
export function sharedHasher(): Hasher {
  return (shared ??= new Hasher());
}
