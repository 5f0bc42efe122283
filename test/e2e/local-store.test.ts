// End-to-end runs of the executable against the local development store: resolution, fail-closed,
// the redacted `check` table, and that no value reaches stderr at any log level.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runBinary, envOf } from '../support/run-binary.js';

const VALUES = ['s3cr3t-db-password', 'example-api-key-1234', 'sk_test_example'];
const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-local-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = join(ROOT, 'examples', 'secrets.yaml');
const printEnv = `${FIXTURES}/print-env.sh`;

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe('resolving from the local store', () => {
  it("runs the quick start: the example env file resolves into the program's environment", async () => {
    const result = await runBinary([
      '--local-file',
      store,
      '--env-file',
      join(ROOT, 'examples', 'app.env'),
      '--',
      printEnv,
    ]);
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({
      DB_USER: 'app',
      DB_PASSWORD: 's3cr3t-db-password',
      API_KEY: 'example-api-key-1234',
      STRIPE_SECRET: 'sk_test_example',
    });
    expect(result.stderr).toMatch(/warn: using the local development store: it is not for production/);
    expect(result.stderr).toMatch(/info: resolved 4 secrets from local in \d+ ms/);
  });

  it('resolves references in the environment and passes other values through untouched', async () => {
    const result = await runBinary(['--', printEnv], {
      env: {
        SECRETS_EXEC_LOCAL_FILE: store,
        API_KEY: 'local://api-key',
        DATABASE_URL: 'postgres://u:p@db/x',
        PLAIN: 'urn:not-a-ref',
      },
    });
    expect(envOf(result.stdout)).toMatchObject({
      API_KEY: 'example-api-key-1234',
      DATABASE_URL: 'postgres://u:p@db/x',
      PLAIN: 'urn:not-a-ref',
    });
    expect(envOf(result.stdout)).not.toHaveProperty('SECRETS_EXEC_LOCAL_FILE');
  });

  it.each([
    ['JSON', 'store.json', '{"k": "from-json", "m": {"a": 1}}'],
    ['YAML', 'store.yaml', 'k: from-yaml\nm:\n  a: 1\n'],
    ['dotenv', 'store.env', 'k=from-dotenv\nm={"a": 1}\n'],
  ])('reads a %s store', async (_, name, text) => {
    const result = await runBinary(['--local-file', file(name, text), '--', printEnv], {
      env: { K: 'local://k', A: 'local://m#a' },
    });
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ K: expect.stringMatching(/^from-/), A: '1' });
  });

  it('leaves an optional missing reference unset', async () => {
    const result = await runBinary(['--local-file', store, '--', printEnv], {
      env: { GONE: 'local://nothing?optional', KEYGONE: 'local://api-key#x?optional' },
    });
    expect(result.status).toBe(125); // #x on a non-JSON value is Invalid, which optional does not excuse
    const only = await runBinary(['--local-file', store, '--', printEnv], {
      env: { GONE: 'local://nothing?optional' },
    });
    expect(only.status).toBe(0);
    expect(envOf(only.stdout)).not.toHaveProperty('GONE');
  });

  it('loads every key of a map with --load, prefix and upcase', async () => {
    const result = await runBinary([
      '--local-file',
      store,
      '--load',
      'local://stripe?prefix=stripe_&upcase',
      '--',
      printEnv,
    ]);
    expect(envOf(result.stdout)).toMatchObject({
      STRIPE_PUBLISHABLE: 'pk_test_example',
      STRIPE_SECRET: 'sk_test_example',
    });
  });
});

