/**
 * Who owns the other end of a loopback TCP connection, from the kernel's socket tables
 * (/proc/net/tcp and tcp6: every socket of this network namespace with its uid). A process on
 * this host cannot forge it, as it cannot forge SO_PEERCRED on a unix socket.
 */
import { readFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';

export interface Endpoint {
  address: string;
  port: number;
}

/** The uid owning the socket whose local end is `peer` and remote end is `local`, if any. */
export async function loopbackPeerUid(peer: Endpoint, local: Endpoint): Promise<number | undefined> {
  const tables = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((f) => readFile(f, 'utf8').catch(() => '')));
  const want = { local: keysOf(peer), remote: keysOf(local) };
  for (const table of tables) {
    for (const line of table.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
      if (f.length < 10) continue;
      if (want.local.has(f[1] ?? '') && want.remote.has(f[2] ?? '')) return Number(f[7]);
    }
  }
  return undefined;
}

/** Every way the kernel may print an endpoint: IPv4 in tcp, IPv6 or v4-mapped in tcp6. */
function keysOf(e: Endpoint): Set<string> {
  const port = e.port.toString(16).toUpperCase().padStart(4, '0');
  const v4 = e.address.startsWith('::ffff:') ? e.address.slice(7) : e.address;
  const keys = new Set<string>();
  if (isIPv4(v4)) {
    const b = v4.split('.').map(Number);
    keys.add(`${hex32([b[3] ?? 0, b[2] ?? 0, b[1] ?? 0, b[0] ?? 0])}:${port}`);
    // ::ffff:a.b.c.d in tcp6: three words of the prefix, then the IPv4 word as in tcp.
    keys.add(`0000000000000000FFFF0000${hex32([b[3] ?? 0, b[2] ?? 0, b[1] ?? 0, b[0] ?? 0])}:${port}`);
  } else if (e.address === '::1') {
    keys.add(`00000000000000000000000001000000:${port}`);
  }
  return keys;
}

/** Four bytes as the kernel prints a 32-bit word: most significant first, uppercase hex. */
function hex32(bytes: number[]): string {
  return bytes.map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join('');
}
