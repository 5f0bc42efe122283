// One small parser per scheme (docs/architecture.md): each checks the locator after `//` and normalises it. They are
// pure and throw only ReferenceSyntaxError. The special forms (bare AWS ARNs, Google resource names) are
// recognised here so that providers only ever see one shape per scheme.
import { ReferenceSyntaxError } from '../errors/errors.js';
import type { Scheme } from './types.js';

interface SchemeSyntax {
  /** Query parameters this scheme accepts besides `version` and `optional`. */
  readonly params: readonly string[];
  /** Checks and normalises the locator; may move a version found in the locator into `version`. */
  parsePath(path: string): { path: string; version?: string };
  /** Checks the values of the scheme's own parameters (their names are checked already). */
  checkParams?(params: Readonly<Record<string, string>>): void;
}

// Characters no store allows in a locator, and that would make logs ambiguous.
const FORBIDDEN = /[\s\u0000-\u001f\u007f?#]/u;

function requireSegments(path: string, what: string, min: number, max = Infinity): string[] {
  if (path === '') throw new ReferenceSyntaxError(`${what} is empty`);
  if (FORBIDDEN.test(path))
    throw new ReferenceSyntaxError(`${what} contains white space, a control character, '?' or '#'`);
  const segments = path.split('/');
  if (segments.some((s) => s === '')) {
    throw new ReferenceSyntaxError(`${what} has an empty path segment (a leading, trailing or doubled '/')`);
  }
  if (segments.length < min || segments.length > max) {
    const expected = max === Infinity ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
    throw new ReferenceSyntaxError(`${what} needs ${expected} '/'-separated parts, got ${segments.length}`);
  }
  return segments;
}

const plain =
  (what: string, min = 1, max = Infinity): SchemeSyntax['parsePath'] =>
  (path) => {
    requireSegments(path, what, min, max);
    return { path };
  };

const AWS_SM_ARN = /^arn:aws(?:-cn|-us-gov|-iso|-iso-b)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const AWS_SSM_ARN = /^arn:aws(?:-cn|-us-gov|-iso|-iso-b)?:ssm:[a-z0-9-]+:\d{12}:parameter\/?[A-Za-z0-9/_.-]+$/;
const AWS_SM_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const AWS_SSM_NAME = /^\/?[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;
const GCP_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const GCP_PROJECT = /^[A-Za-z0-9.:-]{1,100}$/;
const GCP_VERSION = /^(?:latest|\d+)$/;
const GCP_LOCATION = /^[a-z][a-z0-9-]{0,62}$/;
// The secret types of the Secrets Manager v2 API (its `secret_type` values).
export const IBM_SECRET_TYPES: readonly string[] = [
  'arbitrary',
  'iam_credentials',
  'imported_cert',
  'kv',
  'private_cert',
  'public_cert',
  'service_credentials',
  'username_password',
];
// An AWS region name: a partition's area, a direction and a number (us-east-1, us-gov-west-1, cn-north-1,
// us-isob-east-1, eu-central-2). The SDK would put any text into a host name and fail with a bare Error.
const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const OCID = /^ocid1\.[a-z0-9]+\.[a-z0-9-]*\.[a-z0-9-]*\.[A-Za-z0-9._-]+$/;

export const SCHEME_SYNTAX: Readonly<Record<Scheme, SchemeSyntax>> = {
  secret: { params: [], parsePath: plain('secret name') },
  local: { params: [], parsePath: plain('local key') },
  // namespace=CHILD: a Vault Enterprise namespace under VAULT_NAMESPACE that the path is read in.
  vault: { params: ['namespace'], parsePath: plain('Vault path (MOUNT/PATH)', 2), checkParams: checkVaultParams },
  'aws-sm': {
    params: ['region'],
    checkParams: checkAwsParams,
    parsePath(path) {
      if (AWS_SM_ARN.test(path) || AWS_SM_NAME.test(path)) return { path };
      throw new ReferenceSyntaxError(
        'AWS secret name must be 1-512 of A-Z a-z 0-9 / _ + = . @ -, or a secretsmanager ARN',
      );
    },
  },
  'aws-ssm': {
    params: ['region'],
    checkParams: checkAwsParams,
    parsePath(path) {
      if (AWS_SSM_ARN.test(path) || AWS_SSM_NAME.test(path)) return { path };
      // NAME:VERSION is how GetParameters takes a version; here it is a parameter: point to it.
      const selector = /^(.+):([A-Za-z0-9_.-]+)$/.exec(path);
      if (selector && AWS_SSM_NAME.test(selector[1] as string)) {
        throw new ReferenceSyntaxError(
          `an SSM version or label is written ?version=${selector[2]} ` +
            `(aws-ssm://${selector[1]}?version=${selector[2]}), not after a ':'`,
        );
      }
      throw new ReferenceSyntaxError(
        'SSM parameter name must be of A-Z a-z 0-9 _ . - and / (write /app/db as aws-ssm:///app/db), ' +
          'or an ssm parameter ARN',
      );
    },
  },
  'gcp-sm': {
    params: ['project', 'location'],
    parsePath(path) {
      const segments = requireSegments(path, 'Google secret', 1, 8);
      // projects/P/secrets/S[/versions/V] is the resource name Google's own tools print; a regional secret's
      // name (projects/P/locations/L/secrets/S[/versions/V]) keeps its shape, since the locator is all a
      // scheme parser may normalise (its location is not a parameter here).
      if (segments[0] === 'projects') return parseGcpResourceName(segments);
      if (segments.length > 2) {
        throw new ReferenceSyntaxError('Google secret must be NAME, PROJECT/NAME or projects/P/secrets/S');
      }
      const name = segments.at(-1) ?? '';
      checkGcp(segments.length === 2 ? (segments[0] ?? '') : undefined, name, undefined);
      return { path };
    },
  },
  'oci-vault': {
    params: ['stage'],
    parsePath(path) {
      const segments = requireSegments(path, 'OCI secret', 1, 2);
      if (!OCID.test(segments[0] ?? ''))
        throw new ReferenceSyntaxError('OCI reference must start with an OCID (ocid1.…)');
      if (segments.length === 2 && !/^[A-Za-z0-9_.-]{1,255}$/.test(segments[1] ?? '')) {
        throw new ReferenceSyntaxError('OCI secret name must be 1-255 of A-Z a-z 0-9 _ . -');
      }
      return { path };
    },
  },
  'ibm-sm': {
    // fallback=TYPE: the secret of that type and name when none of TYPE has the name (secret:// uses it).
    params: ['fallback'],
    parsePath(path) {
      const segments = requireSegments(path, 'IBM secret', 1, 3);
      if (segments.length === 2) throw new ReferenceSyntaxError('IBM reference must be ID or GROUP/TYPE/NAME');
      if (segments.length === 3 && !IBM_SECRET_TYPES.includes(segments[1] ?? '')) {
        throw new ReferenceSyntaxError(`IBM secret type must be one of ${IBM_SECRET_TYPES.join(', ')}`);
      }
      return { path };
    },
  },
};

/**
 * What is wrong with an AWS region name, for a message that follows what names it (`?region=`,
 * `AWS_REGION`); undefined when it has a region's form.
 */
export function awsRegionProblem(region: string): string | undefined {
  if (AWS_REGION.test(region)) return undefined;
  const shown = region.length > 40 ? `${JSON.stringify(region.slice(0, 40))}…` : JSON.stringify(region);
  return `${shown} is not an AWS region name (expected one such as us-east-1, eu-west-2, ap-southeast-1)`;
}

// A Vault namespace path: names of letters, digits, '_', '-' and '.', joined by '/' (never '.' or '..').
function checkVaultParams(params: Readonly<Record<string, string>>): void {
  const namespace = params.namespace?.replace(/^\/+|\/+$/g, '');
  if (namespace === undefined) return;
  const segments = namespace.split('/');
  if (segments.some((s) => !/^[A-Za-z0-9_.-]+$/.test(s) || s === '.' || s === '..')) {
    throw new ReferenceSyntaxError(
      '?namespace= must be a Vault namespace path such as team-a or team-a/app (letters, digits, _ - . and /)',
    );
  }
}

// ?region= is checked where the reference is parsed, so a typo stops the run before anything is fetched.
function checkAwsParams(params: Readonly<Record<string, string>>): void {
  const region = params.region;
  const problem = region === undefined ? undefined : awsRegionProblem(region);
  if (problem !== undefined) throw new ReferenceSyntaxError(`?region=: ${problem}`);
}

function checkGcp(project: string | undefined, name: string, version: string | undefined): void {
  if (project !== undefined && !GCP_PROJECT.test(project))
    throw new ReferenceSyntaxError(`Google project id is not valid`);
  if (!GCP_NAME.test(name)) throw new ReferenceSyntaxError('Google secret name must be 1-255 of A-Z a-z 0-9 _ -');
  if (version !== undefined && !GCP_VERSION.test(version))
    throw new ReferenceSyntaxError('Google version must be a number or latest');
}

const GCP_SHAPE =
  'Google resource name must be projects/P/secrets/S[/versions/V] or projects/P/locations/L/secrets/S[/versions/V]';

function parseGcpResourceName(segments: readonly string[]): { path: string; version?: string } {
  const regional = segments[2] === 'locations';
  const [project = '', location] = [segments[1], regional ? segments[3] : undefined];
  const rest = segments.slice(regional ? 4 : 2);
  const [secrets, name = '', versions, version] = rest;
  const shapeOk = secrets === 'secrets' && (rest.length === 2 || (rest.length === 4 && versions === 'versions'));
  if (!shapeOk) throw new ReferenceSyntaxError(GCP_SHAPE);
  checkGcp(project, name, version);
  if (location !== undefined && !GCP_LOCATION.test(location)) {
    throw new ReferenceSyntaxError('Google location must be a region name such as europe-west1');
  }
  const path =
    location === undefined ? `${project}/${name}` : `projects/${project}/locations/${location}/secrets/${name}`;
  return version === undefined ? { path } : { path, version };
}