describe('failing closed', () => {
  it.each([
    [
      'a missing secret',
      { X: 'local://nope' },
      [],
      /^secrets-exec: error: X: local:\/\/nope via local: NotFound: no key 'nope'/m,
    ],
    [
      'a missing key',
      { X: 'local://callableapis/db#nokey' },
      [],
      /X: local:\/\/callableapis\/db#nokey via local: NotFound: the secret has no key 'nokey'/,
    ],
    [
      '#key on a value that is not JSON',
      { X: 'local://api-key#k' },
      [],
      /X: local:\/\/api-key#k via local: Invalid: the secret is not JSON/,
    ],
    ['a malformed reference', { X: 'vault://onlymount' }, [], /X: vault:\/\/onlymount via none: Invalid: Vault path/],
    [
      'secret:// with no tier',
      { X: 'secret://db' },
      ['--provider', 'local', '--local-file', '/nonexistent.yaml'],
      /X: secret:\/\/db via local: Invalid: local store \/nonexistent.yaml: cannot read it \(ENOENT\)/,
    ],
    [
      'an unreadable env file',
      {},
      ['--env-file', '/nonexistent.env'],
      /--env-file \/nonexistent.env: cannot read it \(ENOENT\)/,
    ],
    [
      'an unknown scheme in an env file',
      {},
      ['--env-file', 'UNKNOWN'],
      /A: .* holds something that is not a reference/,
    ],
    [
      'a variable --load would silently override',
      { PUBLISHABLE: 'set' },
      ['--load', 'local://stripe?upcase'],
      new RegExp(
        '--load: local:\\/\\/stripe\\?upcase via local: Invalid: ' +
          'PUBLISHABLE is already set in the environment; add \\?override',
      ),
    ],
    [
      'an environment too large for exec',
      { BIG: 'local://big' },
      ['--local-file', 'BIGSTORE'],
      /BIG: the value is \d+ bytes/,
    ],
  ])('stops on %s with 125, one line, and no child', async (_, env, args, message) => {
    const argv = args.map((a) =>
      a === 'UNKNOWN'
        ? file('unknown.env', 'A=postgres://u:p@h/db\n')
        : a === 'BIGSTORE'
          ? file('big.json', JSON.stringify({ big: 'x'.repeat(140_000) }))
          : a,
    );
    const result = await runBinary(
      [
        ...(argv.includes('--local-file') ? [] : ['--local-file', store]),
        ...argv,
        '--',
        'sh',
        '-c',
        'echo CHILD STARTED',
      ],
      { env },
    );
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n').filter((l) => l.includes('error:'))).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('reports every failed variable, one line each', async () => {
    const result = await runBinary(['--local-file', store, '--', 'true'], { env: { A: 'local://a', B: 'local://b' } });
    expect(result.stderr.split('\n').filter((l) => l.startsWith('secrets-exec: error:'))).toHaveLength(2);
  });
});

describe('the local store reads every format by the same rules', () => {
  const run = (store: string, env: Record<string, string>) =>
    runBinary(['--local-file', store, '--', printEnv], { env });

  it.each([
    ['dup.json', '{\n  "db": "first-VALUE",\n  "db": "second-VALUE"\n}\n', 3, 3],
    ['dup.yaml', 'db: first-VALUE\ndb: second-VALUE\n', 2, 1],
    ['dup.env', 'db=first-VALUE\ndb=second-VALUE\n', 2, 1],
  ])('%s: a duplicate key stops the start, naming file, key, line and column', async (name, text, line, column) => {
    const path = file(name, text);
    const result = await run(path, { X: 'local://db' });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `local store ${path}: duplicate key 'db' (line ${line}, column ${column}): each key may appear once`,
    );
    expect(result.stderr).not.toMatch(/VALUE/);
  });

  it.each([
    ['bom.json', '\uFEFF{"db": "bom-json"}'],
    ['bom.yaml', '\uFEFFdb: bom-yaml\n'],
    ['bom.env', '\uFEFFdb=bom-env\n'],
  ])('%s: a byte order mark is skipped', async (name, text) => {
    const result = await run(file(name, text), { X: 'local://db' });
    expect(result.status).toBe(0);
    expect(envOf(result.stdout).X).toBe(`bom-${name.split('.')[1]}`);
  });

  it('hands on !!binary as the text its bytes spell, and refuses bytes that are not text', async () => {
    const ok = await run(file('bin.yaml', `db: !!binary ${Buffer.from('bin-text-✓').toString('base64')}\n`), {
      X: 'local://db',
    });
    expect(envOf(ok.stdout).X).toBe('bin-text-✓');
    const bad = await run(file('bad.yaml', 'a: 1\ndb: !!binary /w==\n'), { X: 'local://db' });
    expect(bad.status).toBe(125);
    expect(bad.stderr).toMatch(/the !!binary value of 'db' \(line 2, column 14\) is not UTF-8 text/);
  });

  it('a parse error names the file, line and column, and quotes nothing', async () => {
    const path = file('broken.json', '{\n  "db": "leak-VALUE",\n  "x" 1\n}\n');
    const result = await run(path, { X: 'local://db' });
    expect(result.status).toBe(125);
    expect(result.stderr).toContain(`local store ${path}: not valid JSON (line 3, column 7)`);
    expect(result.stderr).not.toMatch(/VALUE/);
  });
});

