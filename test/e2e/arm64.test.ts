// The arm64 executable (`npm run build -- --arch arm64`, made on x64 from the same pinned Node.js) run
// under Debian's qemu-user-static with the arm64 C libraries of the *-arm64-cross packages. CI builds
// it before the tests; elsewhere these tests run when it has been built.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_SETUPS } from '../support/provider-setups.js';
import { DIST, runBinary } from '../support/run-binary.js';

const ARM64 = join(DIST, 'secrets-exec-linux-arm64');
const QEMU = ['qemu-aarch64-static', '-L', '/usr/aarch64-linux-gnu', ARM64];
const required = process.env.CI === 'true';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'arm64-'));
  writeFileSync(join(dir, 'store.yaml'), 'db:\n  password: arm64-db-password-2f9\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(required || existsSync(ARM64))('the arm64 executable under qemu', () => {
  it('exists (CI builds it)', () => {
    expect(existsSync(ARM64)).toBe(true);
  });

  it('prints its version', async () => {
    const result = await runBinary(['--version'], { command: QEMU, timeoutMs: 60_000 });
    expect(result.stdout).toMatch(/^secrets-exec \d+\.\d+\.\d+\n$/);
  });

  it('checks references against the local store without printing the value', async () => {
    const store = join(dir, 'store.yaml');
    const result = await runBinary(['check', '--local-file', store], {
      command: QEMU,
      env: { DB: 'local://db#password' },
      timeoutMs: 60_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/DB\s+local:\/\/db#password\s+local/);
    expect(result.stdout + result.stderr).not.toContain('arm64-db-password-2f9');
  });

  it('resolves and execs the program (an x86-64 one, which qemu hands to the kernel)', async () => {
    const store = join(dir, 'store.yaml');
    const result = await runBinary(['--local-file', store, '--', 'sh', '-c', 'echo "DB=$DB"'], {
      command: QEMU,
      env: { DB: 'local://db#password' },
      timeoutMs: 60_000,
    });
    expect(result.stdout).toBe('DB=arm64-db-password-2f9\n');
  });

  it("loads a provider's chunk with the code cache made by the arm64 Node.js", async () => {
    const setup = await (PROVIDER_SETUPS.find((s) => s.name === 'aws')?.start() ??
      Promise.reject(new Error('no aws setup')));
    try {
      const result = await runBinary(['--log-level', 'debug', '--', 'sh', '-c', 'printf %s "$REF"'], {
        command: QEMU,
        env: setup.env,
        timeoutMs: 60_000,
      });
      expect(result.stdout).toBe(setup.value);
      expect(result.stderr).toContain('chunk aws: code cache accepted');
    } finally {
      await setup.close();
    }
  });

  it('reports detection with an explicit chain', async () => {
    const result = await runBinary(['detect', '--provider', 'local'], { command: QEMU, timeoutMs: 60_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/chain: local/);
  });
});
