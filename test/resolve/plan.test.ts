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
});
