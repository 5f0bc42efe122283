// The IBM fakes started together (one token issuer shared by IAM, the VPC metadata service and Secrets
// Manager), the test identities they know, and the environment that points secrets-exec at them.
import { startIamFake, type IamFake } from './iam.js';
import { startSecretsManagerFake, type SecretsManagerFake } from './secrets-manager.js';
import { createTokenIssuer, type TokenIssuer } from './tokens.js';
import { startVpcMetadataFake, type VpcMetadataFake } from './vpc-metadata.js';

export const IBM_TEST = {
  apikey: 'fake-ibm-apikey-for-tests-0001-XyZ',
  serviceId: 'iam-ServiceId-00000000-aaaa-4bbb-8ccc-000000000001',
  crToken: 'fake-compute-resource-token-eyJ0ZXN0IjoxfQ',
  profile: {
    id: 'Profile-00000000-aaaa-4bbb-8ccc-000000000002',
    name: 'secrets-exec-tests',
    crn: 'crn:v1:bluemix:public:iam-identity::a/fake::profile:Profile-00000000-aaaa-4bbb-8ccc-000000000002',
  },
} as const;

export interface IbmFakes {
  readonly issuer: TokenIssuer;
  readonly iam: IamFake;
  readonly sm: SecretsManagerFake;
  readonly vpc: VpcMetadataFake;
  reset(): void;
  close(): Promise<void>;
}

export async function startIbmFakes(): Promise<IbmFakes> {
  const issuer = createTokenIssuer();
  const [iam, sm, vpc] = await Promise.all([
    startIamFake(issuer),
    startSecretsManagerFake(issuer),
    startVpcMetadataFake(issuer, [IBM_TEST.profile]),
  ]);
  iam.addApiKey(IBM_TEST.apikey, IBM_TEST.serviceId);
  iam.addTrustedProfile(IBM_TEST.profile, [IBM_TEST.crToken]);
  return {
    issuer,
    iam,
    sm,
    vpc,
    reset() {
      sm.reset();
      iam.requests.length = 0;
      iam.latencyMs = 0;
      iam.gzip = false;
      vpc.requests.length = 0;
    },
    close: async () => {
      await Promise.all([iam.close(), sm.close(), vpc.close()]);
    },
  };
}

/** The environment of an API-key run against the fakes (IAM and Secrets Manager on loopback). */
export function ibmTestEnv(fakes: Pick<IbmFakes, 'iam' | 'sm'>): Record<string, string> {
  return {
    SECRETS_MANAGER_URL: fakes.sm.url,
    SECRETS_MANAGER_AUTH_URL: fakes.iam.url,
    SECRETS_MANAGER_APIKEY: IBM_TEST.apikey,
  };
}
