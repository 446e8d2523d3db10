/**
 * `zinc logs`: streams a job's stdout or stderr. With --follow it keeps streaming until the job
 * ends, and follows the job across hosts: the files travel with the job, so the byte offset
 * reached on one host is where reading continues on the next.
 */
import type * as grpc from '@grpc/grpc-js';
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { LogChunk } from '../../proto/generated/zinc/v1/LogChunk.js';
import type { LogsRequest, LogsRequest__Output } from '../../proto/generated/zinc/v1/LogsRequest.js';
import { failStream, logFailure } from '../grpc/handlers.js';
import { isTerminal } from '../jobs/state-machine.js';
import type { ServiceContext } from './context.js';
import type { PeerIdentity } from '../security/peer-identity.js';

const CHUNK = 64 * 1024;
const POLL_MS = 100;
/** The job owns its output files: never follow a link it put there (e.g. to /etc/shadow), never
 * block on a FIFO. A job that replaced its stdout by something else simply has no output here. */
const OPEN_JOB_FILE = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

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
  const actor = await c.auth.actor(call, req.via);
  let offset = Number(req.offset ?? 0);
  for (let hop = 0; hop < 64 && !call.cancelled; hop++) {
    const route = c.router.route(req.gpid);
    if (route.kind === 'local') {
      c.auth.requireOwner(actor, route.record, 'read the output of');
      const done = await streamLocal(c, call, req.gpid, req.stderr, req.follow, offset);
      offset = done.offset;
      if (done.finished) return;
      continue; // the job moved away while we followed it
    }
    const via = c.router.forwardVia(req.via, `job ${req.gpid}`, actor);
    const address = c.router.address(route.host);
    offset = await proxy(c, call, address, c.router.identity(route.host), { ...req, offset, via }).catch((err: unknown) => {
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
  let fh = await openJobFile(path);
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
      if (!fh) fh = await openJobFile(path);
      await new Promise((res) => setTimeout(res, POLL_MS));
    }
  } finally {
    await fh?.close();
  }
}

/** The job's output file if it is one: a regular file, reached without following a link. */
async function openJobFile(path: string): Promise<FileHandle | undefined> {
  const fh = await open(path, OPEN_JOB_FILE).catch(() => undefined);
  if (fh && !(await fh.stat()).isFile()) {
    await fh.close();
    return undefined;
  }
  return fh;
}

function proxy(c: ServiceContext, call: Call, address: string, expect: PeerIdentity | undefined, req: LogsRequest): Promise<number> {
  let offset = Number(req.offset ?? 0);
  return new Promise((resolve, reject) => {
    const client = c.pool.jobs(address, expect);
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
