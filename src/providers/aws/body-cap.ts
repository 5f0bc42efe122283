// A cap on the body of every AWS answer, as the other providers have: the SDK reads whatever it is sent
// before parsing it, so a wrong endpoint or a hostile server could make secrets-exec buffer without bound
// (found by the fault matrix: a 9 MiB answer was read whole and parsed). The cap sits between the HTTP
// handler and the SDK's deserializer, and ends the answer with BodyTooLargeError past MAX_AWS_BODY bytes.
import type { Readable } from 'node:stream';
import type { AbsoluteLocation, DeserializeHandlerOptions, DeserializeMiddleware } from '@smithy/types';
import { BodyTooLargeError } from '../shared/network-errors.js';

/**
 * Far above what AWS sends: a secret is at most 64 KiB (87 KiB as base64), a BatchGetSecretValue page 20
 * of them, an SSM GetParameters answer 10 parameters of at most 8 KiB.
 */
export const MAX_AWS_BODY = 4 * 1024 * 1024;

/** Where the middleware goes: in the deserialize step, below the deserializer (it sees the raw answer). */
export const BODY_CAP_OPTIONS: DeserializeHandlerOptions & AbsoluteLocation = {
  step: 'deserialize',
  priority: 'low',
  name: 'secretsExecBodyCap',
};

/** A middleware that replaces the answer's body stream by one that fails past `maxBytes`. */
export function bodyCap<I extends object, O extends object>(
  maxBytes: number = MAX_AWS_BODY,
): DeserializeMiddleware<I, O> {
  return (next) => async (args) => {
    const result = await next(args);
    const response = result.response as { body?: unknown } | undefined;
    const body = response?.body as Readable | undefined;
    if (response && body && typeof body.pipe === 'function') response.body = capped(body, maxBytes);
    return result;
  };
}

/** `source` through a counter that destroys both streams with BodyTooLargeError past `maxBytes`. */
export function capped(source: Readable, maxBytes: number): Readable {
  const { Transform } = globalThis.process.getBuiltinModule('node:stream');
  let size = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size <= maxBytes) return done(null, chunk);
      source.unpipe(out);
      source.destroy();
      done(new BodyTooLargeError(maxBytes));
    },
  });
  source.on('error', (error) => out.destroy(error));
  return source.pipe(out);
}
