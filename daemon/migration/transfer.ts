/**
 * Moving an archive between daemons. The source serves it (Fetch, server-streaming) from the
 * stored checkpoint, in ~1 MiB messages, honouring write()/'drain'; the destination pulls it and
 * turns the message stream back into bytes for the archive reader. Nothing is held whole in memory.
 */
import type * as grpc from '@grpc/grpc-js';
import { Transform, type Readable } from 'node:stream';
import type { FetchChunk, FetchChunk__Output } from '../../proto/generated/zinc/v1/FetchChunk.js';
import type { MigrationRef__Output } from '../../proto/generated/zinc/v1/MigrationRef.js';
import { packCheckpoint } from '../checkpoint/archive-writer.js';
import type { Manifest } from '../checkpoint/manifest.js';
import { ARCHIVE_CHUNK_BYTES } from '../grpc/constants.js';
import { TransferIdleError } from './errors.js';
import { FETCH_STALL_TIMEOUT_MS } from './limits.js';

/**
 * Server side of Fetch: write the archive to the call. After the last byte, `beforeEnd` runs (the
 * source records its commit there) and only then is the stream ended with status OK.
 */
export function serveArchive(
  call: grpc.ServerWritableStream<MigrationRef__Output, FetchChunk>,
  dir: string,
  manifest: Manifest,
  onBytes: (n: number) => void,
  beforeEnd: () => Promise<void>,
  halfway: () => Promise<void> = async () => undefined,
  stallMs = FETCH_STALL_TIMEOUT_MS,
): Promise<number> {
  return new Promise((resolve, reject) => {
    if (call.cancelled) {
      reject(new Error('the destination went away before the archive was ready'));
      return;
    }
    let halfDone = false;
    const src = packCheckpoint(dir, manifest);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let sent = 0;
    let stall: NodeJS.Timeout | undefined;
    const flush = (): boolean => {
      if (pendingBytes === 0) return true;
      const data = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes);
      pending = [];
      sent += pendingBytes;
      pendingBytes = 0;
      onBytes(sent);
      return call.write({ data });
    };
    call.on('cancelled', () => {
      clearTimeout(stall);
      src.destroy();
      reject(new Error('the destination cancelled the transfer'));
    });
    // A destination that stops reading leaves write() full and 'drain' never comes; the job is
    // frozen meanwhile, so give up after a while (the source then rolls back).
    const waitDrain = (then: () => void) => {
      stall = setTimeout(() => {
        const peer = call.getPeer();
        src.destroy();
        reject(new TransferIdleError(call.request.id, peer, stallMs, 'the destination stopped reading the archive'));
      }, stallMs);
      stall.unref();
      call.once('drain', () => {
        clearTimeout(stall);
        then();
      });
    };
    // Coalesce small tar pieces (headers) into messages of about this size; smaller archives get
    // proportionally smaller messages so that progress (and the halfway point) is observable.
    const target = Math.max(64 * 1024, Math.min(ARCHIVE_CHUNK_BYTES, Math.floor(manifest.totalBytes / 8)));
    src.on('data', (chunk: Buffer) => {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < target) return;
      const ok = flush();
      if (!halfDone && sent * 2 >= manifest.totalBytes) {
        halfDone = true;
        src.pause();
        void halfway().then(() => (ok ? src.resume() : waitDrain(() => src.resume())));
        return;
      }
      if (!ok) {
        src.pause();
        waitDrain(() => src.resume());
      }
    });
    src.on('error', reject);
    src.on('end', () => {
      flush();
      beforeEnd().then(
        () => {
          call.end();
          resolve(sent);
        },
        reject,
      );
    });
  });
}

/** Client side: the message stream as plain bytes. */
export function bytesOf(stream: grpc.ClientReadableStream<FetchChunk__Output>): Readable {
  const t = new Transform({
    readableHighWaterMark: 4 * ARCHIVE_CHUNK_BYTES,
    writableObjectMode: true,
    transform(msg: FetchChunk__Output, _enc, cb) {
      cb(null, msg.data);
    },
  });
  stream.on('error', (err) => t.destroy(err));
  t.on('close', () => {
    if (!stream.destroyed) stream.cancel();
  });
  return stream.pipe(t);
}
