// End-to-end runs of the executable with Ansible Vault files made by the real ansible-vault
// (test/fixtures/ansible/make-vectors.sh): the password comes from the local store, from AWS Secrets
// Manager or from Vault (loopback fakes), the decrypted keys reach the program, and neither the
// password nor the plaintext shows up anywhere else.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptVault } from '../support/encrypt-vault.js';
import { awsTestEnv, startAwsFake, type AwsFake } from '../fakes/aws.js';
import { startFakeVault, type FakeVault } from '../fakes/vault.js';
import { FIXTURES, runBinary, envOf } from '../support/run-binary.js';

const DIR = join(FIXTURES, 'ansible');
const STORE = join(DIR, 'store.yaml');
const printEnv = join(FIXTURES, 'print-env.sh');
const vault = (name: string): string => join(DIR, 'vault', name);
const inline = (name: string): string => join(DIR, 'inline', name);
const password = (name: string): string => readFileSync(join(DIR, 'passwords', `${name}.txt`), 'utf8').trim();
// Every password and every vaulted value of the fixtures: none may appear where it does not belong.
const PASSWORDS = ['main', 'unicode', 'prod', 'dev'].map(password);
const PLAINTEXT = [
  's3cr3t-db-password',
  'prod-token-value',
  'dev-token-value',
  'example-api-key-1234',
  'line one',
  '秘密のパスワード',
];
const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-ansible-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ALL_PASSWORDS = [
  'local://vault-password',
  'local://unicode-password',
  'prod=local://vault-ids#prod',
  'dev=local://vault-ids#dev',
];
function args(files: string[], passwords: string[] = ALL_PASSWORDS, extra: string[] = []): string[] {
  return [
    '--local-file',
    STORE,
    ...files.flatMap((f) => ['--ansible-vault', f]),
    ...passwords.flatMap((p) => ['--ansible-vault-password', p]),
    ...extra,
  ];
}

