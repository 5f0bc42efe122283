import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encryptVault } from '../support/encrypt-vault.js';
import { loadAnsibleVaults } from '../../src/ansible-vault/load-files.js';
import { parseConfig } from '../../src/cli/parse-config.js';
import { ansibleVaultOptions } from '../../src/commands/resolve-secrets.js';
import { ProviderError, UsageError } from '../../src/errors/errors.js';
import { Secret } from '../../src/log/secret.js';
import { formatReference } from '../../src/refs/index.js';
import type { DerivedLoad } from '../../src/resolve/resolve-all.js';
import { FIXTURES } from '../support/run-binary.js';

const DIR = join(FIXTURES, 'ansible');
const PASSWORDS: Record<string, string> = {
  'local://main': readFileSync(join(DIR, 'passwords', 'main.txt'), 'utf8'),
  'local://unicode': readFileSync(join(DIR, 'passwords', 'unicode.txt'), 'utf8'),
  'local://ids#prod': readFileSync(join(DIR, 'passwords', 'prod.txt'), 'utf8'),
  'local://ids#dev': readFileSync(join(DIR, 'passwords', 'dev.txt'), 'utf8'),
  'local://wrong': 'not the password',
};
const PLAINTEXT = ['s3cr3t-db-password', 'example-api-key-1234', 'Grüße', 'prod-token-value', 'json-t0k3n'];

// Files by name: the fixtures, plus any text a test adds; every read is recorded.
function fakeFiles(extra: Record<string, string> = {}): {
  readFile: (path: string) => Promise<Buffer>;
  reads: string[];
} {
  const reads: string[] = [];
  const readFile = async (path: string): Promise<Buffer> => {
    reads.push(path);
    if (path in extra) return Buffer.from(extra[path] as string);
    try {
      return readFileSync(join(DIR, path));
    } catch (error) {
      throw Object.assign(new Error('no such file'), { code: (error as NodeJS.ErrnoException).code });
    }
  };
  return { readFile, reads };
}

// Every warning given to the logger, by message.
const warnings: string[] = [];
const log = { warn: (_event: string, message: string) => void warnings.push(message) };

async function load(args: string[], extra: Record<string, string> = {}): Promise<DerivedLoad[]> {
  const options = ansibleVaultOptions(parseConfig([...args, '--', 'true'], {}));
  return loadAnsibleVaults(options, fakeFiles(extra).readFile, log);
}

// What resolution does after fetching: hands every password reference's value to derive.
async function derive(
  loads: DerivedLoad[],
  passwords: Record<string, string> = PASSWORDS,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const d of loads) {
    const values = new Map(d.refs.map((r) => [formatReference(r), new Secret(passwords[formatReference(r)] ?? '')]));
    for (const [name, value] of await d.derive(values)) out[name] = value.reveal();
  }
  return out;
}

// Changes one hex digit of the ciphertext and writes the vault back: still well-formed, no longer authentic.
function tamper(text: string): string {
  const [header, ...body] = text.trim().split('\n');
  const [salt, hmac, ciphertext = ''] = Buffer.from(body.join(''), 'hex').toString('latin1').split('\n');
  const changed = `${ciphertext.startsWith('0') ? '1' : '0'}${ciphertext.slice(1)}`;
  return `${header}\n${Buffer.from([salt, hmac, changed].join('\n')).toString('hex')}\n`;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  for (const value of [...Object.values(PASSWORDS).map((p) => p.trim()), ...PLAINTEXT])
    expect((error as Error).message).not.toContain(value);
  return error as Error;
}

