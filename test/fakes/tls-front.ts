// A loopback TLS front for any plain-http fake: it terminates TLS with a certificate from the test CA
// (vault-tls.ts) and relays the bytes to the fake, so that every provider's endpoint can be made
// https:// for the CA tests without each fake serving TLS itself. Counts the TLS sessions it accepted.
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';

export interface TlsFront {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  /** host:port, as a proxy's log names it. */
  readonly hostPort: string;
  /** TLS sessions completed (a client that refused the certificate completes none). */
  accepted(): number;
  close(): Promise<void>;
}

export async function startTlsFront(target: string, tls: { cert: Buffer; key: Buffer }): Promise<TlsFront> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let accepted = 0;
  // ALPN http/1.1, as an HTTP/1.1-only server offers it (Google's client then falls back from HTTP/2).
  const server = createServer({ cert: tls.cert, key: tls.key, ALPNProtocols: ['http/1.1'] }, (client: TLSSocket) => {
    accepted++;
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  server.on('tlsClientError', () => undefined);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hostPort = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `https://${hostPort}`,
    hostPort,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
