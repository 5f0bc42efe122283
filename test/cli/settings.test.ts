// Settings as issue 14 asked for them: errors name where a value came from, a non-repeatable option given
// twice and an empty value are usage errors, a subcommand after options is understood, durations fit a
// timer, and unknown SECRETS_EXEC_* variables are found with a suggestion.
import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS, parseDuration } from '../../src/cli/duration.js';
import { parseConfig } from '../../src/cli/parse-config.js';
import { findUnknownSettings } from '../../src/cli/unknown-settings.js';
import { UsageError } from '../../src/errors/errors.js';

const fails = (argv: string[], env: Record<string, string> = {}): string => {
  try {
    parseConfig(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('durations', () => {
  it('accepts the longest duration a timer holds and refuses one millisecond more', () => {
    expect(parseDuration('2147483647ms', '--timeout')).toBe(MAX_DURATION_MS);
    expect(() => parseDuration('2147483648ms', '--timeout')).toThrow(/longer than a timer can hold/);
  });

  it.each(['2147484s', '35792m', '99999999999999999999999s'])('refuses --timeout %s', (text) => {
    expect(fails(['--timeout', text, 'true'])).toMatch(
      /^--timeout: '.*' is longer than a timer can hold; the most is 2147483647ms/,
    );
  });

  it('refuses a duration that rounds to 0', () => {
    expect(fails(['--timeout', '0.1ms', 'true'])).toBe('--timeout: the duration must be at least 1ms');
  });
});

describe('where a bad value came from', () => {
  it.each([
    [{ SECRETS_EXEC_TIMEOUT: '30' }, /^SECRETS_EXEC_TIMEOUT: '30' is not a duration/],
    [{ SECRETS_EXEC_TIMEOUT: '2147484s' }, /^SECRETS_EXEC_TIMEOUT: '2147484s' is longer than a timer/],
    [{ SECRETS_EXEC_DETECT_BUDGET: 'soon' }, /^SECRETS_EXEC_DETECT_BUDGET: 'soon' is not a duration/],
    [{ SECRETS_EXEC_LOG_LEVEL: 'loud' }, /^SECRETS_EXEC_LOG_LEVEL: 'loud' is not one of/],
    [{ SECRETS_EXEC_LOG_FORMAT: 'xml' }, /^SECRETS_EXEC_LOG_FORMAT: 'xml' is not one of/],
    [{ SECRETS_EXEC_PROVIDER: 'vault,,local' }, /^SECRETS_EXEC_PROVIDER: 'vault,,local' must be auto/],
  ])('%j names the variable, not the flag', (env, message) => {
    expect(fails(['true'], env)).toMatch(message);
  });

  it('names the flag when the flag gave the value', () => {
    expect(fails(['--timeout', '30', 'true'], { SECRETS_EXEC_TIMEOUT: '1s' })).toMatch(/^--timeout: '30'/);
  });
});

describe('options given twice, empty values', () => {
  it.each([
    [['--timeout', '1s', '--timeout', '2s', 'true'], '--timeout'],
    [['--provider=vault', '--provider', 'local', 'true'], '--provider'],
    [['--strict', '--strict=false', 'true'], '--strict'],
    [['--local-file', 'a', '--local-file', 'b', 'true'], '--local-file'],
  ])('%j is a usage error naming %s', (argv, flag) => {
    expect(fails(argv)).toBe(`${flag} is given twice; it takes one value: keep one of them`);
  });

  it('lets a repeatable option be given many times', () => {
    expect(parseConfig(['--env-file', 'a', '--env-file=b', 'true'], {}).envFiles).toEqual(['a', 'b']);
  });

  it.each([
    [['--provider', '', 'true'], '--provider needs a value (LIST), not an empty string'],
    [['--provider=', 'true'], '--provider needs a value (LIST), not an empty string'],
    [['--env-file', ' ', 'true'], '--env-file needs a value (FILE), not an empty string'],
    [['--timeout=', 'true'], '--timeout needs a value (DURATION), not an empty string'],
  ])('%j is a usage error', (argv, message) => {
    expect(fails(argv)).toBe(message);
  });

  it('takes an empty --ansible-vault-prefix as no prefix, and an empty variable as unset', () => {
    expect(parseConfig(['--ansible-vault-prefix', '', 'true'], {}).ansibleVaultPrefix).toBe('');
    expect(parseConfig(['true'], { SECRETS_EXEC_PROVIDER: '', SECRETS_EXEC_TIMEOUT: '' })).toMatchObject({
      providers: 'auto',
      timeoutMs: 30_000,
    });
  });
});

describe('--env-file and SECRETS_EXEC_ENV_FILE', () => {
  it('replaces the variable with the flags: a flag wins over its twin, lists included', () => {
    expect(parseConfig(['--env-file', 'b.env', 'true'], { SECRETS_EXEC_ENV_FILE: 'a.env' }).envFiles).toEqual([
      'b.env',
    ]);
  });
});

describe('a subcommand after options', () => {
  it.each([
    [['--env-file', 'f', 'check'], 'check'],
    [['--log-format', 'json', 'detect', '--strict'], 'detect'],
    [['--strict', 'check', '--timeout', '2s'], 'check'],
  ])('%j is the %s command', (argv, command) => {
    const config = parseConfig(argv, {});
    expect(config.command).toBe(command);
    expect(config.argv).toEqual([]);
  });

  it('runs a program named check when it comes after --, and takes a second name as the program', () => {
    expect(parseConfig(['--env-file', 'f', '--', 'check'], {})).toMatchObject({ command: 'run', argv: ['check'] });
    expect(fails(['--strict', 'check', 'detect'])).toBe("'check' runs no program; remove 'detect' and what follows");
  });
});

describe('findUnknownSettings', () => {
  const known = ['SECRETS_EXEC_VAULT_ROLE', 'SECRETS_EXEC_CA_FILE', 'VAULT_TOKEN'];
  const find = (env: Record<string, string>) => findUnknownSettings({ env, known, standard: ['VAULT_TOKEN'] });

  it('finds nothing in settings that are read', () => {
    expect(find({ SECRETS_EXEC_TIMEOUT: '1s', SECRETS_EXEC_CA_FILE: 'x', SECRETS_EXEC_METADATA_URL: 'u' })).toEqual([]);
  });

  it.each([
    ['SECRETS_EXEC_TIMOUT', 'SECRETS_EXEC_TIMEOUT'],
    ['SECRETS_EXEC_ENV_FILES', 'SECRETS_EXEC_ENV_FILE'],
    ['SECRETS_EXEC_VAULT_ROEL', 'SECRETS_EXEC_VAULT_ROLE'],
    ['SECRETS_EXEC_VAULT_TOKEN', 'VAULT_TOKEN'],
    ['SECRETS_EXEC_SOMETHING_ELSE_ENTIRELY', undefined],
  ])('reports %s, suggesting %s', (name, suggestion) => {
    expect(find({ [name]: 'x', OTHER: 'y' })).toEqual([{ name, suggestion }]);
  });
});
