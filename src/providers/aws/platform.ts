// How `--provider auto` recognises AWS: the variables Lambda, ECS and EKS set, and IMDSv2's token answer.
// All four clouds listen at 169.254.169.254 and several answer 200 to paths that are not theirs, so the
// recogniser accepts only this vendor's documented mark and never quotes the body.
import type { Platform, ProbeAnswer, Recognition } from '../../resolve/platform.js';

const fail = (reason: string): Recognition => ({ ok: false, reason });
const LAMBDA_ENV =
  'https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime';
const AWS_CONTAINER_CREDS = 'https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html';

// AWS IMDSv2: the token PUT is answered with the token as text and the TTL echoed in a response header
// (the AWS SDKs refuse a token response without it).
function recogniseAws(a: ProbeAnswer): Recognition {
  if (a.status !== 200) return fail(`HTTP ${a.status}`);
  if (a.headers['metadata-flavor'] !== undefined) return fail('answered with a Metadata-Flavor header (not AWS)');
  if (!/^\d+$/.test(a.headers['x-aws-ec2-metadata-token-ttl-seconds'] ?? ''))
    return fail('no X-aws-ec2-metadata-token-ttl-seconds header');
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(a.body.trim())) return fail('the body is not a session token');
  return { ok: true, detail: 'IMDSv2 issued a session token' };
}

/** The AWS platform, as detection sees it. */
export const platform: Platform = {
  label: 'AWS',
  variables: [
    { env: 'AWS_EXECUTION_ENV', weight: 'platform', why: 'set by Lambda and by the ECS agent', source: LAMBDA_ENV },
    { env: 'AWS_LAMBDA_FUNCTION_NAME', weight: 'platform', why: 'set by Lambda', source: LAMBDA_ENV },
    {
      env: 'ECS_CONTAINER_METADATA_URI_V4',
      weight: 'platform',
      why: 'set by ECS (EC2 agent ≥ 1.39, Fargate ≥ 1.4)',
      source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4.html',
    },
    {
      env: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      weight: 'platform',
      why: 'set by ECS for a task IAM role',
      source: AWS_CONTAINER_CREDS,
    },
    {
      env: 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      weight: 'platform',
      why: 'set by EKS Pod Identity',
      source: AWS_CONTAINER_CREDS,
    },
    {
      env: 'AWS_WEB_IDENTITY_TOKEN_FILE',
      weight: 'platform',
      why: 'set by EKS IAM roles for service accounts',
      source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-configuration.html',
    },
  ],
  probe: {
    method: 'PUT',
    path: '/latest/api/token',
    headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' },
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-v2-how-it-works.html',
    recognise: recogniseAws,
  },
};
