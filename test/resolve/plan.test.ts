import { describe, expect, it } from 'vitest';
import { planResolution } from '../../src/resolve/plan.js';

describe('planResolution', () => {
  it('takes references from the environment and leaves everything else alone', () => {
    const { plan, errors } = planResolution({
      env: { A: 'secret://a', B: 'postgres://u:p@h/db', C: 'plain', D: 'local://d#k' },
      envFiles: [],
      loads: [],
    });
    expect(errors).toEqual([]);
    expect(plan.wants.map((w) => [w.variable, w.reference])).toEqual([
      ['A', 'secret://a'],
      ['D', 'local://d#k'],
    ]);
  });

  it("leaves secrets-exec's own settings alone even when they hold references", () => {
    const { plan } = planResolution({
      env: { SECRETS_EXEC_LOAD: 'local://m', SECRETS_EXEC_ANSIBLE_VAULT_PASSWORD: 'secret://pw', A: 'local://a' },
      envFiles: [],
      loads: [],
    });
    expect(plan.wants.map((w) => w.variable)).toEqual(['A']);
  });

  it('reads env files, letting the environment win', () => {
    const { plan } = planResolution({
      env: { A: 'override' },
      envFiles: [
        {
          file: 'app.env',
          entries: [
            { name: 'A', value: 'secret://a', line: 1 },
            { name: 'B', value: 'secret://b', line: 2 },
          ],
        },
      ],
      loads: [],
    });
    expect(plan.wants.map((w) => [w.variable, w.source])).toEqual([['B', 'app.env']]);
  });

  it('refuses a plain value in an env file without showing it', () => {
    const { errors } = planResolution({
      env: {},
      envFiles: [{ file: 'app.env', entries: [{ name: 'PW', value: 'hunter2', line: 3 }] }],
      loads: [],
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/PW: .*app.env:3 holds something that is not a reference/);
    expect(errors[0]?.message).not.toContain('hunter2');
  });

  it('collects every malformed reference, each naming its variable', () => {
    const { errors } = planResolution({
      env: { A: 'secret://', B: 'vault://x' },
      envFiles: [],
      loads: ['gcp-sm://a/b/c'],
    });
    expect(errors.map((e) => [e.variable, e.kind])).toEqual([
      ['A', 'Invalid'],
      ['B', 'Invalid'],
      ['--load', 'Invalid'],
    ]);
  });

  it('separates --load parameters from the store reference', () => {
    const { plan } = planResolution({ env: {}, envFiles: [], loads: ['local://m?prefix=APP_&upcase&override'] });
    expect(plan.loads[0]).toMatchObject({ prefix: 'APP_', upcase: true, override: true, ref: { params: {} } });
  });

  it('stops on a value that looks like a mistyped reference, naming only the scheme written', () => {
    const { errors } = planResolution({
      env: { A: 'secrets://db', B: 'Vault://secret/x', C: 'vault:/secret/x', D: 'postgres://u:p@h/db', E: 'ws://h' },
      envFiles: [],
      loads: [],
    });
    expect(errors.map((e) => [e.variable, e.reference, e.reason])).toEqual([
      [
        'A',
        '(not shown)',
        expect.stringMatching(/starts with 'secrets:\/\/'.*did you mean secret:\/\/\?.*--literal A/),
      ],
      ['B', '(not shown)', expect.stringMatching(/starts with 'Vault:\/\/'.*did you mean vault:\/\/\?/)],
      ['C', '(not shown)', expect.stringMatching(/starts with 'vault:\/'.*did you mean vault:\/\/\?/)],
    ]);
  });

  it('passes a near miss on as written when the variable is named with --literal', () => {
    const { plan, errors } = planResolution({ env: { A: 'secrets://db' }, envFiles: [], loads: [], literals: ['A'] });
    expect(errors).toEqual([]);
    expect(plan.wants).toEqual([]);
  });

  it('suggests the scheme for a near miss in an env file', () => {
    const envFiles = [{ file: 'app.env', entries: [{ name: 'A', value: 'aws-secretsmanager://db', line: 3 }] }];
    const { errors } = planResolution({ env: {}, envFiles, loads: [] });
    expect(errors[0]?.reason).toMatch(/app.env:3 holds something that is not a reference.*did you mean aws-sm:\/\/\?/);
  });
});
