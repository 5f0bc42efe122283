import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/cli/parse-config.js';
import { isVaultClientName } from '../../src/cli/options.js';
import { UsageError } from '../../src/errors/errors.js';

describe('parseConfig', () => {
  // ---- commands and the program ----
  it.each([
    [['--', 'node', 'server.js'], 'run', ['node', 'server.js']],
    [['node', 'server.js', '--port', '3'], 'run', ['node', 'server.js', '--port', '3']],
    [['--strict', 'node', '--inspect'], 'run', ['node', '--inspect']],
    [['check'], 'check', []],
    [['detect', '--log-format', 'json'], 'detect', []],
    [['--help'], 'help', []],
    [['-V'], 'version', []],
    [['--', '--weird-program-name'], 'run', ['--weird-program-name']],
  ])('%j → %s %j', (argv, command, program) => {
    const config = parseConfig(argv, {});
    expect(config.command).toBe(command);
    expect(config.argv).toEqual(program);
  });

  // ---- options and their environment twins ----
  it('reads every option from its flag', () => {
    const config = parseConfig(
      [
        '--provider',
        'vault,local',
        '--env-file=a.env',
        '--env-file',
        'b.env',
        '--load',
        'local://m',
        '--local-file',
        's.yaml',
        '--timeout',
        '500ms',
        '--keep-env',
        'VAULT_TOKEN',
        '--strict',
        '--log-level',
        'debug',
        '--log-format',
        'json',
        '--supervise',
        '--',
        'true',
      ],
      {},
    );
    expect(config).toMatchObject({
      providers: ['vault', 'local'],
      envFiles: ['a.env', 'b.env'],
      loads: ['local://m'],
      localFile: 's.yaml',
      timeoutMs: 500,
      keepEnv: ['VAULT_TOKEN'],
      strict: true,
      logLevel: 'debug',
      logFormat: 'json',
      supervise: true,
    });
  });

  it('reads every option from its SECRETS_EXEC_ twin', () => {
    const config = parseConfig(['true'], {
      SECRETS_EXEC_PROVIDER: 'local',
      SECRETS_EXEC_ENV_FILE: 'a.env, b.env',
      SECRETS_EXEC_TIMEOUT: '2s',
      SECRETS_EXEC_STRICT: 'yes',
      SECRETS_EXEC_LOG_LEVEL: 'warn',
      SECRETS_EXEC_LOCAL_FILE: 's.json',
      SECRETS_EXEC_SUPERVISE: '0',
      SECRETS_EXEC_METADATA_URL: 'http://127.0.0.1:9',
    });
    expect(config).toMatchObject({
      providers: ['local'],
      envFiles: ['a.env', 'b.env'],
      timeoutMs: 2000,
      strict: true,
      logLevel: 'warn',
      localFile: 's.json',
      supervise: false,
      metadataUrl: 'http://127.0.0.1:9',
    });
  });

  it('lets a flag win over its environment twin', () => {
    expect(parseConfig(['--timeout', '1s', 'true'], { SECRETS_EXEC_TIMEOUT: '9s' }).timeoutMs).toBe(1000);
    expect(parseConfig(['--strict=false', 'true'], { SECRETS_EXEC_STRICT: 'true' }).strict).toBe(false);
  });

  it('has defaults a container can start with', () => {
    expect(parseConfig(['true'], {})).toMatchObject({
      providers: 'auto',
      timeoutMs: 30_000,
      logLevel: 'info',
      logFormat: 'text',
      strict: false,
      supervise: false,
      detectBudgetMs: 300,
    });
  });

  // ---- usage errors ----
  it.each([
    [[], /missing command/],
    [['--'], /missing command/],
    [['--strict'], /missing command/],
    [['--nope', 'true'], /unknown option '--nope'/],
    [['-x', 'true'], /unknown option '-x'/],
    [['--timeout'], /--timeout needs a value/],
    [['--timeout', '30', 'true'], /not a duration/],
    [['--log-level', 'loud', 'true'], /--log-level: 'loud' is not one of/],
    [['--log-format', 'xml', 'true'], /--log-format/],
    [['--provider', 'vault,,local', 'true'], /--provider/],
    [['check', 'true'], /'check' runs no program/],
    [['check', '--', 'true'], /'check' runs no program/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseConfig(argv, {})).toThrow(UsageError);
    expect(() => parseConfig(argv, {})).toThrow(message);
  });

  it('rejects a boolean twin that is not a boolean', () => {
    expect(() => parseConfig(['true'], { SECRETS_EXEC_STRICT: 'sometimes' })).toThrow(
      /SECRETS_EXEC_STRICT: 'sometimes' is not a boolean/,
    );
  });
});

describe('ansible-vault-client', () => {
  it('takes --vault-id and logs warnings only unless asked', () => {
    const config = parseConfig(['ansible-vault-client', '--vault-id', 'prod'], {});
    expect(config).toMatchObject({ command: 'ansible-vault-client', vaultId: 'prod', logLevel: 'warn' });
    expect(parseConfig(['ansible-vault-client', '--log-level', 'debug'], {}).logLevel).toBe('debug');
  });

  it('refuses --vault-id for the other commands', () => {
    expect(() => parseConfig(['--vault-id', 'prod', '--', 'true'], {})).toThrow(
      /--vault-id is for ansible-vault-client/,
    );
  });

  it.each([
    ['/usr/local/bin/secrets-exec-vault-client', true],
    ['secrets-exec-client.py', true],
    ['./vault-client', true],
    ['/usr/local/bin/secrets-exec', false],
    ['/opt/client/secrets-exec', false],
    ['client', false],
  ])('%s is a vault password client name: %s', (argv0, expected) => {
    expect(isVaultClientName(argv0)).toBe(expected);
  });
});
