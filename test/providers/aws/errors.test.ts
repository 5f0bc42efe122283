// The error mapping of issue #3 as a table, plus the SDK failures that need no fake: no credentials, and
// errors the SDK raises itself.
import { describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../../src/errors/errors.js';
import {
  classifyAwsError,
  describeCredentialSources,
  errorFromCode,
  kindOfCode,
} from '../../../src/providers/aws/errors.js';
import { current, errorOf, resolveRefs, useAwsFake } from '../../support/aws.js';

// An error shaped as the SDK's service exceptions are: the code as `name`, with $fault and $metadata.
function serviceError(code: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

describe('kindOfCode', () => {
  it.each([
    // NotFound
    ['ResourceNotFoundException', 'NotFound'],
    ['ParameterNotFound', 'NotFound'],
    ['ParameterVersionNotFound', 'NotFound'],
    // Denied: IAM, credentials, KMS
    ['AccessDeniedException', 'Denied'],
    ['UnrecognizedClientException', 'Denied'],
    ['ExpiredTokenException', 'Denied'],
    ['InvalidSignatureException', 'Denied'],
    ['DecryptionFailure', 'Denied'],
    ['InvalidKeyId', 'Denied'],
    ['KMSAccessDeniedException', 'Denied'],
    // Unavailable: throttling and server faults, retried centrally
    ['ThrottlingException', 'Unavailable'],
    ['InternalServiceError', 'Unavailable'],
    ['InternalServerError', 'Unavailable'],
    // anything else is not known
    ['InvalidRequestException', undefined],
  ])('maps %s to %s', (code, kind) => {
    expect(kindOfCode(code)).toBe(kind);
  });
});

describe('classifyAwsError', () => {
  it('names the permission AWS says is missing', () => {
    const error = classifyAwsError(
      serviceError(
        'AccessDeniedException',
        'User: arn:aws:sts::123456789012:assumed-role/app/i-1 is not authorized to perform: ' +
          'secretsmanager:GetSecretValue on resource: db ' +
          'because no identity-based policy allows the secretsmanager:GetSecretValue action',
      ),
    );
    expect(error.kind).toBe('Denied');
    expect(error.message).toMatch(
      new RegExp(
        '^access denied: the caller lacks the IAM permission secretsmanager:GetSecretValue ' +
          '\\(AccessDeniedException\\): AWS says "User: arn:aws:sts::',
      ),
    );
  });

  it('treats an unknown 5xx as Unavailable and an unknown 4xx as Invalid', () => {
    expect(classifyAwsError(serviceError('SomethingNew', 'x', 503)).kind).toBe('Unavailable');
    expect(classifyAwsError(serviceError('SomethingNew', 'x', 400)).kind).toBe('Invalid');
  });

  it('keeps an AWS message on one bounded line', () => {
    const error = classifyAwsError(serviceError('InvalidRequestException', `line one\nline two ${'x'.repeat(400)}`));
    expect(error.message).not.toMatch(/\n/);
    expect(error.message.length).toBeLessThan(420);
  });

  it('turns an abort into Timeout and a refused connection into Unavailable', () => {
    expect(classifyAwsError(Object.assign(new Error('aborted'), { name: 'AbortError' })).kind).toBe('Timeout');
    expect(classifyAwsError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).kind).toBe(
      'Unavailable',
    );
  });

  it('never quotes a body it could not parse', () => {
    const error = classifyAwsError(
      Object.assign(new SyntaxError('Unexpected token in JSON at position 3: "hunter2"'), {
        $metadata: { httpStatusCode: 200 },
      }),
    );
    expect(error.kind).toBe('Invalid');
    expect(error.message).not.toMatch(/hunter2/);
  });

  it("says a region the SDK refuses (from the AWS profile) is not a region name, not 'the AWS SDK failed'", () => {
    for (const message of [
      'Region not accepted: region="../x" is not a valid hostname component.',
      'Invalid region in client config',
    ]) {
      const error = classifyAwsError(new Error(message));
      expect(error.kind).toBe('Invalid');
      expect(error.message).toMatch(/^the AWS region is not a region name \(check the region of the AWS profile/);
    }
  });

  it('passes a ProviderError through', () => {
    const original = new ProviderError('NotFound', 'x');
    expect(classifyAwsError(original)).toBe(original);
  });

  it('maps a BatchGetSecretValue Errors[] entry by its ErrorCode', () => {
    expect(errorFromCode('ResourceNotFoundException', "Secrets Manager can't find the specified secret.").kind).toBe(
      'NotFound',
    );
    expect(errorFromCode('AccessDeniedException', undefined).kind).toBe('Denied');
  });
});

describe('describeCredentialSources', () => {
  it('lists every link of the default chain and says which variables are not set', () => {
    const text = describeCredentialSources({ AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: 'prod' });
    expect(text).toMatch(/AWS_ACCESS_KEY_ID \(not set\)/);
    expect(text).toMatch(/profile 'prod'/);
    expect(text).toMatch(/AWS_WEB_IDENTITY_TOKEN_FILE \(not set\)/);
    expect(text).toMatch(/AWS_CONTAINER_CREDENTIALS_RELATIVE_URI \(not set\)/);
    expect(text).toMatch(/IMDSv2\) \(disabled by AWS_EC2_METADATA_DISABLED\)/);
  });
});

describe('awsProvider without credentials', () => {
  useAwsFake();

  it('fails Denied with a message that lists where credentials were looked for, and sends nothing', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
    try {
      const error = errorOf((await resolveRefs(['aws-sm://db'], { AWS_EC2_METADATA_DISABLED: 'true' }))[0]);
      expect(error.kind).toBe('Denied');
      expect(error.message).toMatch(
        new RegExp(
          '^no AWS credentials could be loaded \\(Could not load credentials from any providers\\)\\. ' +
            'Looked in: 1\\) environment: AWS_ACCESS_KEY_ID \\(not set\\)',
        ),
      );
      expect(error.message).toMatch(/EC2 instance metadata/);
      expect(current.fake.requests).toHaveLength(0);
    } finally {
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAFAKEFAKEFAKE0001');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'fake/secret+key/for-tests-only');
    }
  });

  it('signs with a session token when one is given, and the fake checks it', async () => {
    await current.fake.close();
    const { startAwsFake, AWS_TEST_CREDENTIALS } = await import('../../fakes/aws.js');
    current.fake = await startAwsFake({ credentials: { ...AWS_TEST_CREDENTIALS, sessionToken: 'the-session-token' } });
    current.fake.putSecret('db', 'v');
    vi.stubEnv('AWS_SESSION_TOKEN', 'the-session-token');
    try {
      const [ok] = await resolveRefs(['aws-sm://db']);
      expect(ok && 'value' in ok).toBe(true);
      vi.stubEnv('AWS_SESSION_TOKEN', 'another-token');
      expect(errorOf((await resolveRefs(['aws-sm://db']))[0]).kind).toBe('Denied');
      expect(current.fake.requests.map((r) => r.auth)).toEqual(['ok', 'wrong session token']);
    } finally {
      vi.stubEnv('AWS_SESSION_TOKEN', undefined);
    }
  });
});
