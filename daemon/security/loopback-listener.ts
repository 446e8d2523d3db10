/**
 * zincd's peer listener without TLS, on a loopback address (a single host, or the test grids).
 * Without TLS nothing proves who a peer is, and every local user can reach 127.0.0.1: so only
 * processes of root (other zincd daemons) may use it. The owner of each connection comes from the
 * kernel (tcp-owner.ts); anyone else is refused and pointed at the local socket, where zincd knows
 * their uid. With --insecure on a non-loopback address this check cannot apply (the peer is on
 * another machine): there, anyone who reaches the port is an anonymous peer, as the warning says.
 */
import type * as grpc from '@grpc/grpc-js';
import * as net from 'node:net';
import type { Logger } from '../log.js';
import { listenOn } from './listen.js';
import { loopbackPeerUid } from './tcp-owner.js';

export class LoopbackListener {
  private readonly server: net.Server;

  constructor(
    private readonly injector: grpc.ConnectionInjector,
    private readonly log: Logger,
  ) {
    this.server = net.createServer({ pauseOnConnect: true }, (socket) => void this.accept(socket));
  }

  listen(host: string, port: number): Promise<number> {
    return listenOn(this.server, host, port, this.log);
  }

  close(): void {
    this.server.close();
  }

  private async accept(socket: net.Socket): Promise<void> {
    socket.on('error', () => undefined);
    const peer = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const local = { address: socket.localAddress ?? '', port: socket.localPort ?? 0 };
    const uid = await loopbackPeerUid(peer, local).catch(() => undefined);
    if (uid !== 0) {
      this.log.warn({ remote: `${peer.address}:${peer.port}`, uid: uid ?? 'unknown' }, 'peer connection refused: without TLS only root processes of this host may use the peer port (others use the local socket)');
      socket.destroy();
      return;
    }
    this.injector.injectConnection(socket);
    socket.resume();
  }
}
