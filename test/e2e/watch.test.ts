// --watch end to end: the built executable against the fake Vault. A value changed in Vault restarts the
// program (a new PID, TERM to the old one), signal:HUP reaches the same program, exit stops it with 75,
// an outage keeps it running (and --watch-fail-after ends it), and the watching supervisor's
// /proc/PID/environ holds no credential although it keeps resolving.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVault, type FakeVault } from '../fakes/vault.js';
import { FIXTURES } from '../support/run-binary.js';
import { startWatching, type Running } from '../support/watching.js';

const FIRST = 'watch-e2e-first-4d1a';
const SECOND = 'watch-e2e-second-8b2e';
const PROGRAM = ['--', '/bin/sh', join(FIXTURES, 'watch-program.sh')];

let vault: FakeVault;
let token: string;

beforeAll(async () => {
  vault = await startFakeVault();
  vault.mountKv('secret', 2);
  vault.putPolicy('app', { 'secret/data/app/*': ['read'] });
  token = vault.issueToken({ policies: ['app'] });
});
afterAll(() => vault.close());
afterEach(() => vault.unseal());

const start = (args: readonly string[]): Running =>
  startWatching([...args, ...PROGRAM], {
    VAULT_ADDR: vault.url,
    VAULT_TOKEN: token,
    DB_PASSWORD: 'vault://secret/app/db#password',
  });

function expectNoValues(run: Running): void {
  for (const value of [FIRST, SECOND, token]) expect(run.stderr).not.toContain(value);
}

describe('--watch', () => {
  it('restarts the program with the new value when it changed in Vault; the old one got TERM', async () => {
    vault.putSecret('secret', 'app/db', { password: FIRST });
    const run = start(['--watch', '1s', '--log-level', 'debug']);
    const [, firstPid] = await run.waitFor(new RegExp(`start (\\d+) ${FIRST}`));
    // What the program could read of its parent: no credential, although the supervisor still uses it.
    const environ = readFileSync(`/proc/${run.pid}/environ`, 'latin1');
    expect(environ).not.toContain(token);
    expect(environ).toContain('VAULT_TOKEN=\0');
    vault.putSecret('secret', 'app/db', { password: SECOND });
    const [, secondPid] = await run.waitFor(new RegExp(`start (\\d+) ${SECOND}`));
    expect(secondPid).not.toBe(firstPid);
    expect(run.stdout).toContain(`term ${firstPid}`);
    expect(run.stderr).toMatch(/changed: DB_PASSWORD; restarting the program/);
    run.signal('SIGTERM');
    expect(await run.done).toBe(0);
    expect(run.stdout).toContain(`term ${secondPid}`);
    expectNoValues(run);
  });

  it('sees a change in a provider made afresh for each poll (the local store file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watch-local-'));
    const store = join(dir, 'store.json');
    writeFileSync(store, JSON.stringify({ db: FIRST }));
    try {
      const run = startWatching(['--watch', '1s', ...PROGRAM], {
        SECRETS_EXEC_LOCAL_FILE: store,
        DB_PASSWORD: 'local://db',
      });
      await run.waitFor(new RegExp(`start \\d+ ${FIRST}`));
      writeFileSync(store, JSON.stringify({ db: SECOND }));
      await run.waitFor(new RegExp(`start \\d+ ${SECOND}`));
      run.signal('SIGTERM');
      expect(await run.done).toBe(0);
      // The store's warning once, not once per poll.
      expect(run.stderr.match(/local development store/g)).toHaveLength(1);
      expectNoValues(run);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends signal:HUP to the same program', async () => {
    vault.putSecret('secret', 'app/db', { password: FIRST });
    const run = start(['--watch', '1s', '--on-change', 'signal:HUP']);
    const [, pid] = await run.waitFor(/start (\d+)/);
    vault.putSecret('secret', 'app/db', { password: SECOND });
    await run.waitFor(new RegExp(`hup ${pid}`));
    expect(run.stdout.match(/start/g)).toHaveLength(1);
    run.signal('SIGTERM');
    expect(await run.done).toBe(0);
    expectNoValues(run);
  });

  it('exit: stops the program and exits with 75', async () => {
    vault.putSecret('secret', 'app/db', { password: FIRST });
    const run = start(['--watch', '1s', '--on-change', 'exit']);
    const [, pid] = await run.waitFor(/start (\d+)/);
    vault.putSecret('secret', 'app/db', { password: SECOND });
    expect(await run.done).toBe(75);
    expect(run.stdout).toContain(`term ${pid}`);
    expectNoValues(run);
  });

  it('keeps the program running through an outage, then --watch-fail-after ends it with 75', async () => {
    vault.putSecret('secret', 'app/db', { password: FIRST });
    const run = start(['--watch', '1s', '--timeout', '500ms', '--watch-fail-after', '4s']);
    const [, pid] = await run.waitFor(/start (\d+)/);
    vault.seal();
    const started = Date.now();
    while (!/could not resolve again/.test(run.stderr) && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Sealed Vault answers 503 (Unavailable); on a loaded machine the 500 ms deadline may end the quick
    // retries first (Timeout). Either way the program keeps running.
    expect(run.stderr).toMatch(
      /warn: could not resolve again \(ResolutionFailed: (Unavailable|Timeout)\); the program keeps/,
    );
    expect(run.stdout).not.toContain('term');
    expect(await run.done).toBe(75);
    expect(run.stdout).toContain(`term ${pid}`);
    expect(run.stdout.match(/start/g)).toHaveLength(1);
    expect(run.stderr).toMatch(/resolving again has failed for \d+ ms/);
    expectNoValues(run);
  });
});
