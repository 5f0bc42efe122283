// A provider's own credential holding a reference (issue 14): the provider would read it as written and send
// it to its store, so the run is refused before any request, with a line naming the variable and the scheme.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runBinary } from '../support/run-binary.js';

const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-own-vars-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = join(dir, 'store.json');
writeFileSync(store, JSON.stringify({ vt: 'tok-from-local-store', x: 'plain' }));

describe("a reference in a provider's own variable", () => {
  it('VAULT_TOKEN=local://vt refuses the Vault reference and starts nothing', async () => {
    const result = await runBinary(['--local-file', store, '--', `${FIXTURES}/print-env.sh`], {
      env: { VAULT_ADDR: 'http://127.0.0.1:1', VAULT_TOKEN: 'local://vt', DB: 'vault://secret/db#password' },
    });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /DB: vault:\/\/secret\/db#password via vault: Invalid: VAULT_TOKEN holds a local:\/\/ reference, but vault reads/,
    );
    expect(result.stderr).not.toMatch(/tok-from-local-store/);
  });

  it('is fine when that provider is not used: the program may get the resolved value', async () => {
    const result = await runBinary(['--local-file', store, '--', `${FIXTURES}/print-env.sh`], {
      env: { VAULT_TOKEN: 'local://vt', X: 'local://x' },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^X=plain$/m);
  });
});
