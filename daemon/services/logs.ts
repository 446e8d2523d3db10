/**
 * `zinc logs`: streams a job's stdout or stderr. With --follow it keeps streaming until the job
 * ends, and follows the job across hosts: the files travel with the job, so the byte offset
 * reached on one host is where reading continues on the next.
 */
import type * as grpc from '@grpc/grpc-js';
import { open } from 'node:fs/promises';
import type { LogChunk } from '../../proto/generated/zinc/v1/LogChunk.js';
import type { LogsRequest, LogsRequest__Output } from '../../proto/generated/zinc/v1/LogsRequest.js';
import { failStream, logFailure } from '../grpc/handlers.js';
import { isTerminal } from '../jobs/state-machine.js';
import type { ServiceContext } from './context.js';

const CHUNK = 64 * 1024;
const POLL_MS = 100;

type Call = grpc.ServerWritableStream<LogsRequest__Output, LogChunk>;

export function streamLogs(c: ServiceContext, call: Call): void {
  run(c, call).then(
    () => call.end(),
    (err: unknown) => {
      logFailure(c.log, 'Logs', err);
      failStream(call, err);
    },
  );
}

async function run(c: ServiceContext, call: Call): Promise<void> {
  const req = call.request;
  let offset = Number(req.offset ?? 0);
  for (let hop = 0; hop < 64 && !call.cancelled; hop++) {
    const route = c.router.route(req.gpid);
    if (route.kind === 'local') {
      const done = await streamLocal(c, call, req.gpid, req.stderr, req.follow, offset);
      offset = done.offset;
      if (done.finished) return;
      continue; // the job moved away while we followed it
    }
    const via = c.router.forwardVia(req.via, `job ${req.gpid}`);
    const address = c.router.address(route.host);
    offset = await proxy(c, call, address, { ...req, offset, via }).catch((err: unknown) => {
      throw c.router.translate(err, route.host, address);
    });
    if (!req.follow) return;
    const info = c.jobs.get(req.gpid);
    if (info && info.state !== 'moved' && isTerminal(info.state)) return;
    // The remote stream ended: either the job finished there, or it moved on. Ask again.
    const still = c.router.route(req.gpid);
    if (still.kind === 'remote' && still.host === route.host) return;
  }
}

async function streamLocal(c: ServiceContext, call: Call, gpid: string, stderr: boolean, follow: boolean, start: number): Promise<{ offset: number; finished: boolean }> {
  const path = stderr ? c.layout.stderr(gpid) : c.layout.stdout(gpid);
  let offset = start;
  const buf = Buffer.alloc(CHUNK);
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    fh = undefined;
  }
  try {
    for (;;) {
      if (call.cancelled) return { offset, finished: true };
      let n = 0;
      if (fh) {
        ({ bytesRead: n } = await fh.read(buf, 0, CHUNK, offset));
        if (n > 0) {
          const ok = call.write({ data: Buffer.from(buf.subarray(0, n)), offset });
          offset += n;
          if (!ok) await new Promise<void>((res) => call.once('drain', () => res()));
          continue;
        }
      }
      const r = c.jobs.get(gpid);
      if (!follow || !r) return { offset, finished: true };
      if (r.state === 'moved') return { offset, finished: false };
      if (isTerminal(r.state)) {
        // One last read after the end so nothing written just before exit is lost.
        if (fh) {
          const { bytesRead } = await fh.read(buf, 0, CHUNK, offset);
          if (bytesRead > 0) continue;
        }
        return { offset, finished: true };
      }
      if (!fh) fh = await open(path, 'r').catch(() => undefined);
      await new Promise((res) => setTimeout(res, POLL_MS));
    }
  } finally {
    await fh?.close();
  }
}

function proxy(c: ServiceContext, call: Call, address: string, req: LogsRequest): Promise<number> {
  let offset = Number(req.offset ?? 0);
  return new Promise((resolve, reject) => {
    const client = c.pool.jobs(address);
    const remote = client.logs(req);
    call.on('cancelled', () => remote.cancel());
    remote.on('data', (chunk: LogChunk) => {
      const data = chunk.data as Buffer;
      offset = Number(chunk.offset ?? offset) + data.length;
      if (!call.write(chunk)) {
        remote.pause();
        call.once('drain', () => remote.resume());
      }
    });
    remote.on('error', reject);
    remote.on('end', () => resolve(offset));
  });
}
