// A cap on the body of every answer the AWS SDK reads, as the other providers have: the SDK reads whatever
// it is sent before parsing it, so a wrong endpoint or a hostile server could make secrets-exec buffer
// without bound (found by the fault matrix: a 9 MiB answer was read whole and parsed). The cap sits in the
// SDK's HTTP handler (NodeHttpHandler), because that is the one place every answer passes that the SDK
// reads itself: Secrets Manager and SSM, and the credential chain's own clients and requests, which no
// client setting reaches — STS (web identity, assumed roles: a client the SDK makes), SSO, and the
// container credentials endpoint (a handler the SDK makes per call). Past MAX_AWS_BODY bytes the answer
// ends with AwsAnswerTooLargeError, which names the host that sent it.
import type { Readable } from 'node:stream';
import { BodyTooLargeError } from './network-errors.js';

/**
 * Far above what AWS sends: a secret is at most 64 KiB (87 KiB as base64), a BatchGetSecretValue page 20
 * of them, an SSM GetParameters answer 10 parameters of at most 8 KiB; credentials are a few KiB.
 */
export const MAX_AWS_BODY = 4 * 1024 * 1024;

/** An answer past the cap, with the host (and port) that sent it. */
export class AwsAnswerTooLargeError extends BodyTooLargeError {
  override name = 'AwsAnswerTooLargeError';
  constructor(
    limit: number,
    readonly host: string,
  ) {
    super(limit);
  }
}

// Marks the handler once capped: each provider chunk has its own copy of the SDK (aws, and vault's AWS login).
const CAPPED = Symbol.for('secrets-exec.aws-body-cap');

interface Handled {
  readonly response: { body?: unknown };
}
type Handle = (this: unknown, request: { hostname?: string; port?: number }, options?: unknown) => Promise<Handled>;

/**
 * Caps every answer the SDK's NodeHttpHandler reads in this process (its prototype, once): secrets-exec is
 * the only code here, it ends in exec, and every handler of the SDK is one of these.
 */
export async function capAwsAnswers(maxBytes: number = MAX_AWS_BODY): Promise<void> {
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  const proto = NodeHttpHandler.prototype as unknown as { handle: Handle; [CAPPED]?: true };
  if (proto[CAPPED]) return;
  const handle = proto.handle;
  proto.handle = async function cappedHandle(request, options) {
    const result = await handle.call(this, request, options);
    const body = result.response.body as Readable | undefined;
    if (body && typeof body.pipe === 'function') {
      const host = `${request.hostname ?? ''}${request.port ? `:${request.port}` : ''}`;
      result.response.body = capped(body, maxBytes, () => new AwsAnswerTooLargeError(maxBytes, host));
    }
    return result;
  };
  proto[CAPPED] = true;
}

/** `source` through a counter that destroys both streams with `tooLarge()` past `maxBytes`. */
export function capped(
  source: Readable,
  maxBytes: number,
  tooLarge: () => Error = () => new BodyTooLargeError(maxBytes),
): Readable {
  const { Transform } = globalThis.process.getBuiltinModule('node:stream');
  let size = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size <= maxBytes) return done(null, chunk);
      source.unpipe(out);
      source.destroy();
      done(tooLarge());
    },
  });
  source.on('error', (error) => out.destroy(error));
  return source.pipe(out);
}
