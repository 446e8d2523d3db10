/**
 * zincd's local CLI socket, open to every user of the host. Each accepted connection is handed to
 * build/zinc-peercred (SO_PEERCRED) before gRPC sees a byte of it, so every call on it is tied to
 * the uid the kernel recorded at connect(). The connection is then injected into the gRPC server
 * with an opaque peer name ("zinc-local#N") that `callers.ts` maps back to those credentials; a
 * TCP peer's name is its IP address, so the name cannot be forged from the network.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../log.js';
import { PeerCredentialsError } from './errors.js';

export interface LocalCredentials {
  pid: number;
  uid: number;
  gid: number;
}

export const LOCAL_PEER_PREFIX = 'zinc-local#';

/** How long the credentials helper may take before the connection is dropped. */
const PEERCRED_TIMEOUT_MS = 5_000;

export function defaultPeerCredPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', '..', 'build', 'zinc-peercred'), join(here, '..', '..', 'build', 'zinc-peercred')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0] ?? 'zinc-peercred';
}

/** The kernel's record of who is at the other end of a connected unix socket. */
export function peerCredentials(socket: net.Socket, helper = defaultPeerCredPath()): Promise<LocalCredentials> {
  return new Promise((resolve, reject) => {
    const child = spawn(helper, [], { stdio: ['ignore', 'pipe', 'pipe', socket] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), PEERCRED_TIMEOUT_MS);
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new PeerCredentialsError(`${helper}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const m = /^(-?\d+) (\d+) (\d+)\n?$/.exec(out);
      if (code !== 0 || !m) {
        reject(new PeerCredentialsError(`${helper} ${signal ? `killed by ${signal}` : `exited ${String(code)}`}: ${err.trim() || out.trim()}`));
        return;
      }
      resolve({ pid: Number(m[1]), uid: Number(m[2]), gid: Number(m[3]) });
    });
  });
}

export class LocalSocket {
  private readonly server: net.Server;
  private readonly sessions = new Map<string, LocalCredentials>();
  private next = 1;

  constructor(
    private readonly path: string,
    private readonly injector: grpc.ConnectionInjector,
    private readonly log: Logger,
    private readonly helper = defaultPeerCredPath(),
  ) {
    this.server = net.createServer({ pauseOnConnect: true }, (socket) => void this.accept(socket));
  }

  /** Credentials of the connection gRPC names `peer`, or undefined if it is not a local one. */
  credentials(peer: string): LocalCredentials | undefined {
    return this.sessions.get(peer);
  }

  async listen(): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true });
    rmSync(this.path, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.path, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    // Every user may connect: what each may do is decided per call from the kernel's uid.
    chmodSync(this.path, 0o666);
  }

  /** Stops accepting; connections already injected end with the gRPC server's shutdown. */
  close(): void {
    this.server.close();
    rmSync(this.path, { force: true });
  }

  private async accept(socket: net.Socket): Promise<void> {
    socket.on('error', () => undefined);
    let creds: LocalCredentials;
    try {
      creds = await peerCredentials(socket, this.helper);
    } catch (err) {
      this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'local connection dropped: its credentials could not be read');
      socket.destroy();
      return;
    }
    const name = `${LOCAL_PEER_PREFIX}${this.next++}`;
    this.sessions.set(name, creds);
    socket.once('close', () => this.sessions.delete(name));
    // grpc-js names a call's peer after its socket's remoteAddress (empty for unix sockets).
    Object.defineProperty(socket, 'remoteAddress', { value: name });
    this.injector.injectConnection(socket);
    socket.resume();
  }
}