describe('no value ever reaches stderr or check', () => {
  const env = {
    DB: 'local://callableapis/db#password',
    API_KEY: 'local://api-key',
    MISSING: 'local://callableapis/db#nokey',
  };

  it.each(['error', 'warn', 'info', 'debug'])('at log level %s, text and json', async (level) => {
    for (const format of ['text', 'json']) {
      const ok = await runBinary(
        [
          '--local-file',
          store,
          '--log-level',
          level,
          '--log-format',
          format,
          '--load',
          'local://stripe?upcase',
          '--',
          'true',
        ],
        { env: { DB: env.DB, API_KEY: env.API_KEY } },
      );
      const failed = await runBinary(
        ['--local-file', store, '--log-level', level, '--log-format', format, '--', 'true'],
        { env },
      );
      expect(ok.status).toBe(0);
      expect(failed.status).toBe(125);
      for (const value of VALUES) {
        expect(ok.stderr).not.toContain(value);
        expect(failed.stderr).not.toContain(value);
      }
    }
  });

  it('check prints provenance and length, never the value, and no fingerprint without a key', async () => {
    const result = await runBinary(['check', '--local-file', store, '--env-file', join(ROOT, 'examples', 'app.env')]);
    expect(result.status).toBe(0);
    for (const value of VALUES) expect(result.stdout + result.stderr).not.toContain(value);
    expect(result.stdout).toMatch(/^VARIABLE\s+REFERENCE\s+PROVIDER\s+VERSION\s+LENGTH\s+STATUS$/m);
    expect(result.stdout).toMatch(/^DB_PASSWORD\s+secret:\/\/callableapis\/db#password\s+local\s+-\s+18\s+ok$/m);
  });

  it('check with SECRETS_EXEC_CHECK_KEY prints a keyed fingerprint that changes with the key', async () => {
    const args = ['check', '--local-file', store, '--env-file', join(ROOT, 'examples', 'app.env')];
    const row = /^DB_PASSWORD\s+\S+\s+local\s+-\s+18\s+([0-9a-f]{16})\s+ok$/m;
    const a = await runBinary(args, { env: { SECRETS_EXEC_CHECK_KEY: 'a'.repeat(32) } });
    const b = await runBinary(args, { env: { SECRETS_EXEC_CHECK_KEY: 'b'.repeat(32) } });
    expect(a.stdout).toMatch(/^VARIABLE\s+REFERENCE\s+PROVIDER\s+VERSION\s+LENGTH\s+FINGERPRINT\s+STATUS$/m);
    expect(row.exec(a.stdout)?.[1]).toBeDefined();
    expect(row.exec(a.stdout)?.[1]).not.toBe(row.exec(b.stdout)?.[1]);
    expect(a.stdout + a.stderr).not.toContain('a'.repeat(32));
    const short = await runBinary(args, { env: { SECRETS_EXEC_CHECK_KEY: 'short' } });
    expect(short.status).toBe(125);
    expect(short.stderr).toMatch(/SECRETS_EXEC_CHECK_KEY is shorter than 32 characters/);
    expect(short.stderr).not.toMatch(/short\b(?! than)/);
  });

  it('check prints every row when one reference fails, the failed one with its class, and exits 125', async () => {
    const result = await runBinary(['check', '--local-file', store], {
      env: { API_KEY: 'local://api-key', MISSING: 'local://no-such-key', BAD: 'local://' },
    });
    expect(result.status).toBe(125);
    expect(result.stdout).toMatch(/^API_KEY\s+local:\/\/api-key\s+local\s+-\s+20\s+ok$/m);
    expect(result.stdout).toMatch(/^MISSING\s+local:\/\/no-such-key\s+local\s+-\s+-\s+failed: NotFound$/m);
    expect(result.stdout).toMatch(/^BAD\s+local:\/\/\s+none\s+-\s+-\s+failed: Invalid$/m);
    expect(result.stderr).toMatch(/error: MISSING: local:\/\/no-such-key via local: NotFound/);
    for (const value of VALUES) expect(result.stdout + result.stderr).not.toContain(value);
  });

  it('check --log-format json prints one JSON record per variable, never the value', async () => {
    const result = await runBinary([
      'check',
      '--log-format',
      'json',
      '--local-file',
      store,
      '--env-file',
      join(ROOT, 'examples', 'app.env'),
    ]);
    const records = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.variable)).toEqual(['API_KEY', 'DB_PASSWORD', 'DB_USER', 'STRIPE_SECRET']);
    expect(records[1]).toMatchObject({
      reference: 'secret://callableapis/db#password',
      provider: 'local',
      length: 18,
      status: 'ok',
    });
    for (const value of VALUES) expect(result.stdout + result.stderr).not.toContain(value);
  });

  it("puts no value on any command line: not the program's, not its own", async () => {
    // The program reads its own argv from /proc (no-disk-writes.test.ts checks the execve calls themselves).
    const result = await runBinary(['--local-file', store, '--', 'sh', '-c', 'tr "\\0" " " < /proc/$$/cmdline'], {
      env: { DB: 'local://callableapis/db#password' },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('sh -c');
    expect(result.stdout).not.toContain('s3cr3t-db-password');
  });

  it('check runs no program and fails closed like a run', async () => {
    const result = await runBinary(['check', '--local-file', store], { env: { X: 'local://nope' } });
    expect(result.status).toBe(125);
    expect(result.stdout).toMatch(/^X\s+local:\/\/nope\s+local\s+-\s+-\s+failed: NotFound$/m);
  });
});

describe('near misses and unsafe names fail closed', () => {
  it.each([
    ['secrets://callableapis/db', 'secret'],
    ['Vault://secret/x', 'vault'],
    ['vault:/secret/x', 'vault'],
    ['aws-secretsmanager://db', 'aws-sm'],
  ])('a value like %s stops the start (did you mean %s://?), unless --literal', async (value, scheme) => {
    const result = await runBinary(['--local-file', store, '--', 'sh', '-c', 'echo "X=$X"'], { env: { X: value } });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`did you mean ${scheme}://?`);
    const literal = await runBinary(['--literal', 'X', '--', 'sh', '-c', 'echo "X=$X"'], { env: { X: value } });
    expect(literal.stdout).toBe(`X=${value}\n`);
  });

  it('a --load key that would set LD_PRELOAD stops the start, unless --allow-name LD_PRELOAD', async () => {
    const evil = file('evil.json', JSON.stringify({ bundle: { LD_PRELOAD: '/nonexistent/x.so', APP_MODE: 'on' } }));
    const args = ['--local-file', evil, '--load', 'local://bundle'];
    const refused = await runBinary([...args, '--', 'sh', '-c', 'echo started'], {});
    expect(refused.status).toBe(125);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/a key becomes LD_PRELOAD, which changes how the program starts/);
    const allowed = await runBinary(
      [...args, '--allow-name', 'LD_PRELOAD', '--', 'sh', '-c', 'echo "APP_MODE=$APP_MODE"'],
      {
        env: {},
      },
    );
    // The loader warns about the missing library and goes on: the variable did reach the program.
    expect(allowed.stdout).toBe('APP_MODE=on\n');
  });
});
