// How `--provider auto` recognises each cloud (DESIGN §4), as data: the variables its platforms set
// (each with the page that documents it) and the metadata request only it answers (judged by
// platform-answers.ts). src/detect/ runs these generically, so no file outside src/providers/ knows
// what a cloud is called (DESIGN §4, STYLE §5). The Vault tier's signal stays in registry.ts
// (`signals`): it is configuration, not a platform.
import { recogniseAws, recogniseGoogle, recogniseIbm, recogniseOracle } from './platform-answers.js';

/** How much a variable says: `platform` is set by the platform itself; `hint` is user configuration
 * (or shared by several platforms) and decides only when no `platform` variable does. */
export type SignalWeight = 'platform' | 'hint';

export interface PlatformVariable {
  readonly env: string;
  readonly weight: SignalWeight;
  readonly why: string;
  /** Where the vendor documents it. */
  readonly source: string;
}

/** What a probe got back: status, lower-cased headers and the (capped) body text. */
export interface ProbeAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

export type Recognition = { readonly ok: true; readonly detail: string } | { readonly ok: false; readonly reason: string };

export interface MetadataProbe {
  readonly method: 'GET' | 'PUT';
  /** Path and query, appended to the metadata base address. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly source: string;
  recognise(answer: ProbeAnswer): Recognition;
}

export interface Platform {
  /** The provider name in registry.ts this platform selects. */
  readonly provider: string;
  readonly label: string;
  readonly variables: readonly PlatformVariable[];
  readonly probe: MetadataProbe;
}

const LAMBDA_ENV = 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime';
const AWS_CONTAINER_CREDS = 'https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html';
const CLOUD_RUN_CONTRACT = 'https://cloud.google.com/run/docs/container-contract#env-vars';
const APP_ENGINE_ENV = 'https://cloud.google.com/appengine/docs/standard/nodejs/runtime#environment_variables';
const CODE_ENGINE_ENV = 'https://cloud.ibm.com/docs/codeengine?topic=codeengine-inside-env-vars';

// Order is the order of `detect` output only: every platform is checked, and two matches are an error.
export const PLATFORMS: readonly Platform[] = [
  {
    provider: 'aws',
    label: 'AWS',
    variables: [
      { env: 'AWS_EXECUTION_ENV', weight: 'platform', why: 'set by Lambda and by the ECS agent', source: LAMBDA_ENV },
      { env: 'AWS_LAMBDA_FUNCTION_NAME', weight: 'platform', why: 'set by Lambda', source: LAMBDA_ENV },
      { env: 'ECS_CONTAINER_METADATA_URI_V4', weight: 'platform', why: 'set by ECS (EC2 agent ≥ 1.39, Fargate ≥ 1.4)', source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4.html' },
      { env: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', weight: 'platform', why: 'set by ECS for a task IAM role', source: AWS_CONTAINER_CREDS },
      { env: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', weight: 'platform', why: 'set by EKS Pod Identity', source: AWS_CONTAINER_CREDS },
      { env: 'AWS_WEB_IDENTITY_TOKEN_FILE', weight: 'platform', why: 'set by EKS IAM roles for service accounts', source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-configuration.html' },
    ],
    probe: {
      method: 'PUT',
      path: '/latest/api/token',
      headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' },
      source: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-v2-how-it-works.html',
      recognise: recogniseAws,
    },
  },
  {
    provider: 'gcp',
    label: 'Google Cloud',
    variables: [
      { env: 'CLOUD_RUN_JOB', weight: 'platform', why: 'set by Cloud Run jobs', source: CLOUD_RUN_CONTRACT },
      { env: 'FUNCTION_TARGET', weight: 'platform', why: 'set by Cloud Run functions', source: 'https://cloud.google.com/functions/docs/configuring/env-var#runtime_environment_variables_set_automatically' },
      { env: 'GAE_SERVICE', weight: 'platform', why: 'set by App Engine', source: APP_ENGINE_ENV },
      // Knative's variable: IBM Code Engine sets it too (next to CE_APP, which then outranks it).
      { env: 'K_SERVICE', weight: 'hint', why: 'set by Cloud Run services (and by any Knative)', source: CLOUD_RUN_CONTRACT },
      { env: 'GOOGLE_CLOUD_PROJECT', weight: 'hint', why: 'the Google Cloud project (set by App Engine, or by hand)', source: APP_ENGINE_ENV },
    ],
    probe: {
      method: 'GET',
      path: '/computeMetadata/v1/',
      headers: { 'Metadata-Flavor': 'Google' },
      source: 'https://cloud.google.com/compute/docs/metadata/querying-metadata',
      recognise: recogniseGoogle,
    },
  },
  {
    provider: 'oci',
    label: 'Oracle Cloud',
    variables: [
      { env: 'OCI_RESOURCE_PRINCIPAL_VERSION', weight: 'platform', why: 'set where OCI provides a resource principal (Functions, Container Instances, …)', source: 'https://docs.oracle.com/en-us/iaas/Content/Functions/Tasks/functionsenvironmentvariables.htm' },
    ],
    probe: {
      method: 'GET',
      path: '/opc/v2/instance/',
      headers: { Authorization: 'Bearer Oracle' },
      source: 'https://docs.oracle.com/en-us/iaas/Content/Compute/Tasks/gettingmetadata.htm',
      recognise: recogniseOracle,
    },
  },
  {
    provider: 'ibm',
    label: 'IBM Cloud',
    variables: [
      { env: 'CE_APP', weight: 'platform', why: 'set by Code Engine applications', source: CODE_ENGINE_ENV },
      { env: 'CE_JOB', weight: 'platform', why: 'set by Code Engine jobs', source: CODE_ENGINE_ENV },
      { env: 'CE_PROJECT_ID', weight: 'platform', why: 'set by Code Engine', source: CODE_ENGINE_ENV },
      { env: 'IBM_CLOUD_APIKEY', weight: 'hint', why: 'an IBM Cloud API key was given', source: 'DESIGN.md §2 (the IBM provider\'s credential variable)' },
    ],
    probe: {
      method: 'PUT',
      path: '/instance_identity/v1/token?version=2022-03-01',
      headers: { 'Metadata-Flavor': 'ibm', 'Content-Type': 'application/json', Accept: 'application/json' },
      // The shortest lifetime worth asking for: the token is thrown away unread.
      body: '{"expires_in":60}',
      source: 'https://cloud.ibm.com/docs/vpc?topic=vpc-imd-identity-operations',
      recognise: recogniseIbm,
    },
  },
];
