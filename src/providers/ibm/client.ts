// The Secrets Manager v2 REST calls, made with ibm-cloud-sdk-core's BaseService (request building, the
// authenticator's Authorization header, JSON and gzip handling, error parsing). Its axios client is loaded
// for the token requests anyway, so the service costs little more than its class. The core's own retries
// stay off: transient failures are retried centrally under the run's deadline.
//   GET /api/v2/secrets/{id}                                                        a secret with its payload
//   GET /api/v2/secrets/{secret_id}/versions/{id}                                   a version (id, current, previous)
//   GET /api/v2/secrets/{id}/metadata                                               a secret's metadata (labels)
//   GET /api/v2/secret_groups/{secret_group_name}/secret_types/{secret_type}/secrets/{name}   by name
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AuthenticatorInterface } from 'ibm-cloud-sdk-core';
import { IbmShapeError } from './errors.js';

export interface SecretsManagerClient {
  /** GETs one API path (with `{name}` placeholders filled from `params`, each %-encoded); resolves with the JSON body. */
  get(url: string, params: Readonly<Record<string, string>>, signal: AbortSignal): Promise<Record<string, unknown>>;
  close(): void;
}

/** Makes the client of one run; its keep-alive agents are destroyed by `close`. */
export async function createClient(options: {
  serviceUrl: string;
  disableSsl: boolean;
  authenticator: AuthenticatorInterface;
}): Promise<SecretsManagerClient> {
  const { BaseService } = await import('ibm-cloud-sdk-core/lib/base-service.js');
  const httpAgent = new HttpAgent({ keepAlive: true });
  const httpsAgent = new HttpsAgent({ keepAlive: true });

  class SecretsManagerV2 extends BaseService {
    static override DEFAULT_SERVICE_NAME = 'secrets_manager';

    async getJson(url: string, path: Readonly<Record<string, string>>, signal: AbortSignal): Promise<Record<string, unknown>> {
      const response = (await this.createRequest({
        options: { url, method: 'GET', path, axiosOptions: { signal } },
        defaultOptions: { ...this.baseOptions, headers: { Accept: 'application/json' } },
      })) as { result?: unknown } | undefined;
      const body = response?.result;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new IbmShapeError('the answer is not a JSON object (is SECRETS_MANAGER_URL the address of a Secrets Manager instance?)');
      }
      return body as Record<string, unknown>;
    }
  }

  const service = new SecretsManagerV2({
    serviceUrl: options.serviceUrl,
    authenticator: options.authenticator,
    disableSslVerification: options.disableSsl,
    httpAgent,
    httpsAgent,
  });
  return {
    get: (url, params, signal) => service.getJson(url, params, signal),
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
