/**
 * Streams a stored checkpoint directory as a tar archive: manifest.json first, then every entry
 * the manifest lists, read from disk with backpressure (never a whole image in memory). The same
 * stream goes to a file (`zinc checkpoint -o`) or over gRPC (migration).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PassThrough, Transform, type Readable, type Writable } from 'node:stream';
import * as tar from 'tar-stream';
import type { Manifest } from './manifest.js';

/** Files up to this size are read in one go (CRIU's non-memory images, small job files). */
const SMALL_FILE = 256 * 1024;

export interface ArchiveProgress {
  bytes: number;
  total: number;
  file: string;
}

/** Size of the tar stream for a manifest: headers, padding and the two end blocks. */
export function archiveSize(m: Manifest): number {
  const manifestBytes = Buffer.byteLength(JSON.stringify(m));
  let n = 512 + pad(manifestBytes);
  for (const f of m.files) n += 512 + (f.type === 'file' ? pad(f.size) : 0) + (longName(f.path) ? 1024 : 0);
  return n + 1024;
}

function pad(n: number): number {
  return Math.ceil(n / 512) * 512;
}

function longName(p: string): boolean {
  return Buffer.byteLength(p) > 100;
}

export function packCheckpoint(dir: string, m: Manifest, onProgress?: (p: ArchiveProgress) => void): Readable {
  const pack = tar.pack();
  // tar-stream's streams are streamx streams; hand callers a plain Node stream.
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  pipeline(pack, out).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  const total = m.totalBytes;
  let done = 0;
  const fill = async () => {
    const manifest = Buffer.from(JSON.stringify(m));
    await entry(pack, { name: 'manifest.json', size: manifest.length, mode: 0o644, mtime: new Date(m.createdAt) }, manifest);
    for (const f of m.files) {
      const header = { name: f.path, mode: f.mode, mtime: new Date(f.mtimeMs) };
      if (f.type === 'dir') await entry(pack, { ...header, type: 'directory' });
      else if (f.type === 'symlink') await entry(pack, { ...header, type: 'symlink', linkname: f.target ?? '' });
      else if (f.size <= SMALL_FILE) {
        // Most CRIU images are tiny; one synchronous read beats a stream's open/read/close turns.
        const body = readFileSync(join(dir, f.path));
        if (body.length !== f.size) throw new Error(`${f.path} changed size (${body.length}, manifest ${f.size})`);
        done += body.length;
        onProgress?.({ bytes: done, total, file: f.path });
        await entry(pack, { ...header, size: f.size }, body);
      } else {
        const src = createReadStream(join(dir, f.path), { highWaterMark: 1 << 20 });
        const counter = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            done += chunk.length;
            onProgress?.({ bytes: done, total, file: f.path });
            cb(null, chunk);
          },
        });
        await new Promise<void>((resolve, reject) => {
          const sink = pack.entry({ ...header, size: f.size }, (err) => (err ? reject(err) : resolve()));
          pipeline(src, counter, sink).catch(reject);
        });
      }
    }
    pack.finalize();
  };
  fill().catch((err: unknown) => pack.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

function entry(pack: tar.Pack, header: Parameters<tar.Pack['entry']>[0], body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry(header, body ?? '', (err) => (err ? reject(err) : resolve()));
  });
}

/** Write an archive to a writable (file), resolving when every byte is flushed. */
export async function writeArchive(dir: string, m: Manifest, out: Writable, onProgress?: (p: ArchiveProgress) => void): Promise<void> {
  await pipeline(packCheckpoint(dir, m, onProgress), out);
}
