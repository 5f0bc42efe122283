// The fault matrix as data: each fault, how it is made, and what secrets-exec must do about it (the
// class in the message, how many times the store is asked, whether `?optional` forgives it), with the
// providers whose store documents another answer. Faults are made at the secret read of every store, and
// the transport faults again at the login or token endpoint of the stores whose test setup has one. The
// e2e test runs it (test/e2e/fault-matrix.test.ts) and docs/fault-matrix.md shows it, rendered from here
// (a test fails when the two drift).
import type { ErrorKind } from '../../src/errors/errors.js';

export type FaultName =
  | 'not found'
  | 'denied'
  | 'throttled, then ok'
  | 'throttled forever'
  | '5xx'
  | 'connection refused'
  | 'reset mid-body'
  | 'slow past the deadline'
  | 'malformed body'
  | 'oversized body'
  | 'wrong content type'
  | 'untrusted TLS certificate';

/** How many requests the endpoint under fault sees (the secret read, or the login). */
export type Tries = 'once' | 'four' | 'until the deadline' | 'three';

export interface Outcome {
  /** The class in the message, or `ok` (exit 0 with the value). */
  readonly kinds: readonly (ErrorKind | 'ok')[];
  readonly tries: Tries;
}

export interface FaultCase {
  readonly name: FaultName;
  /** How the fault is made, for the doc. */
  readonly how: string;
  /** The stores it is run against (a local file has no network faults). */
  readonly local: boolean;
  /** Also made at the login or token endpoint (transport faults; not found and denied are reads'). */
  readonly login: boolean;
  /** --timeout for the run: short where the deadline is the point. */
  readonly timeout: string;
  readonly expect: Outcome;
  /** What the message must also say (e.g. that a cap, not a parse error, stopped an oversized body). */
  readonly says?: RegExp;
  /** Stores whose API documents another answer, and why. */
  readonly differs?: Readonly<Record<string, Outcome & { readonly why: string }>>;
}

export const MATRIX_PROVIDERS = ['vault', 'aws', 'aws-ssm', 'gcp', 'oci', 'ibm', 'local'] as const;
/** Stores whose setup logs in or gets a token over the network (AWS and OCI sign with a static key). */
export const LOGIN_PROVIDERS = ['vault', 'gcp', 'ibm'] as const;

/** Where the fault is made. */
export type Endpoint = 'read' | 'login';

export const FAULTS: readonly FaultCase[] = [
  {
    name: 'not found',
    how: "the fake's own answer for a secret never stored (a key absent from the local file)",
    local: true,
    login: false,
    timeout: '10s',
    expect: { kinds: ['NotFound'], tries: 'once' },
  },
  {
    name: 'denied',
    how: "the fake's own answer for a stored secret its policy does not let the caller read",
    local: false,
    login: false,
    timeout: '10s',
    expect: { kinds: ['Denied'], tries: 'once' },
    differs: {
      oci: {
        kinds: ['NotFound'],
        tries: 'once',
        why:
          'OCI answers 404 NotAuthorizedOrNotFound for both, so the caller cannot tell them apart (and ' +
          '`?optional` forgives it); the message says "not found, or this principal may not read it"',
      },
    },
  },
  {
    name: 'throttled, then ok',
    how: "the store's documented throttling answer twice, then the real one",
    local: false,
    login: true,
    timeout: '10s',
    expect: { kinds: ['ok'], tries: 'three' },
  },
  {
    name: 'throttled forever',
    how: "the store's documented throttling answer to every read",
    local: false,
    login: true,
    timeout: '6s',
    // The last try is refused (Unavailable), or still running when the deadline passes (Timeout).
    expect: { kinds: ['Unavailable', 'Timeout'], tries: 'until the deadline' },
  },
  {
    name: '5xx',
    how: "the store's documented server error (500, or 503 where the store documents it) to every read",
    local: false,
    login: true,
    timeout: '10s',
    expect: { kinds: ['Unavailable'], tries: 'four' },
  },
  {
    name: 'connection refused',
    how: 'the endpoint is a loopback port nothing listens on',
    local: false,
    login: true,
    timeout: '10s',
    expect: { kinds: ['Unavailable'], tries: 'four' },
  },
  {
    name: 'reset mid-body',
    how: "the fake's status, headers and half its body, then the connection is dropped",
    local: false,
    login: true,
    timeout: '10s',
    expect: { kinds: ['Unavailable'], tries: 'four' },
  },
  {
    name: 'slow past the deadline',
    how: 'the request is read and never answered',
    local: false,
    login: true,
    timeout: '2s',
    expect: { kinds: ['Timeout'], tries: 'once' },
  },
  {
    name: 'malformed body',
    how: '200 with JSON cut off in the middle (a local file that is not JSON)',
    local: true,
    login: true,
    timeout: '10s',
    expect: { kinds: ['Invalid'], tries: 'once' },
  },
  {
    name: 'oversized body',
    how: '200 with a 9 MiB JSON body (a 5 MiB local file)',
    local: true,
    login: true,
    timeout: '10s',
    expect: { kinds: ['Invalid'], tries: 'once' },
    says: /(larger|more) than (\d+ bytes|\d+ MiB)/,
  },
  {
    name: 'wrong content type',
    how: '200 with an HTML page (a proxy or captive portal)',
    local: false,
    login: true,
    timeout: '10s',
    expect: { kinds: ['Invalid'], tries: 'once' },
  },
  {
    name: 'untrusted TLS certificate',
    how: 'https with a certificate from a CA the executable does not trust',
    local: false,
    login: false,
    timeout: '10s',
    expect: { kinds: ['Invalid'], tries: 'once' },
  },
];

export interface MatrixCell {
  readonly provider: string;
  readonly at: Endpoint;
  readonly fault: FaultCase;
  readonly expect: Outcome;
}

/** The cells: every fault for every store and endpoint it applies to, with the outcome expected there. */
export function cells(): MatrixCell[] {
  const reads = MATRIX_PROVIDERS.flatMap((provider) =>
    FAULTS.filter((f) => provider !== 'local' || f.local).map((fault) => ({
      provider,
      at: 'read' as const,
      fault,
      expect: fault.differs?.[provider] ?? fault.expect,
    })),
  );
  const logins = LOGIN_PROVIDERS.flatMap((provider) =>
    FAULTS.filter((f) => f.login).map((fault) => ({ provider, at: 'login' as const, fault, expect: fault.expect })),
  );
  return [...reads, ...logins];
}
