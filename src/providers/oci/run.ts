// One run of the OCI provider: settings, then (once, shared by every batch) the auth provider, the
// signer and the client; then one signed call per distinct reference, all in parallel. A failed set-up
// is forgotten, so that the engine's retry of an Unavailable sets up again.
import type { Reference } from '../../refs/index.js';
import type { Outcome, ProviderContext } from '../../resolve/types.js';
import type { ProviderInstance } from '../../resolve/types.js';
import { setUpAuth, type AuthSetup } from './auth.js';
import { decodeBundle } from './bundle.js';
import { createOciClient, type OciClient } from './client.js';
import { authFailure, classifyOciError, OciAuthError } from './errors.js';
import { mapGenericName, toBundleRequest } from './request.js';
import { endpointForRegion } from './endpoint.js';
import { checkOciLibraryFiles } from './library-files.js';
import { loadSigner } from './sdk.js';
import { readOciSettings, type OciSettings } from './settings.js';
import { capGlobalFetch } from '../shared/capped-fetch.js';
import { prepareNetwork } from '../shared/network-setup.js';

interface Session {
  readonly auth: AuthSetup;
  readonly client: OciClient;
}

/** Creates the provider's state for one run. */
export function createOciRun(ctx: ProviderContext): ProviderInstance {
  let session: Promise<Session> | undefined;

  const getSession = (): Promise<Session> => {
    if (!session) {
      const pending = openSession(readOciSettings(ctx.env), ctx);
      pending.catch(() => {
        if (session === pending) session = undefined;
      });
      session = pending;
    }
    return session;
  };

  const fetchOne = async (ref: Reference, current: Session): Promise<Outcome> => {
    try {
      const request = toBundleRequest(ref);
      const body = await current.client.getSecretBundle(request, ctx.signal);
      return decodeBundle(body, 'vaultId' in request ? 'GetSecretBundleByName' : 'GetSecretBundle');
    } catch (error) {
      return classifyOciError(error);
    }
  };

  return {
    mapGeneric: (name) => mapGenericName(name, ctx.env),
    async resolve(batch) {
      const current = await getSession();
      return Promise.all(batch.map((ref) => fetchOne(ref, current)));
    },
    async close() {
      const current = await session?.catch(() => undefined);
      session = undefined;
      if (!current) return;
      current.client.close();
      current.auth.close?.();
    },
  };
}

async function openSession(settings: OciSettings, ctx: ProviderContext): Promise<Session> {
  // Before any of Oracle's modules loads: its region module reads these files itself, uncapped.
  await checkOciLibraryFiles(ctx);
  // Before the first request: Oracle's federation calls (fetch) follow the run's CA and proxy too, and
  // their answers are capped (its client reads whatever comes).
  const { proxyEnv } = await prepareNetwork(ctx);
  capGlobalFetch();
  const auth = await setUpAuth(settings, ctx);
  const endpoint = settings.endpoint ?? (await endpointForRegion(settings.region ?? auth.region));
  const Signer = await loadSigner();
  let signer: InstanceType<typeof Signer>;
  try {
    signer = new Signer(auth.provider);
  } catch (error) {
    const why = `${auth.label}: the private key cannot be used (wrong format or passphrase)`;
    throw new OciAuthError('Invalid', why, { cause: error });
  }
  // A principal's session token is fetched here, once: Oracle's instance-principal client has no lock,
  // so parallel first signatures would each fetch one (and each regenerate the session key).
  let keyId: string;
  try {
    keyId = await auth.provider.getKeyId();
  } catch (error) {
    throw authFailure(error, auth.label);
  }
  // Oracle's client takes an answer without a token as "ST$undefined", which OCI then refuses (Denied).
  if (/^ST\$(undefined|null)?$/.test(keyId)) {
    const why = `${auth.label}: the auth service's answer holds no session token (is its address right?)`;
    throw new OciAuthError('Invalid', why);
  }
  ctx.log.debug('oci.session', `OCI Secrets at ${endpoint.origin}, signed with ${auth.label}`);
  return { auth, client: createOciClient({ endpoint, signer, auth: auth.label, proxyEnv }) };
}
