// What an egress proxy costs (issue #18), against the loopback fakes and the loopback forward proxy:
//   - Vault (plain http, 20 references, token auth): direct, then through HTTP_PROXY (absolute-form);
//   - Google Secret Manager over https with 50 ms added to every answer, 50 references: direct (HTTP/2,
//     one connection), then through HTTPS_PROXY (HTTP/1.1 inside CONNECT tunnels, one per socket),
//     with the number of tunnels a run opens.
// Timed with async spawns (medians), so that the fakes in this process can answer while a run waits.
import { medianRun, printTable } from './measure.mjs';
import { importTs } from './ts-module.mjs';

export async function run({ binary }) {
  const { generateTlsFiles } = await importTs('test/fakes/vault-tls.ts');
  const { startGoogleFakes, TEST_PROJECT } = await importTs('test/fakes/gcp/google.ts');
  const { startFakeVault } = await importTs('test/fakes/vault.ts');
  const { startForwardProxy } = await importTs('test/fakes/forward-proxy.ts');
  const tls = generateTlsFiles();
  const proxy = await startForwardProxy();
  const vault = await startFakeVault();
  const google = await startGoogleFakes({ tls: { cert: tls.read(tls.serverCert), key: tls.read(tls.serverKey) } });
  try {
    const base = {
      PATH: '/usr/bin:/bin',
      METADATA_SERVER_DETECTION: 'none',
      SECRETS_EXEC_METADATA_URL: 'http://127.0.0.1:1',
    };
    const exec = [binary, '--', 'true'];
    vault.mountKv('secret', 2);
    for (let i = 0; i < 20; i++) vault.putSecret('secret', `bench/s${i}`, { value: `value-${i}` });
    vault.putPolicy('app', { 'secret/data/bench/*': ['read'] });
    const vaultRefs = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`V${i}`, `vault://secret/bench/s${i}#value`]),
    );
    const vaultEnv = {
      ...base,
      VAULT_ADDR: vault.url,
      VAULT_TOKEN: vault.issueToken({ policies: ['app'] }),
      ...vaultRefs,
    };
    const vaultDirect = await medianRun(exec, vaultEnv);
    const vaultProxied = await medianRun(exec, { ...vaultEnv, HTTP_PROXY: proxy.url });

    for (let i = 0; i < 50; i++) google.sm.addVersion(`projects/${TEST_PROJECT}/secrets/s${i}`, `value-${i}`);
    google.sm.latencyMs = 50;
    google.oauth.latencyMs = 50;
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`S${i}`, `gcp-sm://s${i}`]));
    const gcpEnv = { ...base, ...google.keyFileEnv(), SECRETS_EXEC_CA_FILE: tls.caCert, ...fifty };
    const gcpDirect = await medianRun(exec, gcpEnv, 9);
    proxy.log.length = 0;
    const gcpProxied = await medianRun(exec, { ...gcpEnv, HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url }, 9);
    const tunnels = proxy.log.filter((e) => e.method === 'CONNECT').length / 10;

    printTable(
      ['run (secrets-exec -- true)', 'median ms'],
      [
        ['vault, 20 references, direct', vaultDirect.toFixed(1)],
        ['vault, 20 references, through HTTP_PROXY', vaultProxied.toFixed(1)],
        ['gcp https, 50 references at 50 ms, direct (HTTP/2, 1 connection)', gcpDirect.toFixed(1)],
        [
          `gcp https, 50 references at 50 ms, through HTTPS_PROXY (HTTP/1.1, ${tunnels} tunnels a run)`,
          gcpProxied.toFixed(1),
        ],
      ],
    );
  } finally {
    await Promise.all([proxy.close(), vault.close(), google.close()]);
    tls.remove();
  }
}
