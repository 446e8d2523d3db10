/** Binding zincd's own peer listeners (TLS or loopback), which hand connections to gRPC. */
import type * as net from 'node:net';
import type { Logger } from '../log.js';

/** Listens on host:port; resolves with the port actually bound (port 0 picks one). */
export function listenOn(server: net.Server, host: string, port: number, log: Logger): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', (err) => log.error({ err: err.message }, 'peer listener error'));
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}
