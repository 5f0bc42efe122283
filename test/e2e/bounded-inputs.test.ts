// Every file secrets-exec reads has a size cap (issue 14): a path that names a device that never ends fails
// quickly with one line naming the option and the file, and nothing is started.
import { describe, expect, it } from 'vitest';
import { FIXTURES, runBinary } from '../support/run-binary.js';

const printEnv = `${FIXTURES}/print-env.sh`;

describe('files larger than anything secrets-exec reads', () => {
  it.each([
    ['--env-file', ['--env-file', '/dev/zero', '--', printEnv], {}],
    ['--local-file', ['--local-file', '/dev/zero', '--', printEnv], { X: 'local://x' }],
    ['--ansible-vault', ['--ansible-vault', '/dev/zero', '--ansible-vault-password', 'local://pw', '--', printEnv], {}],
    ['SECRETS_EXEC_ENV_FILE', ['--', printEnv], { SECRETS_EXEC_ENV_FILE: '/dev/urandom' }],
  ])('%s /dev/zero fails at once with exit 125 and names the file', async (_what, args, env) => {
    const result = await runBinary(args, { env, timeoutMs: 10_000 });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/larger than 4 MiB, more than secrets-exec reads from any file/);
    expect(result.stderr).toMatch(/\/dev\/(zero|urandom)/);
  });

  it("a provider's token file is capped too (VAULT_TOKEN_FILE=/dev/zero)", async () => {
    const result = await runBinary(['--', printEnv], {
      env: { VAULT_ADDR: 'http://127.0.0.1:1', VAULT_TOKEN_FILE: '/dev/zero', X: 'vault://secret/x' },
      timeoutMs: 10_000,
    });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/VAULT_TOKEN_FILE \/dev\/zero: larger than 4 MiB/);
  });
});
