/**
 * A tiny TCP probe run inside lab hosts (via nsenter) to measure what the lab really delivers:
 * round-trip time (one-byte echo, Nagle off) and TCP throughput (bulk send, measured at the
 * receiver from its first byte to the sender's end of stream). There is no ping on the
 * project's machines, and TCP is what zincd uses anyway.
 *
 *   node probe.js serve ADDR PORT          prints {"listening":true} and serves until killed
 *   node probe.js rtt ADDR PORT COUNT      prints {"samplesMs":[…]}
 *   node probe.js tput ADDR PORT SECONDS   prints {"bytes":…,"seconds":…,"mbit":…}
 *
 * Output is one JSON line on stdout.
 */
import { connect, createServer, type Socket } from 'node:net';

const ECHO = 0x65; // 'e'
const SINK = 0x74; // 't'

function serve(host: string, port: number): void {
  const server = createServer((sock) => {
    sock.setNoDelay(true);
    let mode: number | undefined;
    let bytes = 0;
    let first = 0n;
    sock.on('data', (chunk: Buffer) => {
      let data = chunk;
      if (mode === undefined) {
        mode = data[0];
        data = data.subarray(1);
        first = process.hrtime.bigint();
      }
      if (mode === ECHO) sock.write(data);
      else bytes += data.length;
    });
    sock.on('end', () => {
      if (mode === SINK) {
        const seconds = Number(process.hrtime.bigint() - first) / 1e9;
        sock.end(JSON.stringify({ bytes, seconds, mbit: (bytes * 8) / seconds / 1e6 }) + '\n');
      } else {
        sock.end();
      }
    });
    sock.on('error', () => undefined);
  });
  server.listen(port, host, () => process.stdout.write(JSON.stringify({ listening: true }) + '\n'));
}

function open(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

async function rtt(host: string, port: number, count: number): Promise<void> {
  const s = await open(host, port);
  s.setNoDelay(true);
  const samples: number[] = [];
  const once = (): Promise<void> =>
    new Promise((resolve) => {
      s.once('data', () => resolve());
    });
  s.write(Buffer.from([ECHO]));
  // The first exchange also warms ARP on every hop; it is not a sample.
  for (let i = 0; i <= count; i++) {
    const t0 = process.hrtime.bigint();
    const got = once();
    s.write('x');
    await got;
    if (i > 0) samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  s.end();
  process.stdout.write(JSON.stringify({ samplesMs: samples }) + '\n');
}

async function tput(host: string, port: number, seconds: number): Promise<void> {
  const s = await open(host, port);
  const chunk = Buffer.alloc(256 * 1024, 0x78);
  s.write(Buffer.from([SINK]));
  const end = Date.now() + seconds * 1000;
  let reply = '';
  s.on('data', (b: Buffer) => (reply += b.toString('utf8')));
  const closed = new Promise<void>((resolve, reject) => {
    s.once('close', () => resolve());
    s.once('error', reject);
  });
  while (Date.now() < end) {
    if (!s.write(chunk)) await new Promise((r) => s.once('drain', r));
  }
  s.end();
  await closed;
  process.stdout.write(reply.trim() + '\n');
}

async function main(argv: string[]): Promise<void> {
  const [mode, host, portText, nText] = argv;
  const port = Number(portText);
  if (!host || !Number.isInteger(port)) throw new Error('usage: probe.js serve|rtt|tput ADDR PORT [N]');
  if (mode === 'serve') return serve(host, port);
  if (mode === 'rtt') return rtt(host, port, Number(nText ?? 20));
  if (mode === 'tput') return tput(host, port, Number(nText ?? 5));
  throw new Error(`unknown mode ${mode ?? ''}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`probe: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
