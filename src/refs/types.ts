// The parsed form of a secret reference. `formatReference` turns it back into the canonical text that
// is the dedupe key and the only way a reference appears in logs and errors.

/** Every scheme of the grammar (docs/reference-syntax.md), whether or not this build has its provider. */
export const SCHEMES = ['secret', 'vault', 'aws-sm', 'aws-ssm', 'gcp-sm', 'oci-vault', 'ibm-sm', 'local'] as const;

/** Parameters that are switches: written alone (`?optional`), or as =true / =false. */
export const SWITCHES: ReadonlySet<string> = new Set(['optional', 'upcase', 'override']);

export type Scheme = (typeof SCHEMES)[number];

export interface Reference {
  readonly scheme: Scheme;
  /** The scheme-specific locator after `//`, normalised (a Google `projects/P/secrets/S` becomes `P/S`). */
  readonly path: string;
  /** `#KEY`: a top-level key (`password`) or, when it starts with `/`, a JSON pointer (`/db/password`). */
  readonly key?: string | undefined;
  /** `?version=`: the provider's version id, number or stage. */
  readonly version?: string | undefined;
  /** `?optional`: a missing secret leaves the variable unset instead of failing. */
  readonly optional: boolean;
  /** Provider-specific query parameters (`region=`, `project=`, …), already checked against the scheme. */
  readonly params: Readonly<Record<string, string>>;
}
