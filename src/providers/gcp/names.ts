// From a gcp-sm:// reference to the resource name and URL of the version to access:
//   gcp-sm://NAME                      → projects/$PROJECT/secrets/NAME/versions/latest
//   gcp-sm://PROJECT/NAME              → projects/PROJECT/secrets/NAME/versions/latest
//   ?version=N|latest, ?project=P       the version, and the project when the locator names none
//   ?location=L, or the locator projects/P/locations/L/secrets/S
//                                      → projects/P/locations/L/secrets/S/versions/V at
//                                        https://secretmanager.L.rep.googleapis.com (regional secrets)
// `secret://NAME` becomes gcp-sm://NAME (the default project, the latest version).
import { ProviderError } from '../../log/errors.js';
import type { Reference } from '../../refs/index.js';
import type { GcpTarget } from './settings.js';

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const PROJECT = /^[A-Za-z0-9.:-]{1,100}$/;
const VERSION = /^(?:latest|[1-9]\d{0,18})$/;
const LOCATION = /^[a-z][a-z0-9-]{0,62}$/;
const REGIONAL = /^projects\/([^/]+)\/locations\/([^/]+)\/secrets\/([^/]+)$/;

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
    const why = name.length > 255 ? 'it is longer than 255 characters' : 'Google secret names hold only letters, digits, _ and -';
    throw new ProviderError('Invalid', `'${name}' cannot be a Google secret name: ${why}`);
  }
  return { scheme: 'gcp-sm', path: name, optional: false, params: {} };
}

/** Works out project, location, secret and version of a reference; contradictions are Invalid. */
export function addressOf(ref: Reference): VersionAddress {
  if (ref.scheme !== 'gcp-sm') throw new ProviderError('Invalid', `the gcp provider does not serve ${ref.scheme}:// references`);
  const regional = REGIONAL.exec(ref.path);
  const segments = ref.path.split('/');
  const [pathProject, pathLocation, secret] = regional
    ? [regional[1], regional[2], regional[3] ?? '']
    : segments.length === 2 ? [segments[0], undefined, segments[1] ?? ''] : [undefined, undefined, ref.path];
  const project = agree('project', pathProject, ref.params.project);
  const location = agree('location', pathLocation, ref.params.location);
  const version = ref.version ?? 'latest';
  if (!NAME.test(secret)) throw new ProviderError('Invalid', `'${secret}' is not a Google secret name (1-255 of A-Z a-z 0-9 _ -)`);
  if (project !== undefined && !PROJECT.test(project)) throw new ProviderError('Invalid', `'${project}' is not a Google project id`);
  if (location !== undefined && !LOCATION.test(location)) throw new ProviderError('Invalid', `'${location}' is not a Google location (such as europe-west1)`);
  if (!VERSION.test(version)) throw new ProviderError('Invalid', `version '${version}' is not valid: Secret Manager versions are numbers (1, 2, …) or latest`);
  return { project, location, secret, version };
}

function agree(what: string, inPath: string | undefined, inParam: string | undefined): string | undefined {
  if (inPath !== undefined && inParam !== undefined && inPath !== inParam) {
    throw new ProviderError('Invalid', `the name gives ${what} ${inPath} but ?${what}=${inParam} names another: remove ?${what}=`);
  }
  return inPath ?? inParam;
}

/** The version's resource name, as Google writes it. */
export function resourceName(address: VersionAddress, project: string): string {
  const where = address.location === undefined ? `projects/${project}` : `projects/${project}/locations/${address.location}`;
  return `${where}/secrets/${address.secret}/versions/${address.version}`;
}

/** The URL of `GET /v1/{name}:access` for the target in use. */
export function accessUrl(target: GcpTarget, address: VersionAddress, name: string): URL {
  const base =
    target.kind !== 'google'
      ? target.url
      : new URL(address.location === undefined ? 'https://secretmanager.googleapis.com' : `https://secretmanager.${address.location}.rep.googleapis.com`);
  const prefix = base.pathname.replace(/\/+$/, '');
  // Every part of the name was checked against Google's character sets above: nothing to escape.
  return new URL(`${prefix}/v1/${name}:access`, base.origin);
}
