// The shared CA of a run: which variable decides, and the errors for a file that is not a CA bundle.
// (Applying a CA and a proxy process-wide is checked end to end: test/e2e/ca-trust.test.ts, proxy.test.ts.)
import { describe, expect, it } from 'vitest';
import { prepareNetwork, sharedCaVariable } from '../../../src/providers/shared/network-setup.js';

const files: Record<string, string> = { '/ca/empty.pem': 'not a certificate\n' };
const readFile = async (path: string): Promise<Buffer> => {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  return Buffer.from(text);
};

describe('the shared CA variable', () => {
  it('is SECRETS_EXEC_CA_FILE, else SSL_CERT_FILE; an empty variable counts as unset', () => {
    expect(sharedCaVariable({ SECRETS_EXEC_CA_FILE: '/a', SSL_CERT_FILE: '/b' })).toBe('SECRETS_EXEC_CA_FILE');
    expect(sharedCaVariable({ SECRETS_EXEC_CA_FILE: '', SSL_CERT_FILE: '/b' })).toBe('SSL_CERT_FILE');
    expect(sharedCaVariable({ NODE_EXTRA_CA_CERTS: '/c' })).toBeUndefined();
  });

  it('is Invalid when the file cannot be read or holds no certificate, naming the variable', async () => {
    await expect(prepareNetwork({ env: { SSL_CERT_FILE: '/ca/missing.pem' }, readFile })).rejects.toMatchObject({
      kind: 'Invalid',
      message: expect.stringMatching(/^SSL_CERT_FILE .*\/ca\/missing\.pem/),
    });
    await expect(prepareNetwork({ env: { SECRETS_EXEC_CA_FILE: '/ca/empty.pem' }, readFile })).rejects.toMatchObject({
      kind: 'Invalid',
      message: 'SECRETS_EXEC_CA_FILE /ca/empty.pem holds no PEM certificate (BEGIN CERTIFICATE)',
    });
  });

  it('needs nothing when no variable is set', async () => {
    const egress = await prepareNetwork({ env: {}, readFile });
    expect(egress.proxyEnv).toBeUndefined();
  });
});