describe('loadAnsibleVaults', () => {
  // ---- what resolution gets ----
  it('returns nothing and reads nothing without --ansible-vault', async () => {
    const files = fakeFiles();
    expect(
      await loadAnsibleVaults(
        ansibleVaultOptions(parseConfig(['--ansible-vault-password', 'local://main', '--', 'true'], {})),
        files.readFile,
        log,
      ),
    ).toEqual([]);
    expect(files.reads).toEqual([]);
  });

  it('gives one load per file, named for the file, fetching every password', async () => {
    const loads = await load([
      '--ansible-vault',
      'vault/app-1.1.yml',
      '--ansible-vault',
      'inline/labels.yml',
      '--ansible-vault-password',
      'local://main',
      '--ansible-vault-password',
      'prod=local://ids#prod',
    ]);
    expect(loads.map((l) => l.source)).toEqual([
      '--ansible-vault vault/app-1.1.yml',
      '--ansible-vault inline/labels.yml',
    ]);
    expect(loads[0]?.refs.map((r) => [r.scheme, r.path, r.key])).toEqual([
      ['local', 'main', undefined],
      ['local', 'ids', 'prod'],
    ]);
    expect(loads.every((l) => !l.override)).toBe(true);
  });

  // ---- decrypting and loading ----
  it('loads the top-level keys of a whole 1.1 file; nulls are skipped', async () => {
    expect(
      await derive(await load(['--ansible-vault', 'vault/app-1.1.yml', '--ansible-vault-password', 'local://main'])),
    ).toEqual({
      db_user: 'app',
      db_password: 's3cr3t-db-password',
      db_port: '5432',
      debug: 'false',
      empty_value: '',
    });
  });

  it.each([
    [
      'multi-line values',
      'vault/multiline.yml',
      {
        tls_key:
          readFileSync(join(DIR, 'plain', 'multiline.yml'), 'utf8')
            .split('\n')
            .slice(1, 4)
            .map((l) => l.slice(2))
            .join('\n') + '\n',
        folded: 'one two',
        quoted: 'tab\there, newline\nthere',
      },
    ],
    ['dotenv content', 'vault/app.env', { API_KEY: 'example-api-key-1234', STRIPE_SECRET: 'sk_test_example' }],
    ['JSON content', 'vault/config.json', { token: 'json-t0k3n', retries: '3' }],
    ['CRLF content', 'vault/crlf.yml', { crlf_user: 'app', crlf_password: 'p@ss w0rd' }],
    ['an empty file', 'vault/empty.yml', {}],
    ['a CRLF envelope', 'vault/app-crlf-envelope.yml', { db_user: 'app' }],
    // Was refused as a whole ("holds a map or a list"); the top-level keys now load, a map as its JSON text.
    ['a nested map', 'vault/nested.json', { service: '{"token":"t0k3n"}', region: 'eu-west-1' }],
  ])('loads %s', async (_, file, expected) => {
    const out = await derive(
      await load([
        '--ansible-vault',
        file,
        '--ansible-vault-password',
        'local://main',
        '--ansible-vault-password',
        'prod=local://ids#prod',
      ]),
    );
    expect(out).toMatchObject(expected);
  });

  it("strips the unicode password's surrounding white space and loads unicode values", async () => {
    expect(
      await derive(
        await load(['--ansible-vault', 'vault/unicode-password.yml', '--ansible-vault-password', 'local://unicode']),
      ),
    ).toEqual({
      greeting: 'Grüße aus Köln 🌍',
      japanese: '秘密のパスワード',
      cl__sp_ciale: '∑ ≠ ∞',
    });
  });

  it('loads inline values mixed with plain ones', async () => {
    expect(
      await derive(await load(['--ansible-vault', 'inline/inline.yml', '--ansible-vault-password', 'local://main'])),
    ).toEqual(
      Object.fromEntries(
        Object.entries(JSON.parse(readFileSync(join(DIR, 'inline', 'expected.json'), 'utf8'))['inline.yml']).map(
          ([k, v]) => [k, String(v)],
        ),
      ),
    );
  });

  it('opens each inline value with the password of its label', async () => {
    const out = await derive(
      await load([
        '--ansible-vault',
        'inline/labels.yml',
        '--ansible-vault-password',
        'dev=local://ids#dev',
        '--ansible-vault-password',
        'prod=local://ids#prod',
      ]),
    );
    expect(out).toEqual({ prod_token: 'prod-token-value', dev_token: 'dev-token-value', region: 'eu-west-1' });
  });

  it('tries every unlabelled password, as Ansible does', async () => {
    const passwords = ['local://wrong', 'local://main', 'local://unicode', 'local://ids#prod'].flatMap((p) => [
      '--ansible-vault-password',
      p,
    ]);
    const out = await derive(
      await load([
        '--ansible-vault',
        'vault/app-prod-1.2.yml',
        '--ansible-vault',
        'inline/unicode-password.yml',
        ...passwords,
      ]),
    );
    expect(out).toMatchObject({ db_user: 'app', unicode_secret: 'ключ-🔑' });
  });

  it(
    'names variables with --ansible-vault-prefix and --ansible-vault-upcase, ' +
      'and passes --ansible-vault-override on',
    async () => {
      const loads = await load([
        '--ansible-vault',
        'inline/labels.yml',
        '--ansible-vault-password',
        'local://ids#prod',
        '--ansible-vault-password',
        'local://ids#dev',
        '--ansible-vault-prefix',
        'app_',
        '--ansible-vault-upcase',
        '--ansible-vault-override',
      ]);
      expect(loads[0]?.override).toBe(true);
      expect(Object.keys(await derive(loads))).toEqual(['APP_PROD_TOKEN', 'APP_DEV_TOKEN', 'APP_REGION']);
    },
  );

  // ---- YAML 1.1: values as written, with a warning where Ansible would read another value ----
  it('warns, naming the file and keys but no value, where Ansible (YAML 1.1) reads a value otherwise', async () => {
    const main = (PASSWORDS['local://main'] as string).trim();
    const whole = encryptVault('mode: 0644\nflag: on\nmask: 0x1F\nname: plain\nquoted: "yes"\n', main);
    const inlineText =
      `size: 1_000\nenabled: yes\ntoken: ${encryptVault('v', main).trimEnd().replace(/\n/g, '\n  ')}\n`.replace(
        'token: $',
        'token: !vault |\n  $',
      );
    warnings.length = 0;
    const loads = await load(
      ['--ansible-vault', 'whole.yml', '--ansible-vault', 'inline.yml', '--ansible-vault', 'vault/config.json'].concat([
        '--ansible-vault-password',
        'local://main',
      ]),
      { 'whole.yml': whole, 'inline.yml': inlineText },
    );
    // The inline file's plain values are seen when it is read; the whole file's once it is decrypted.
    expect(warnings).toEqual([expect.stringMatching(/^--ansible-vault inline\.yml: keys 'size', 'enabled': Ansible/)]);
    expect(await derive(loads)).toMatchObject({
      mode: '0644',
      flag: 'on',
      mask: '0x1F',
      size: '1_000',
      enabled: 'yes',
    });
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/^--ansible-vault whole\.yml: keys 'mode', 'flag', 'mask': Ansible \(YAML 1\.1\)/);
    expect(warnings[1]).toMatch(/hands on the text as written/);
    for (const w of warnings) expect(w).not.toMatch(/0644|'on'|0x1F'|1_000'|plain/);
  });

  it('takes the naming options from their environment twins', () => {
    const config = parseConfig(['--', 'true'], {
      SECRETS_EXEC_ANSIBLE_VAULT_PREFIX: 'X_',
      SECRETS_EXEC_ANSIBLE_VAULT_UPCASE: 'true',
      SECRETS_EXEC_ANSIBLE_VAULT_OVERRIDE: '1',
    });
    expect(config).toMatchObject({ ansibleVaultPrefix: 'X_', ansibleVaultUpcase: true, ansibleVaultOverride: true });
    expect(parseConfig(['--', 'true'], {})).toMatchObject({
      ansibleVaultPrefix: '',
      ansibleVaultUpcase: false,
      ansibleVaultOverride: false,
    });
  });

  it('returns every value as a Secret', async () => {
    const [d] = await load(['--ansible-vault', 'inline/inline.yml', '--ansible-vault-password', 'local://main']);
    const map = await d?.derive(new Map([['local://main', new Secret(PASSWORDS['local://main'] as string)]]));
    expect([...(map?.values() ?? [])].every((v) => v instanceof Secret && String(v) === '[redacted]')).toBe(true);
  });

  // ---- failures before anything is fetched: UsageError naming the file ----
  it.each([
    [
      'no password',
      ['--ansible-vault', 'vault/app-1.1.yml'],
      /--ansible-vault needs its password: add --ansible-vault-password/,
    ],
    [
      'a password that is not a reference',
      ['--ansible-vault', 'vault/app-1.1.yml', '--ansible-vault-password', 'hunter2'],
      /--ansible-vault-password: not a reference/,
    ],
    [
      'a file that cannot be read',
      ['--ansible-vault', 'nope.yml', '--ansible-vault-password', 'local://main'],
      /^--ansible-vault nope.yml: cannot read it \(ENOENT\)$/,
    ],
    [
      'a plain YAML file',
      ['--ansible-vault', 'plain/app.yml', '--ansible-vault-password', 'local://main'],
      new RegExp(
        '^--ansible-vault plain\\/app.yml: not an Ansible Vault file: ' +
          'it does not start with \\$ANSIBLE_VAULT and holds no !vault value$',
      ),
    ],
    [
      'a plain text file',
      ['--ansible-vault', 'passwords/main.txt', '--ansible-vault-password', 'local://main'],
      /not an Ansible Vault file/,
    ],
    [
      'an unsupported version',
      ['--ansible-vault', 'v10', '--ansible-vault-password', 'local://main'],
      /^--ansible-vault v10: unsupported vault format version '1.0'/,
    ],
    [
      'bad hex',
      ['--ansible-vault', 'badhex', '--ansible-vault-password', 'local://main'],
      /^--ansible-vault badhex: the body is not hexadecimal \(line 2\)$/,
    ],
    [
      'a vault nested in a map of an inline file',
      ['--ansible-vault', 'inline/nested.yml', '--ansible-vault-password', 'local://main'],
      /^--ansible-vault inline\/nested.yml: key 'nested' holds a !vault value inside a map or a list/,
    ],
  ])('stops on %s with a UsageError, reading nothing else', async (_, args, message) => {
    const error = await failure(
      load(args, { v10: '$ANSIBLE_VAULT;1.0;AES\n3031\n', badhex: '$ANSIBLE_VAULT;1.1;AES256\nhunter2\n' }),
    );
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(message);
  });

  // ---- failures after fetching: ProviderError, which resolution reports under the file's name ----
  it.each([
    [
      'a wrong password',
      'vault/app-1.1.yml',
      ['local://wrong'],
      /^HMAC mismatch: wrong password or corrupted file \(tried the password from local:\/\/wrong\)$/,
    ],
    [
      'the password of another label',
      'vault/app-prod-1.2.yml',
      ['dev=local://ids#dev'],
      /^HMAC mismatch: .*tried the password from dev=local:\/\/ids#dev/,
    ],
    [
      'a wrong password for one inline value',
      'inline/labels.yml',
      ['local://ids#prod'],
      /^key 'dev_token': HMAC mismatch: wrong password or corrupted file/,
    ],
    ['a tampered file', 'tampered', ['local://main'], /^HMAC mismatch: wrong password or corrupted file/],
    ['an empty password', 'vault/app-1.1.yml', ['local://empty'], /^the vault password from local:\/\/empty is empty$/],
    ['plaintext that is not UTF-8', 'latin1', ['local://main'], /^the decrypted content is not UTF-8 text$/],
    [
      'plaintext that is not a map',
      'list',
      ['local://main'],
      /^cannot load the decrypted content: the YAML document is not a map/,
    ],
    [
      'plaintext that is not YAML',
      'broken.yml',
      ['local://main'],
      /^cannot load the decrypted content: not valid YAML/,
    ],
  ])('refuses %s with an Invalid ProviderError', async (_, file, passwords, message) => {
    const main = PASSWORDS['local://main'] as string;
    const tampered = tamper(readFileSync(join(DIR, 'vault', 'app-1.1.yml'), 'utf8'));
    const files = {
      tampered,
      latin1: encryptVault(Buffer.from('k: caf\xe9\n', 'latin1'), main.trim()),
      list: encryptVault('- a\n', main.trim()),
      'broken.yml': encryptVault('k: [s3cr3t-db-password\n', main.trim()),
    };
    const loads = await load(
      ['--ansible-vault', file, ...passwords.flatMap((p) => ['--ansible-vault-password', p])],
      files,
    );
    const error = await failure(derive(loads, { ...PASSWORDS, 'local://empty': ' \n' }));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('Invalid');
    expect(error.message).toMatch(message);
  });
});
