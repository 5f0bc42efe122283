// From a gcp-sm:// reference to the resource name and URL of the version to access:
//   gcp-sm://NAME                      → projects/$PROJECT/secrets/NAME/versions/latest
//   gcp-sm://PROJECT/NAME              → projects/PROJECT/secrets/NAME/versions/latest
//   ?version=N|latest, ?project=P       the version, and the project when the locator names none
//   ?location=L, or the locator projects/P/locations/L/secrets/S
//                                      → projects/P/locations/L/secrets/S/versions/V at
//                                        https://secretmanager.L.rep.googleapis.com (regional secrets)
// `secret://NAME` becomes gcp-sm://NAME (the default project, the latest version).
import { ProviderError } from '../../errors/errors.js';
import type { Reference } from '../../refs/index.js';
import type { GcpTarget } from './settings.js';

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const PROJECT = /^[A-Za-z0-9.:-]{1,100}$/;
const VERSION = /^(?:latest|[1-9]\d{0,18})$/;
const LOCATION = /^[a-z][a-z0-9-]{0,62}$/;
const REGIONAL = /^projects\/([^/]+)\/locations\/([^/]+)\/secrets\/([^/]+)$/;
const ALPHABET = 'Google secret names hold only letters, digits, _ and -';
const GLOBAL_ENDPOINT = 'https://secretmanager.googleapis.com';

function invalid(message: string): never {
  throw new ProviderError('Invalid', message);
}

/** Where one version lives. `project` is undefined when the reference names none (the default applies). */
export interface VersionAddress {
  readonly project: string | undefined;
  readonly location: string | undefined;
  readonly secret: string;
  readonly version: string;
}

/** Maps `secret://NAME`; a name Google cannot hold is Invalid, saying why. */
export function mapGenericName(name: string): Reference {
  if (!NAME.test(name)) {
    const why = name.length > 255 ? 'it is longer than 255 characters' : ALPHABET;
    throw new ProviderError('Invalid', `'${name}' cannot be a Google secret name: ${why}`);
  }
  return { scheme: 'gcp-sm', path: name, optional: false, params: {} };
}

/** Works out project, location, secret and version of a reference; contradictions are Invalid. */
export function addressOf(ref: Reference): VersionAddress {
  if (ref.scheme !== 'gcp-sm') invalid(`the gcp provider does not serve ${ref.scheme}:// references`);
  const regional = REGIONAL.exec(ref.path);
  const segments = ref.path.split('/');
  const [pathProject, pathLocation, secret] = regional
    ? [regional[1], regional[2], regional[3] ?? '']
    : segments.length === 2
      ? [segments[0], undefined, segments[1] ?? '']
      : [undefined, undefined, ref.path];
  const project = agree('project', pathProject, ref.params.project);
  const location = agree('location', pathLocation, ref.params.location);
  const version = ref.version ?? 'latest';
  if (!NAME.test(secret)) invalid(`'${secret}' is not a Google secret name (1-255 of A-Z a-z 0-9 _ -)`);
  if (project !== undefined && !PROJECT.test(project)) invalid(`'${project}' is not a Google project id`);
  if (location !== undefined && !LOCATION.test(location)) invalid(`'${location}' is not a Google location`);
  if (!VERSION.test(version)) invalid(`version '${version}' is not valid: versions are numbers (1, 2, …) or latest`);
  return { project, location, secret, version };
}

function agree(what: string, inPath: string | undefined, inParam: string | undefined): string | undefined {
  if (inPath !== undefined && inParam !== undefined && inPath !== inParam) {
    invalid(`the name gives ${what} ${inPath} but ?${what}=${inParam} names another: remove ?${what}=`);
  }
  return inPath ?? inParam;
}

/** The version's resource name, as Google writes it. */
export function resourceName(address: VersionAddress, project: string): string {
  const location = address.location === undefined ? '' : `/locations/${address.location}`;
  const where = `projects/${project}${location}`;
  return `${where}/secrets/${address.secret}/versions/${address.version}`;
}

/** The URL of `GET /v1/{name}:access` for the target in use. */
export function accessUrl(target: GcpTarget, address: VersionAddress, name: string): URL {
  const regional = `https://secretmanager.${address.location}.rep.googleapis.com`;
  const google = address.location === undefined ? GLOBAL_ENDPOINT : regional;
  const base = target.kind === 'google' ? new URL(google) : target.url;
  const prefix = base.pathname.replace(/\/+$/, '');
  // Every part of the name was checked against Google's character sets above: nothing to escape.
  return new URL(`${prefix}/v1/${name}:access`, base.origin);
}
