// The fakes of every cloud provider for the polling benchmark (bench/watch.bench.mjs): each holds REFS
// secrets, gives the variables that point secrets-exec at it with REFS references, and counts what it was
// asked (the store's requests and, apart, the logins: token requests to Google's OAuth or IBM's IAM).
// The fakes run in this process; the watching executable is spawned asynchronously, so they can answer.
import { importTs } from './ts-module.mjs';

const names = (refs) => Array.from({ length: refs }, (_, i) => i);

async function aws(refs) {
  const { startAwsFake, awsTestEnv } = await importTs('test/fakes/aws.ts');
  const fake = await startAwsFake();
  for (const i of names(refs)) fake.putSecret(`bench/s${i}`, `aws-value-${i}`);
  const env = { ...awsTestEnv(fake) };
  for (const i of names(refs)) env[`S${i}`] = `aws-sm://bench/s${i}`;
  return { env, requests: () => fake.requests.length, logins: () => 0, close: () => fake.close() };
}

async function gcp(refs) {
  const { startGoogleFakes, TEST_PROJECT } = await importTs('test/fakes/gcp/google.ts');
  const fakes = await startGoogleFakes();
  for (const i of names(refs)) fakes.sm.addVersion(`projects/${TEST_PROJECT}/secrets/s${i}`, `gcp-value-${i}`);
  const env = { ...fakes.keyFileEnv(), METADATA_SERVER_DETECTION: 'none' };
  for (const i of names(refs)) env[`S${i}`] = `gcp-sm://s${i}`;
  return {
    env,
    requests: () => fakes.sm.requests.length,
    logins: () => fakes.oauth.requests.length,
    close: () => fakes.close(),
  };
}

async function oci(refs) {
  const { startOciFake, VAULT } = await importTs('test/fakes/oci/secrets.ts');
  const { apiKeyEnv, makeOciKeys } = await importTs('test/fakes/oci/test-env.ts');
  const fake = await startOciFake();
  const keys = makeOciKeys(fake);
  const env = { ...apiKeyEnv(fake, keys) };
  for (const i of names(refs)) env[`S${i}`] = `oci-vault://${fake.putSecret(VAULT, `s${i}`, `oci-value-${i}`)}`;
  const close = async () => {
    keys.remove();
    await fake.close();
  };
  return { env, requests: () => fake.requests.length, logins: () => 0, close };
}

async function ibm(refs) {
  const { startIbmFakes, ibmTestEnv } = await importTs('test/fakes/ibm/index.ts');
  const fakes = await startIbmFakes();
  const env = { ...ibmTestEnv(fakes) };
  for (const i of names(refs)) {
    const { id } = fakes.sm.putSecret({ type: 'arbitrary', name: `s${i}`, fields: { payload: `ibm-value-${i}` } });
    env[`S${i}`] = `ibm-sm://${id}`;
  }
  return {
    env,
    requests: () => fakes.sm.requests.length,
    logins: () => fakes.iam.requests.length,
    close: () => fakes.close(),
  };
}

/** [provider, start(refs)] for every cloud provider. */
export const CLOUD_FAKES = [
  ['aws', aws],
  ['gcp', gcp],
  ['oci', oci],
  ['ibm', ibm],
];
