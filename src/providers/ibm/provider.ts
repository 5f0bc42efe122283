// IBM Cloud Secrets Manager, v2 API: the provider module that index.ts loads on first use.
//
// References:
//   ibm-sm://SECRET_ID[?version=ID|current|previous][#KEY]   GET /api/v2/secrets/{id}[/versions/{version}]
//   ibm-sm://GROUP/TYPE/NAME[?version=…][&fallback=TYPE][#KEY]
//                              GET /api/v2/secret_groups/{GROUP}/secret_types/{TYPE}/secrets/{NAME}
//   secret://NAME → ibm-sm://$SECRETS_EXEC_IBM_SECRET_GROUP/arbitrary/NAME?fallback=kv (group default
//                   `default`): the arbitrary secret NAME, else the kv secret NAME (a miss costs two requests).
// Values by secret type: values.ts. Settings (ctx.env): settings.ts — SECRETS_MANAGER_URL (or
//   IBM_CLOUD_SECRETS_MANAGER_URL), SECRETS_MANAGER_AUTH_TYPE (iam, container, vpc, bearerToken) and the
//   core's variables of each authenticator, SECRETS_MANAGER_APIKEY (or IBM_CLOUD_APIKEY).
// Authentication and HTTP: ibm-cloud-sdk-core (auth.ts, client.ts), evaluated only when a reference needs
//   it. Errors: errors.ts. Per-run state lives in the instance below.
import { ProviderError, ReferenceSyntaxError } from '../../errors/errors.js';
import { parseReference, type Reference } from '../../refs/index.js';
import type { Outcome, ProviderContext, ProviderInstance, ProviderModule } from '../../resolve/types.js';
import { classifyIbmError } from './errors.js';
import { getGenericGroup } from './settings.js';
import type { IbmSession } from './session.js';

// secret://NAME: names the store can hold under a group, as IBM's own names are written (no '/').
function mapGeneric(name: string, ctx: ProviderContext): Reference {
  const group = getGenericGroup(ctx.env);
  if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name)) {
    const why = "use letters, digits, '_', '-' and '.' (no '/')";
    throw new ProviderError('Invalid', `'${name}' cannot be an IBM secret name: ${why}`);
  }
  try {
    return parseReference(`ibm-sm://${group}/arbitrary/${name}?fallback=kv`);
  } catch (error) {
    if (!(error instanceof ReferenceSyntaxError)) throw error;
    throw new ProviderError('Invalid', `SECRETS_EXEC_IBM_SECRET_GROUP '${group}': ${error.message}`);
  }
}

// One run: the session (and the SDK behind it) is made on the first batch and shared by the later ones.
function create(ctx: ProviderContext): ProviderInstance {
  let session: Promise<IbmSession> | undefined;
  const open = (): Promise<IbmSession> => {
    if (session !== undefined) return session;
    const t0 = Date.now();
    const started = import('./session.js').then((m) => {
      ctx.log.debug('ibm.load', 'IBM provider code loaded', { ms: Date.now() - t0 });
      return m.createSession(ctx);
    });
    // A failed start (bad settings) is reported per reference, and a later batch tries again.
    started.catch(() => {
      if (session === started) session = undefined;
    });
    session = started;
    return started;
  };
  return {
    mapGeneric: (name) => mapGeneric(name, ctx),
    async resolve(batch: readonly Reference[]): Promise<Outcome[]> {
      try {
        return await (await open()).resolve(batch);
      } catch (error) {
        const failure = classifyIbmError(error);
        return batch.map(() => failure);
      }
    },
    async close(): Promise<void> {
      const pending = session;
      session = undefined;
      (await pending?.catch(() => undefined))?.close();
    },
  };
}

export const ibmProvider: ProviderModule = { create, classify: (error) => classifyIbmError(error) };
