// What the Node.js runtime inside secrets-exec would otherwise do at the process boundary: act on its own
// variables, close inherited descriptors, deliver a terminal's Ctrl-C twice. And the runtime's limits
// that remain, pinned so that a change is noticed (README, security model).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_SETUPS, type RunningSetup } from '../support/provider-setups.js';
import { BASE_ENV, BINARY, FIXTURES, NODE, runBinary } from '../support/run-binary.js';

let dir: string;
let vault: RunningSetup;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'isolation-'));
  vault = await (PROVIDER_SETUPS.find((s) => s.name === 'vault')?.start() ??
    Promise.reject(new Error('no vault setup')));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await vault.close();
});

describe("Node.js's own variables", () => {
  it('have no effect on secrets-exec and reach the program untouched', async () => {
    const nodeEnv = {
      NODE_DEBUG: 'net,http,tls,fetch',
      NODE_DEBUG_NATIVE: 'worker',
      NODE_V8_COVERAGE: join(dir, 'coverage'),
      NODE_COMPILE_CACHE: join(dir, 'compile-cache'),
      NODE_REDIRECT_WARNINGS: join(dir, 'warnings.txt'),
      NODE_TLS_REJECT_UNAUTHORIZED: '0',
      NODE_REPL_HISTORY: join(dir, 'repl'),
      UV_THREADPOOL_SIZE: '1',
      NODE_OPTIONS: '--require ./does-not-exist.js',
    };
    const names = Object.keys(nodeEnv);
    const script = `for v in ${names.join(' ')} REF; do eval "echo $v=\\\${$v}"; done`;
    const result = await runBinary(['--log-level', 'debug', '--', 'sh', '-c', script], {
      env: { ...vault.env, ...nodeEnv },
    });
    expect(result.status).toBe(0);
    // NODE_DEBUG=net,http would print request headers (the Vault token) from inside the runtime.
    expect(result.stderr).not.toMatch(/^(NET|HTTP|TLS|FETCH) \d+/m);
    expect(result.stderr).not.toMatch(/X-Vault-Token|hvs\./i);
    const lines = result.stdout.trim().split('\n');
    for (const [name, value] of Object.entries(nodeEnv)) expect(lines).toContain(`${name}=${value}`);
    expect(lines).toContain(`REF=${vault.value}`);
    // Nothing written by the runtime: no coverage, no compile cache, no warnings file.
    expect(readdirSync(dir)).toEqual([]);
  });

  it("cannot turn off certificate checks (NODE_TLS_REJECT_UNAUTHORIZED=0 is the program's)", async () => {
    const { generateTlsFiles } = await import('../fakes/vault-tls.js');
    const { startFakeVault } = await import('../fakes/vault.js');
    const tls = generateTlsFiles();
    const tlsVault = await startFakeVault({ tls: { cert: tls.read(tls.serverCert), key: tls.read(tls.serverKey) } });
    try {
      const token = tlsVault.rootToken;
      const result = await runBinary(['--', 'true'], {
        env: {
          VAULT_ADDR: tlsVault.url,
          VAULT_TOKEN: token,
          REF: 'vault://secret/x',
          NODE_TLS_REJECT_UNAUTHORIZED: '0',
        },
      });
      expect(result.status).toBe(125);
      expect(result.stderr).toMatch(/certificate/i);
    } finally {
      await tlsVault.close();
      tls.remove();
    }
  });
});

describe('inherited descriptors', () => {
  it('socket activation (LISTEN_FDS, LISTEN_PID, a listening socket on fd 3) works through secrets-exec', async () => {
    const result = await runBinary(
      [join(FIXTURES, 'socket-activate.cjs'), BINARY, '--', NODE, join(FIXTURES, 'serve-fd3.cjs')],
      {
        command: [NODE],
        env: vault.env,
      },
    );
    expect(result.stderr).not.toMatch(/not activated/);
    expect(result.stdout).toBe(`served on fd 3 with REF=${vault.value}\n`);
    expect(result.status).toBe(0);
  });
});

describe('a terminal', () => {
  it('delivers Ctrl-C once to a supervised program (the terminal signals the whole foreground group)', async () => {
    const program =
      `trap 'n=$((n+1)); echo "INT $n"' INT; echo ready; ` +
      'i=0; while [ $i -lt 20 ]; do sleep 0.05; i=$((i+1)); done; echo "done $n"';
    const inner = `'${BINARY}' --supervise -- sh -c '${program.replace(/'/g, "'\\''")}'`;
    const child = spawn('script', ['-qec', inner, '/dev/null'], { env: { ...BASE_ENV, ...vault.env } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (!out.includes('ready') && (out + d).includes('ready')) child.stdin.write('\x03');
      out += d;
    });
    await new Promise((resolve) => child.on('close', resolve));
    expect(out).toMatch(/INT 1/);
    expect(out).not.toMatch(/INT 2/);
    expect(out).toMatch(/done 1/);
  });
});

describe('limits of the runtime that remain (README: security model)', () => {
  it('the soft open-files limit reaches the program raised to the hard limit', async () => {
    const result = await runBinary(['--nofile=512:4096', BINARY, '--', 'sh', '-c', 'ulimit -Sn'], {
      command: ['prlimit'],
    });
    expect(result.stdout.trim()).toBe('4096');
  });

  it('a signal the parent left ignored reaches the program with its default disposition', async () => {
    const result = await runBinary(['-c', `trap '' HUP; exec "${BINARY}" -- grep SigIgn /proc/self/status`], {
      command: ['sh'],
    });
    expect(result.stdout).toMatch(/SigIgn:\s+0000000000000000/);
  });

  it('no file is left behind by the runtime', () => {
    expect(existsSync(join(dir, 'coverage'))).toBe(false);
  });
});
