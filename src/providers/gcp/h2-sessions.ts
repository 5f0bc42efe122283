// HTTP/2 sessions to https endpoints, one per origin for the run: every request of the run is a stream
// of that one connection (one TLS handshake), at most MAX_STREAMS at a time. An endpoint that does not
// speak HTTP/2 (its TLS answers no application protocol for "h2") is remembered, and the caller uses
// HTTP/1.1 there. node:http2 is loaded on the first https request.
import type { ClientHttp2Session } from 'node:http2';
import type { Logger } from '../../log/logger.js';

/** Google's front ends allow 100 concurrent streams per connection. */
export const MAX_STREAMS = 100;

// TLS alerts and HTTP/2 errors that mean "this endpoint does not speak HTTP/2", not "it is unreachable".
const NO_H2 = /NO_APPLICATION_PROTOCOL|ERR_HTTP2_ERROR|ERR_HTTP2_PROTOCOL_ERROR/;

export interface H2Pool {
  /** The origin's session, or undefined when the origin speaks only HTTP/1.1; rejects on network errors. */
  sessionFor(origin: string): Promise<ClientHttp2Session | undefined>;
  /** Runs `send` when fewer than MAX_STREAMS streams of the run are open. */
  withStream<T>(send: () => Promise<T>): Promise<T>;
  close(): void;
}

export function createH2Pool(log: Logger): H2Pool {
  const sessions = new Map<string, Promise<ClientHttp2Session | undefined>>();
  const open = new Set<ClientHttp2Session>();
  const waiting: Array<() => void> = [];
  let active = 0;

  const start = (origin: string): Promise<ClientHttp2Session | undefined> => {
    const promise = new Promise<ClientHttp2Session | undefined>((resolve, reject) => {
      // Node's default roots, with the run's extra CA added (network-setup.ts).
      const session = globalThis.process.getBuiltinModule('node:http2').connect(origin);
      let http1Only = false;
      open.add(session);
      // A session that fails or ends is forgotten, so that a retry connects again.
      const forget = (): void => {
        open.delete(session);
        if (!http1Only && sessions.get(origin) === promise) sessions.delete(origin);
      };
      let connected = false;
      session.once('connect', () => {
        connected = true;
        resolve(session);
      });
      session.once('close', forget);
      session.on('error', (error: NodeJS.ErrnoException) => {
        // Only a failed negotiation means "no HTTP/2"; a later error ends this session, and a retry
        // connects again.
        if (connected || !NO_H2.test(`${error.code ?? ''} ${error.message}`)) {
          forget();
          reject(error);
          return;
        }
        // Remembered (the map keeps this answer): the origin is asked for HTTP/2 once per run.
        http1Only = true;
        log.debug('gcp.http1', `${origin} does not speak HTTP/2 (${error.code ?? error.message}): using HTTP/1.1`);
        open.delete(session);
        resolve(undefined);
      });
    });
    return promise;
  };

  return {
    sessionFor(origin) {
      let session = sessions.get(origin);
      if (!session) {
        session = start(origin);
        sessions.set(origin, session);
      }
      return session;
    },
    async withStream(send) {
      if (active >= MAX_STREAMS) await new Promise<void>((resolve) => waiting.push(resolve));
      active++;
      try {
        return await send();
      } finally {
        active--;
        waiting.shift()?.();
      }
    },
    close() {
      for (const session of open) session.destroy();
      open.clear();
      sessions.clear();
    },
  };
}
