import { describe, expect, it } from 'vitest';
import { scrubEnv } from '../../src/process/scrub-env.js';

describe('scrubEnv', () => {
  const env = { PATH: '/bin', SECRETS_EXEC_LOCAL_FILE: 's.yaml', VAULT_TOKEN: 't', VAULT_ADDR: 'http://v', DB: 'x' };

  it("removes secrets-exec's settings and providers' credentials", () => {
    expect(scrubEnv(env, { credentials: ['VAULT_TOKEN'], keep: [] })).toEqual({
      PATH: '/bin',
      VAULT_ADDR: 'http://v',
      DB: 'x',
    });
  });

  it('keeps what --keep-env names', () => {
    expect(scrubEnv(env, { credentials: ['VAULT_TOKEN'], keep: ['VAULT_TOKEN'] })).toHaveProperty('VAULT_TOKEN', 't');
  });
});
