// How the IBM provider classifies what Secrets Manager answers: 404 NotFound, 403 Denied naming
// the IAM action, 429 and 5xx Unavailable (the engine retries them), the deadline a Timeout, an address that
// is not Secrets Manager Invalid or Unavailable, and settings that cannot work Invalid before any request.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ibmProvider } from '../../../src/providers/ibm/provider.js';
import { ibmTestEnv, startIbmFakes, type IbmFakes } from '../../fakes/ibm/index.js';
import { expectFailure, failureOf, ibmRef, makeContext, resolveIn } from './support.js';

let fakes: IbmFakes;
let env: Record<string, string>;
let id: string;

beforeAll(async () => {
  fakes = await startIbmFakes();
  env = ibmTestEnv(fakes);
  id = fakes.sm.putSecret({ type: 'arbitrary', name: 'err', fields: { payload: 'errors-VALUE' } }).id;
});
afterAll(() => fakes.close());
afterEach(() => fakes.reset());

describe('Secrets Manager answers', () => {
  it('is NotFound for an unknown id', async () => {
    const { outcomes } = await resolveIn(env, ['ibm-sm://00000000-0000-4000-8000-00000000dead']);
    const message = 'secret 00000000-0000-4000-8000-00000000dead: not found: "Secret not found"';
    expectFailure(outcomes[0], 'NotFound', message);
  });

  it('is Denied on 403, naming the role and the IAM action', async () => {
    const denied = fakes.sm.putSecret({ type: 'arbitrary', name: 'denied', fields: { payload: 'denied-VALUE' } }).id;
    fakes.sm.deny(denied);
    const { outcomes, lines } = await resolveIn(env, [`ibm-sm://${denied}`]);
    const action = 'SecretsReader role on the secret or its secret group (IAM action secrets-manager.secret.read)';
    expect(failureOf(outcomes[0])).toMatchObject({ kind: 'Denied', message: expect.stringContaining(action) });
    expect(lines.join('\n')).not.toContain('denied-VALUE');
  });

  it.each([429, 500] as const)('is Unavailable on HTTP %i, for the engine to retry', async (status) => {
    fakes.sm.inject({ status, times: 1 });
    const { outcomes } = await resolveIn(env, [`ibm-sm://${id}`]);
    expectFailure(outcomes[0], 'Unavailable', new RegExp(`HTTP ${status}`));
  });

  it('is Unavailable when nothing listens at SECRETS_MANAGER_URL', async () => {
    const { outcomes } = await resolveIn({ ...env, SECRETS_MANAGER_URL: 'http://127.0.0.1:1' }, [`ibm-sm://${id}`]);
    expectFailure(outcomes[0], 'Unavailable', /cannot reach Secrets Manager \(ECONNREFUSED\)/);
  });

  it('is a Timeout when the deadline aborts a slow answer', async () => {
    fakes.sm.latencyMs = 2_000;
    const { ctx, abort } = makeContext(env);
    setTimeout(() => abort.abort(), 200);
    const run = ibmProvider.create(ctx);
    try {
      const outcomes = await run.resolve([ibmRef(`ibm-sm://${id}`)]);
      expectFailure(outcomes[0], 'Timeout');
    } finally {
      await run.close();
    }
  });

  it('is Invalid when the URL answers something that is not Secrets Manager JSON', async () => {
    const other = createServer((_, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html></html>'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const { outcomes } = await resolveIn({ ...env, SECRETS_MANAGER_URL: url }, [`ibm-sm://${id}`]);
      expectFailure(outcomes[0], 'Invalid', /not a JSON object/);
    } finally {
      other.close();
    }
  });
});

describe('settings that cannot work', () => {
  it.each([
    [{ SECRETS_MANAGER_URL: undefined }, /no Secrets Manager instance: set SECRETS_MANAGER_URL/],
    [{ SECRETS_MANAGER_URL: 'not a url' }, /SECRETS_MANAGER_URL is not a URL/],
    [{ SECRETS_MANAGER_URL: 'ftp://sm.example.com' }, /must be an https:\/\/ URL/],
    [{ SECRETS_MANAGER_AUTH_TYPE: 'basic' }, /'basic' is not supported: use one of iam, container, vpc, bearerToken/],
    [{ SECRETS_MANAGER_AUTH_TYPE: 'bearerToken' }, /auth type bearerToken: .*set SECRETS_MANAGER_BEARER_TOKEN/],
  ])('is Invalid before any request: %o', async (change, message) => {
    const run = { ...env, ...change } as Record<string, string | undefined>;
    for (const [k, v] of Object.entries(run)) if (v === undefined) delete run[k];
    const { outcomes } = await resolveIn(run as Record<string, string>, [`ibm-sm://${id}`]);
    expectFailure(outcomes[0], 'Invalid', message);
    expect(fakes.iam.requests.length + fakes.sm.requests.length).toBe(0);
  });

  it('takes the instance URL from IBM_CLOUD_SECRETS_MANAGER_URL, with or without the /api suffix', async () => {
    const run: Record<string, string> = { ...env, IBM_CLOUD_SECRETS_MANAGER_URL: `${fakes.sm.url}/api/` };
    delete run.SECRETS_MANAGER_URL;
    const { outcomes } = await resolveIn(run, [`ibm-sm://${id}`]);
    expect('value' in (outcomes[0] ?? {})).toBe(true);
  });

  it('refuses fallback= on an id reference', async () => {
    const { outcomes } = await resolveIn(env, [`ibm-sm://${id}?fallback=kv`]);
    expectFailure(outcomes[0], 'Invalid', /fallback= takes a secret type/);
  });
});
