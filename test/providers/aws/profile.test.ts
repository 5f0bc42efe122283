import { describe, expect, it } from 'vitest';
import { missingProfile, profileNames, sharedFiles } from '../../../src/providers/aws/profile.js';

const CONFIG = '[default]\nregion = eu-west-1\n[profile dev]\nregion = us-east-1\n[sso-session corp]\n';
const CREDENTIALS = '[default]\naws_access_key_id = x\n[ci]\naws_access_key_id = y\n';

// Files by path; a path not listed cannot be read.
const reader =
  (files: Record<string, string>) =>
  async (path: string): Promise<string | undefined> =>
    files[path];

describe('AWS_PROFILE naming a missing profile', () => {
  it('reads profile names as the SDK does: [profile NAME] or [default] in config, [NAME] in credentials', () => {
    expect([...profileNames(CONFIG, 'config')]).toEqual(['default', 'dev']);
    expect([...profileNames(CREDENTIALS, 'credentials')]).toEqual(['default', 'ci']);
  });

  it('looks in AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else under the home directory', () => {
    expect(sharedFiles({}, '/home/u')).toEqual({
      config: '/home/u/.aws/config',
      credentials: '/home/u/.aws/credentials',
    });
    expect(sharedFiles({ AWS_CONFIG_FILE: '/c', AWS_SHARED_CREDENTIALS_FILE: '/k' }, '/home/u')).toEqual({
      config: '/c',
      credentials: '/k',
    });
  });

  it.each([
    ['no profile set', {}],
    ['a profile of the config file', { AWS_PROFILE: 'dev' }],
    ['a profile of the credentials file', { AWS_PROFILE: 'ci' }],
  ])('finds nothing wrong with %s', async (_, env) => {
    const read = reader({ '/home/u/.aws/config': CONFIG, '/home/u/.aws/credentials': CREDENTIALS });
    expect(await missingProfile(env, read, '/home/u')).toBeUndefined();
  });

  it('says the profile is missing, naming the files looked in and those not found', async () => {
    const read = reader({ '/etc/aws/config': CONFIG });
    const env = { AWS_PROFILE: 'missing', AWS_CONFIG_FILE: '/etc/aws/config' };
    const error = await missingProfile(env, read, '/home/u');
    expect(error?.kind).toBe('Invalid');
    expect(error?.message).toBe(
      "the AWS profile 'missing' (AWS_PROFILE) is missing: it is in neither /etc/aws/config nor " +
        '/home/u/.aws/credentials (not found); fix AWS_PROFILE, or set AWS_CONFIG_FILE / ' +
        'AWS_SHARED_CREDENTIALS_FILE to the files that hold it',
    );
  });

  it('does not take a credentials-style [dev] section of the config file for profile dev', async () => {
    const read = reader({ '/c': '[dev]\nregion = x\n', '/k': '' });
    const env = { AWS_PROFILE: 'dev', AWS_CONFIG_FILE: '/c', AWS_SHARED_CREDENTIALS_FILE: '/k' };
    expect((await missingProfile(env, read, '/h'))?.message).toMatch(/'dev' \(AWS_PROFILE\) is missing/);
  });
});
