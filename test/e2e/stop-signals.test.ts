// Signals that reach secrets-exec before the exec: TERM, INT, HUP and QUIT stop resolution, the Vault
// token obtained by login is revoked, one line says so, the status is 128+N and no program starts —
// also as PID 1, where the kernel would drop a signal that has no handler. USR1 never opens a debugger.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVault, type FakeVault } from '../fakes/vault.js';
import { BINARY, runBinary } from '../support/run-binary.js';

let vault: FakeVault;
const READ_DELAY_MS = 1500;

beforeAll(async () => {
  vault = await startFakeVault();
  vault.mountKv('secret', 2);
  vault.putSecret('secret', 'app/db', { password: 'signal-test-password-41c' });
  vault.putPolicy('app', { 'secret/data/app/*': ['read'] });
  vault.enableAppRole({ role: 'app', roleId: 'signal-role', policies: ['app'] });
  // The login answers at once; the read of the secret is held, so that a signal lands mid-resolution.
  vault.delay = (request) => (request.path.startsWith('secret/data/') ? READ_DELAY_MS : 0);
});
afterAll(() => vault.close());
afterEach(() => {
  vault.requests.length = 0;
});

const vaultEnv = (): Record<string, string> => ({
  VAULT_ADDR: vault.url,
  VAULT_ROLE_ID: 'signal-role',
  VAULT_SECRET_ID: vault.issueSecretId('app'),
  DB: 'vault://secret/app/db#password',
});

/** Resolves once the fake Vault has been asked for the secret (the login is done by then). */
async function readStarted(): Promise<void> {
  for (let i = 0; i < 200 && !vault.requests.some((r) => r.path.startsWith('secret/data/')); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Host PIDs of `pid`'s children (unshare -f's child is secrets-exec as PID 1 of the new namespace). */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
}

function listening(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .some((l) => l.split(/\s+/)[2]?.endsWith(hex) && l.split(/\s+/)[4] === '0A'),
  );
}

describe('a stop signal during resolution', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
    ['SIGQUIT', 131],
  ] as const)('%s stops the run with %d, revokes the login token and starts nothing', async (signal, status) => {
    const result = await runBinary(['--', 'sh', '-c', 'echo started'], {
      env: vaultEnv(),
      onSpawn: (pid) => void readStarted().then(() => process.kill(pid, signal)),
    });
    expect(result.status).toBe(status);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`stopped by ${signal} before the program started`));
    expect(
      result.stderr
        .trim()
        .split('\n')
        .filter((l) => l.includes('error:')),
    ).toEqual([]);
    const [token] = vault.loginTokens('approle').slice(-1);
    expect(token).toBeDefined();
    expect(vault.isTokenLive(token ?? '')).toBe(false);
  });

  it('stops a --watch run during its first resolution, revoking the login kept for the polls', async () => {
    const result = await runBinary(['--watch', '1m', '--', 'sh', '-c', 'echo started'], {
      env: vaultEnv(),
      onSpawn: (pid) => void readStarted().then(() => process.kill(pid, 'SIGTERM')),
    });
    expect(result.status).toBe(143);
    expect(result.stdout).toBe('');
    const [token] = vault.loginTokens('approle').slice(-1);
    expect(token).toBeDefined();
    expect(vault.isTokenLive(token ?? '')).toBe(false);
  });

  it('stops secrets-exec running as PID 1, which the kernel would otherwise not let TERM kill', async () => {
    const result = await runBinary(['-fp', '--mount-proc', BINARY, '--', 'sh', '-c', 'echo started'], {
      command: ['unshare'],
      env: vaultEnv(),
      onSpawn: (pid) =>
        void readStarted().then(() => {
          const [inner] = childrenOf(pid);
          if (inner !== undefined) process.kill(inner, 'SIGTERM');
        }),
    });
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/stopped by SIGTERM before the program started/);
    expect(result.status).toBe(143);
  });

  it('USR1 opens no inspector and does not stop the run', async () => {
    let sawListener = false;
    const result = await runBinary(['--', 'sh', '-c', 'echo "DB=$DB"'], {
      env: vaultEnv(),
      onSpawn: (pid) =>
        void readStarted().then(async () => {
          process.kill(pid, 'SIGUSR1');
          for (let i = 0; i < 20; i++) {
            await new Promise((resolve) => setTimeout(resolve, 25));
            sawListener ||= listening(9229);
          }
        }),
    });
    expect(sawListener).toBe(false);
    expect(result.stderr).not.toMatch(/Debugger listening/);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('DB=signal-test-password-41c\n');
  });

  it('USR1 at start-up, before any JavaScript runs, opens no inspector either', async () => {
    let sawListener = false;
    const result = await runBinary(['--', 'sh', '-c', 'sleep 0.5; echo done'], {
      onSpawn: (pid) =>
        void (async () => {
          for (let i = 0; i < 5; i++) {
            try {
              process.kill(pid, 'SIGUSR1');
            } catch {
              return;
            }
            await new Promise((resolve) => setTimeout(resolve, 5));
            sawListener ||= listening(9229);
          }
        })(),
    });
    expect(sawListener || listening(9229)).toBe(false);
    expect(result.stderr).not.toMatch(/Debugger listening/);
    // Once the program runs, USR1 is its own: sh dies of it (status 138) unless it arrived before the exec.
    expect([0, 138, null]).toContain(result.status);
  });
});
