// AWS: Secrets Manager and SSM Parameter Store (issue #3).
//
// References:
//   aws-sm://NAME-OR-ARN[?version=ID|STAGE][&region=R][#KEY]   (a bare arn:aws:secretsmanager:… value too)
//   aws-ssm://NAME[?version=N|LABEL][&region=R][#KEY]          (/app/db/pass is aws-ssm:///app/db/pass;
//                                                               a bare arn:aws:ssm:…:parameter/… value too)
//   secret://NAME → aws-sm://NAME (the secret's name, '/' kept).
// Region: an ARN's own region, else ?region=, else AWS_REGION / AWS_DEFAULT_REGION, else the SDK's profile.
// Environment read (ctx.env): AWS_REGION, AWS_DEFAULT_REGION, AWS_PROFILE, AWS_ENDPOINT_URL,
//   AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL_SSM, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS; the SDK's
//   default credential chain reads its own variables (env keys, shared files/AWS_PROFILE, web identity,
//   ECS/EKS container credentials, IMDSv2) — nothing custom.
// API calls: secretsmanager:BatchGetSecretValue (≤ 20 ids a call), secretsmanager:GetSecretValue (a
//   version, a lone secret, or when the batch action is denied), ssm:GetParameters (≤ 10 names, with
//   decryption), ssm:GetParameter (a name the batch answer did not cover), over the AWS JSON 1.1 protocol
//   (json-rpc.ts: SigV4 by the SDK's signer, credentials from the SDK's default chain). One client per
//   service and region per run, all calls of a run in parallel, each call made once (retries are central).
// Values: SecretString as text, SecretBinary as UTF-8 bytes (anything else is Invalid); the version shown
// by `check` is the VersionId with its stages (Secrets Manager) or the version number (SSM).
import { ProviderError, ReferenceSyntaxError } from '../../errors/errors.js';
import { parseReference, type Reference } from '../../refs/index.js';
import {
  isFetched,
  type Outcome,
  type ProviderContext,
  type ProviderInstance,
  type ProviderModule,
} from '../../resolve/types.js';
import { createAwsRun, regionOf, type AwsRun } from './clients.js';
import { classifyAwsError } from './errors.js';
import { missingProfile } from './profile.js';
import { fetchSecrets } from './secrets-manager.js';
import { fetchParameters } from './ssm.js';
import { awsSdkFiles } from '../shared/aws-sdk-files.js';
import { checkVendorFiles } from '../shared/vendor-file.js';

interface Group {
  readonly scheme: 'aws-sm' | 'aws-ssm';
  readonly region: string | undefined;
  readonly indexes: number[];
}

// References grouped by service and region: each group shares one client and is batched together.
function groupReferences(batch: readonly Reference[], env: ProviderContext['env'], outcomes: Outcome[]): Group[] {
  const groups = new Map<string, Group>();
  batch.forEach((ref, i) => {
    if (ref.scheme !== 'aws-sm' && ref.scheme !== 'aws-ssm') {
      outcomes[i] = new ProviderError('Invalid', `the aws provider does not serve ${ref.scheme}:// references`);
      return;
    }
    let region: string | undefined;
    try {
      region = regionOf(ref, env);
    } catch (error) {
      outcomes[i] = classifyAwsError(error);
      return;
    }
    const key = `${ref.scheme} ${region ?? ''}`;
    const group = groups.get(key) ?? { scheme: ref.scheme, region, indexes: [] };
    group.indexes.push(i);
    groups.set(key, group);
  });
  return [...groups.values()];
}

async function fetchGroup(run: AwsRun, group: Group, refs: readonly Reference[]): Promise<Outcome[]> {
  let outcomes: Outcome[];
  try {
    outcomes =
      group.scheme === 'aws-sm'
        ? await fetchSecrets(run, group.region, refs)
        : await fetchParameters(run, group.region, refs);
  } catch (error) {
    const failure = run.classify(error);
    outcomes = refs.map(() => failure);
  }
  outcomes = await blameMissingProfile(outcomes, run.env);
  // "Not found" most often means "looked in another region": say which one was asked.
  const where = group.region === undefined ? 'the region of the AWS profile' : `region ${group.region}`;
  return outcomes.map((o) =>
    isFetched(o) || o.kind !== 'NotFound'
      ? o
      : new ProviderError('NotFound', `${o.message} [${where}]`, { cause: o.cause }),
  );
}

// With AWS_PROFILE set, "no region" or "no credentials" most often means the profile does not exist: the
// shared files are read (only then) to say so, naming the files looked in.
async function blameMissingProfile(outcomes: Outcome[], env: ProviderContext['env']): Promise<Outcome[]> {
  const profileFailure = (o: Outcome): boolean => {
    if (isFetched(o)) return false;
    const cause = (o.cause ?? {}) as { name?: unknown; message?: unknown };
    return cause.message === 'Region is missing' || cause.name === 'CredentialsProviderError';
  };
  if (!env.AWS_PROFILE || !outcomes.some(profileFailure)) return outcomes;
  const [{ readFile }, { homedir }] = await Promise.all([import('node:fs/promises'), import('node:os')]);
  const readText = (path: string): Promise<string | undefined> => readFile(path, 'utf8').catch(() => undefined);
  const missing = await missingProfile(env, readText, homedir());
  return missing === undefined ? outcomes : outcomes.map((o) => (profileFailure(o) ? missing : o));
}

// secret://NAME is the Secrets Manager secret of that name ('/' kept).
function mapGeneric(name: string): Reference {
  try {
    return parseReference(`aws-sm://${name}`);
  } catch (error) {
    if (error instanceof ReferenceSyntaxError)
      throw new ProviderError('Invalid', `'${name}' cannot be an AWS secret name: ${error.message}`);
    throw error;
  }
}

// The SDK reads its shared and token files itself, with no size limit: each is checked before any client
// is made (`AWS_CONFIG_FILE=/dev/zero` fails at once, naming the variable).
async function checkSdkFiles(ctx: ProviderContext): Promise<void> {
  const { homedir } = await import('node:os');
  await checkVendorFiles(ctx.readFile, awsSdkFiles(ctx.env, ctx.env.HOME || homedir()));
}

/** One run of the AWS provider: its clients live in the instance and are destroyed by close(). */
function create(ctx: ProviderContext): ProviderInstance {
  const run = createAwsRun(ctx);
  let filesChecked: Promise<void> | undefined;
  return {
    mapGeneric,
    async resolve(batch) {
      filesChecked ??= checkSdkFiles(ctx);
      await filesChecked;
      const outcomes: Outcome[] = new Array<Outcome>(batch.length);
      await Promise.all(
        groupReferences(batch, ctx.env, outcomes).map(async (group) => {
          const results = await fetchGroup(
            run,
            group,
            group.indexes.map((i) => batch[i] as Reference),
          );
          for (const [j, index] of group.indexes.entries()) outcomes[index] = results[j] as Outcome;
        }),
      );
      return outcomes;
    },
    async close() {
      run.destroy();
    },
  };
}

export const awsProvider: ProviderModule = { create, classify: (error) => classifyAwsError(error) };