describe('loading Ansible Vault files', () => {
  it("puts the keys of a whole file and of inline values into the program's environment", async () => {
    const result = await runBinary([
      ...args([vault('app-1.1.yml'), inline('labels.yml'), inline('unicode-password.yml')]),
      '--',
      printEnv,
    ]);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({
      db_user: 'app',
      db_password: 's3cr3t-db-password',
      db_port: '5432',
      prod_token: 'prod-token-value',
      dev_token: 'dev-token-value',
      region: 'eu-west-1',
      unicode_secret: 'ключ-🔑',
    });
  });

  it('keeps multi-line and unicode values intact', async () => {
    const result = await runBinary([
      ...args([inline('inline.yml'), vault('multiline.yml')], ['local://vault-password']),
      '--',
      'sh',
      '-c',
      'printf "%s|%s" "$cert" "$tls_key"',
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      `line one\nline two\nGrüße 🌍|${readFileSync(join(DIR, 'plain', 'multiline.yml'), 'utf8')
        .split('\n')
        .slice(1, 4)
        .map((l) => l.slice(2))
        .join('\n')}\n`,
    );
  });

  it('takes the files, passwords and naming from environment variables', async () => {
    const result = await runBinary(['--', printEnv], {
      env: {
        SECRETS_EXEC_LOCAL_FILE: STORE,
        SECRETS_EXEC_ANSIBLE_VAULT: `${inline('inline.yml')},${vault('config.json')}`,
        SECRETS_EXEC_ANSIBLE_VAULT_PASSWORD: 'local://vault-password',
        SECRETS_EXEC_ANSIBLE_VAULT_PREFIX: 'app_',
        SECRETS_EXEC_ANSIBLE_VAULT_UPCASE: 'true',
      },
    });
    expect(result.status).toBe(0);
    const env = envOf(result.stdout);
    expect(env).toMatchObject({
      APP_DB_HOST: 'db.internal',
      APP_DB_PASSWORD: 's3cr3t-db-password',
      APP_API_KEY: 'example-api-key-1234',
      APP_TOKEN: 'json-t0k3n',
      APP_RETRIES: '3',
    });
    expect(Object.keys(env).filter((k) => k.startsWith('SECRETS_EXEC_'))).toEqual([]);
  });

  it('opens a 1 MB file', async () => {
    // Large values rather than many keys: the YAML parser slows down sharply past some thousands of keys.
    const lines = Array.from({ length: 200 }, (_, i) => `key_${i}: ${String(i).padStart(5000, 'x')}`);
    const big = join(dir, 'big.yml');
    writeFileSync(big, encryptVault(`${lines.join('\n')}\n`, password('main')));
    const result = await runBinary(['check', ...args([big], ['local://vault-password'])]);
    // `check` needs no program: it proves every key was loaded without building a 1 MB environment.
    expect(result.status).toBe(0);
    expect(result.stdout.match(/^key_\d+ .* 5000 .* ok$/gm)?.length).toBe(200);
  });
});

describe('keeping the password and the plaintext secret', () => {
  it("never shows them in stderr at debug level, nor the password in the program's environment", async () => {
    const result = await runBinary([
      ...args([vault('app-1.1.yml'), inline('labels.yml'), vault('unicode-password.yml')]),
      '--log-level',
      'debug',
      '--',
      printEnv,
    ]);
    expect(result.status).toBe(0);
    for (const value of [...PASSWORDS, ...PLAINTEXT]) expect(result.stderr).not.toContain(value);
    for (const value of PASSWORDS) expect(result.stdout).not.toContain(value);
    expect(result.stdout).not.toMatch(/SECRETS_EXEC_|vault-password|vault-ids/);
  });

  it('never shows them in the `check` table', async () => {
    const result = await runBinary([
      'check',
      ...args([vault('app-1.1.yml'), inline('labels.yml')]),
      '--log-level',
      'debug',
      '--log-format',
      'json',
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/db_password/);
    for (const value of [...PASSWORDS, ...PLAINTEXT]) expect(result.stdout + result.stderr).not.toContain(value);
  });
});

describe('failing closed', () => {
  it.each([
    [
      'a wrong password',
      args([vault('app-1.1.yml')], ['local://wrong-password']),
      new RegExp(
        '^secrets-exec: error: --ansible-vault: \\S+\\/vault\\/app-1\\.1\\.yml via ansible-vault: Invalid: ' +
          'HMAC mismatch: wrong password or corrupted file',
        'm',
      ),
    ],
    [
      'the password of another label only',
      args([vault('app-prod-1.2.yml')], ['dev=local://vault-ids#dev']),
      new RegExp(
        '--ansible-vault: \\S+app-prod-1\\.2\\.yml via ansible-vault: Invalid: ' +
          'HMAC mismatch: wrong password or corrupted file ' +
          '\\(tried the password from dev=local:\\/\\/vault-ids#dev\\)',
      ),
    ],
    [
      'a wrong password for one inline value',
      args([inline('labels.yml')], ['local://vault-ids#prod']),
      /--ansible-vault: \S+labels\.yml via ansible-vault: Invalid: key 'dev_token': HMAC mismatch/,
    ],
    [
      'a password missing from the store',
      args([vault('app-1.1.yml')], ['local://no-such-password']),
      /--ansible-vault \S+app-1\.1\.yml: local:\/\/no-such-password via local: NotFound/,
    ],
    [
      'two files that load the same variable',
      args([inline('inline.yml'), vault('app.env')], ['local://vault-password'], ['--ansible-vault-upcase']),
      new RegExp(
        '--ansible-vault: \\S+app\\.env via ansible-vault: Invalid: API_KEY is already set by \\S+inline\\.yml; ' +
          'add --ansible-vault-override to let the later file win',
      ),
    ],
    [
      'a key already set in the environment',
      args([vault('app-1.1.yml')], ['local://vault-password']),
      /--ansible-vault: \S+app-1\.1\.yml via .*db_user is already set in the environment; add --ansible-vault-override/,
    ],
  ])('stops on %s with 125, an error naming the file, and no program', async (_, argv, message) => {
    // db_user is set for the case that needs it; the others fail before any key is loaded.
    const result = await runBinary([...argv, '--log-level', 'debug', '--', 'sh', '-c', 'echo CHILD STARTED'], {
      env: { db_user: 'from-env' },
    });
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    for (const value of [...PASSWORDS, ...PLAINTEXT, 'not the password']) expect(result.stderr).not.toContain(value);
  });

  it('replaces a variable already set only with --ansible-vault-override', async () => {
    const result = await runBinary(
      [...args([vault('app-1.1.yml')], ['local://vault-password'], ['--ansible-vault-override']), '--', printEnv],
      { env: { db_user: 'from-env' } },
    );
    expect(result.status).toBe(0);
    expect(envOf(result.stdout).db_user).toBe('app');
  });

  it('layers two files that share keys with --ansible-vault-override: the later file wins', async () => {
    const [first, second] = [join(dir, 'base.yml'), join(dir, 'layer.yml')];
    writeFileSync(first, encryptVault('shared: from-base\nonly_base: base\n', password('main')));
    writeFileSync(second, encryptVault('shared: from-layer\nonly_layer: layer\n', password('main')));
    const layered = await runBinary([
      ...args([first, second], ['local://vault-password'], ['--ansible-vault-override']),
      '--',
      printEnv,
    ]);
    expect(layered.status).toBe(0);
    expect(envOf(layered.stdout)).toMatchObject({ shared: 'from-layer', only_base: 'base', only_layer: 'layer' });
    const refused = await runBinary([...args([first, second], ['local://vault-password']), '--', 'true']);
    expect(refused.status).toBe(125);
    expect(refused.stderr).toMatch(
      /shared is already set by \S+base\.yml; add --ansible-vault-override to let the later file win/,
    );
  });

  it('hands YAML values on as written, warning by file and key where Ansible reads them otherwise', async () => {
    const file = join(dir, 'yaml11.yml');
    writeFileSync(file, encryptVault('mode: 0644\nenabled: yes\nname: app\n', password('main')));
    const result = await runBinary([...args([file], ['local://vault-password']), '--', printEnv]);
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ mode: '0644', enabled: 'yes', name: 'app' });
    expect(result.stderr).toMatch(
      /warn.*--ansible-vault \S+yaml11\.yml: keys 'mode', 'enabled': Ansible \(YAML 1\.1\)/,
    );
    expect(result.stderr).not.toMatch(/0644|'yes'|name/);
  });

  it('loads the top-level keys of a file with a nested map, the map as its JSON text', async () => {
    const result = await runBinary([...args([vault('nested.json')], ['local://vault-password']), '--', printEnv]);
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ service: '{"token":"t0k3n"}', region: 'eu-west-1' });
  });

  it.each([
    [
      'a file that is not a vault',
      join(DIR, 'plain', 'app.yml'),
      /not an Ansible Vault file: it does not start with \$ANSIBLE_VAULT and holds no !vault value/,
    ],
    ['an unsupported version', 'v10.yml', /unsupported vault format version '1\.0'/],
    ['an unsupported cipher', 'aes.yml', /unsupported cipher 'AES'/],
    ['bad hex', 'badhex.yml', /the body is not hexadecimal \(line 3\)/],
    ['a file that cannot be read', join(dir, 'missing.yml'), /cannot read it \(ENOENT\)/],
  ])('stops on %s before fetching anything', async (_, name, message) => {
    const texts: Record<string, string> = {
      'v10.yml': '$ANSIBLE_VAULT;1.0;AES256\n3031\n',
      'aes.yml': '$ANSIBLE_VAULT;1.1;AES\n3031\n',
      'badhex.yml': `${readFileSync(vault('app-1.1.yml'), 'utf8').split('\n').slice(0, 2).join('\n')}\nnot-hex\n`,
    };
    const file = texts[name] === undefined ? name : join(dir, name);
    if (texts[name] !== undefined) writeFileSync(file, texts[name] as string);
    // The store does not exist: had anything been fetched, the error would be about the store.
    const result = await runBinary([
      '--local-file',
      join(dir, 'no-store.yaml'),
      '--ansible-vault',
      file,
      '--ansible-vault-password',
      'local://vault-password',
      '--',
      'sh',
      '-c',
      'echo CHILD STARTED',
    ]);
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/local store|no-store/);
  });

  it('stops when --ansible-vault has no password', async () => {
    const result = await runBinary(['--ansible-vault', vault('app-1.1.yml'), '--', 'true']);
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/--ansible-vault needs its password: add --ansible-vault-password REFERENCE/);
  });
});

