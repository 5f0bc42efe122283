// The reference grammar (docs/reference-syntax.md, README "References"):
//
//   reference = SCHEME "://" LOCATOR [ "?" PARAMS ] [ "#" KEY ]
//             | AWS-ARN [ "?" PARAMS ] [ "#" KEY ]            (arn:aws:secretsmanager:… / arn:aws:ssm:…:parameter/…)
//   SCHEME    = secret | vault | aws-sm | aws-ssm | gcp-sm | oci-vault | ibm-sm | local
//   PARAMS    = NAME [ "=" VALUE ] *( "&" NAME [ "=" VALUE ] )   (values percent-decoded)
//   KEY       = a top-level key, or a JSON pointer starting with "/" (RFC 6901)
//
// `#KEY?PARAMS` (the order some users write) is accepted too when every trailing parameter is one the
// scheme knows. A value is a reference only when the whole value has this form; a LOCATOR never holds
// white space, '?' or '#', and a KEY never holds '?' or '#'.
import { ReferenceSyntaxError } from '../errors/errors.js';
import { SCHEME_SYNTAX } from './schemes.js';
import { SCHEMES, SWITCHES, type Reference, type Scheme } from './types.js';

const SCHEME_PREFIX = /^([a-z][a-z0-9+.-]*):\/\//;
const BARE_ARN = /^arn:aws[a-z-]*:(secretsmanager|ssm):/;
const PARAM_NAME = /^[a-z][a-z0-9_-]*$/;
const COMMON_PARAMS = ['version', 'optional'];

function isScheme(value: string): value is Scheme {
  return (SCHEMES as readonly string[]).includes(value);
}

/** True when the whole value is written as a reference of a scheme secrets-exec knows. */
export function isReference(value: string): boolean {
  const scheme = SCHEME_PREFIX.exec(value)?.[1];
  return (scheme !== undefined && isScheme(scheme)) || BARE_ARN.test(value);
}

/**
 * Parses one reference; throws ReferenceSyntaxError (and nothing else) saying what is wrong.
 * `extraParams` admits parameters that belong to the caller rather than the store (`--load`'s `prefix`).
 */
export function parseReference(text: string, options: { extraParams?: readonly string[] } = {}): Reference {
  const bare = BARE_ARN.exec(text);
  const full = bare ? `${bare[1] === 'ssm' ? 'aws-ssm' : 'aws-sm'}://${text}` : text;
  const scheme = SCHEME_PREFIX.exec(full)?.[1];
  if (scheme === undefined) throw new ReferenceSyntaxError('not a reference: expected SCHEME://…');
  if (!isScheme(scheme)) {
    throw new ReferenceSyntaxError(
      `unknown scheme '${scheme}://' (known: ${SCHEMES.map((s) => `${s}://`).join(', ')})`,
    );
  }
  const syntax = SCHEME_SYNTAX[scheme];
  const known = [...COMMON_PARAMS, ...syntax.params, ...(options.extraParams ?? [])];
  const rest = full.slice(scheme.length + 3);

  const hash = rest.indexOf('#');
  const head = hash === -1 ? rest : rest.slice(0, hash);
  let fragment = hash === -1 ? undefined : rest.slice(hash + 1);
  const question = head.indexOf('?');
  const locator = question === -1 ? head : head.slice(0, question);
  let query = question === -1 ? undefined : head.slice(question + 1);

  // `#KEY?PARAMS`: only when no query came before the '#' and the tail is made of known parameters.
  const tail = fragment?.lastIndexOf('?') ?? -1;
  if (fragment !== undefined && query === undefined && tail !== -1) {
    const candidate = fragment.slice(tail + 1);
    if (candidate !== '' && candidate.split('&').every((p) => known.includes(p.split('=')[0] ?? ''))) {
      query = candidate;
      fragment = fragment.slice(0, tail);
    }
  }

  const params = parseParams(query, known, scheme);
  const { path, version: pathVersion } = syntax.parsePath(locator);
  const { version, optional, ...rest2 } = params;
  syntax.checkParams?.(rest2);
  if (pathVersion !== undefined && version !== undefined && pathVersion !== version) {
    throw new ReferenceSyntaxError(
      `two different versions: '${pathVersion}' in the name and '${version}' in ?version=`,
    );
  }
  return {
    scheme,
    path,
    key: fragment === undefined ? undefined : parseKey(fragment),
    version: pathVersion ?? version,
    optional: optional !== undefined && optional !== 'false',
    params: rest2,
  };
}

function parseParams(query: string | undefined, known: readonly string[], scheme: Scheme): Record<string, string> {
  const params = Object.create(null) as Record<string, string>;
  if (query === undefined) return params;
  if (query === '') throw new ReferenceSyntaxError("empty query after '?'");
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    if (!PARAM_NAME.test(name)) throw new ReferenceSyntaxError(`malformed query parameter '${part}'`);
    if (!known.includes(name)) {
      throw new ReferenceSyntaxError(`unknown parameter '${name}' for ${scheme}:// (known: ${known.join(', ')})`);
    }
    if (name in params) throw new ReferenceSyntaxError(`parameter '${name}' given twice`);
    const raw = eq === -1 ? (SWITCHES.has(name) ? 'true' : '') : part.slice(eq + 1);
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      throw new ReferenceSyntaxError(`parameter '${name}' has a malformed %-escape`);
    }
    if (value === '') throw new ReferenceSyntaxError(`parameter '${name}' needs a value (${name}=…)`);
    if (SWITCHES.has(name) && value !== 'true' && value !== 'false') {
      throw new ReferenceSyntaxError(`'${name}' takes no value, or true/false`);
    }
    params[name] = value;
  }
  return params;
}

function parseKey(fragment: string): string {
  if (fragment === '') throw new ReferenceSyntaxError("empty key after '#'");
  if (/[?#\u0000-\u001f]/u.test(fragment))
    throw new ReferenceSyntaxError("key contains '?', '#' or a control character");
  // RFC 6901: '~' must be followed by 0 or 1 in a JSON pointer.
  if (fragment.startsWith('/') && /~(?![01])/.test(fragment)) {
    throw new ReferenceSyntaxError("JSON pointer has a '~' not followed by 0 or 1 (write ~0 for ~ and ~1 for /)");
  }
  return fragment;
}