describe('taking the password from a cloud store', () => {
  let aws: AwsFake;
  let vaultServer: FakeVault;
  let token: string;
  beforeAll(async () => {
    [aws, vaultServer] = await Promise.all([startAwsFake(), startFakeVault()]);
    aws.putSecret('ansible/vault-password', `${password('main')}\n`);
    vaultServer.mountKv('secret', 2);
    vaultServer.putSecret('secret', 'ansible/vault-ids', { prod: password('prod'), dev: ` ${password('dev')}\n` });
    vaultServer.putPolicy('ansible', { 'secret/data/ansible/*': ['read'] });
    token = vaultServer.issueToken({ policies: ['ansible'] });
  });
  afterAll(async () => {
    await Promise.all([aws.close(), vaultServer.close()]);
  });
  const awsEnv = (): Record<string, string> => awsTestEnv(aws);

  it('decrypts with a password from AWS Secrets Manager (signed requests, verified by the fake)', async () => {
    const result = await runBinary(
      [
        '--ansible-vault',
        vault('app-1.1.yml'),
        '--ansible-vault-password',
        'aws-sm://ansible/vault-password',
        '--log-level',
        'debug',
        '--',
        printEnv,
      ],
      { env: awsEnv() },
    );
    expect(result.status).toBe(0);
    expect(envOf(result.stdout)).toMatchObject({ db_user: 'app', db_password: 's3cr3t-db-password' });
    expect(aws.requests.length).toBeGreaterThan(0);
    expect(aws.requests.every((r) => r.auth === 'ok')).toBe(true);
    for (const value of [...PASSWORDS, ...PLAINTEXT]) expect(result.stderr).not.toContain(value);
  });

  it('picks each labelled password from Vault, and scrubs VAULT_TOKEN from the program', async () => {
    const passwords = ['prod=vault://secret/ansible/vault-ids#prod', 'dev=vault://secret/ansible/vault-ids#dev'];
    const result = await runBinary(
      [
        ...passwords.flatMap((p) => ['--ansible-vault-password', p]),
        '--ansible-vault',
        inline('labels.yml'),
        '--ansible-vault',
        vault('app-prod-1.2.yml'),
        '--log-level',
        'debug',
        '--',
        printEnv,
      ],
      {
        env: { VAULT_ADDR: vaultServer.url, VAULT_TOKEN: token },
      },
    );
    expect(result.status).toBe(0);
    const env = envOf(result.stdout);
    expect(env).toMatchObject({ prod_token: 'prod-token-value', dev_token: 'dev-token-value', db_user: 'app' });
    expect(env).not.toHaveProperty('VAULT_TOKEN');
    for (const value of [...PASSWORDS, ...PLAINTEXT, token]) expect(result.stderr).not.toContain(value);
    for (const value of PASSWORDS) expect(result.stdout).not.toContain(value);
  });

  it('fails closed when Vault holds the wrong password', async () => {
    const result = await runBinary(
      [
        '--ansible-vault',
        vault('app-1.1.yml'),
        '--ansible-vault-password',
        'vault://secret/ansible/vault-ids#dev',
        '--',
        'sh',
        '-c',
        'echo CHILD STARTED',
      ],
      {
        env: { VAULT_ADDR: vaultServer.url, VAULT_TOKEN: token },
      },
    );
    expect(result.status).toBe(125);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(
        '--ansible-vault: \\S+app-1\\.1\\.yml via ansible-vault: Invalid: ' +
          'HMAC mismatch: wrong password or corrupted file ' +
          '\\(tried the password from vault:\\/\\/secret\\/ansible\\/vault-ids#dev\\)',
      ),
    );
  });
});
