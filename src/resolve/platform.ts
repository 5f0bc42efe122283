// How a cloud provider's descriptor tells `--provider auto` what its platform looks like (docs/architecture.md): the
// variables its platforms set and the metadata request only it answers. src/detect/ runs these generically,
// so no file outside src/providers/ knows what a cloud is called.

/** How much a variable says: `platform` is set by the platform itself; `hint` is user configuration
 * (or shared by several platforms) and decides only when no `platform` variable does. */
export type SignalWeight = 'platform' | 'hint';

interface PlatformVariable {
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

export type Recognition =
  | { readonly ok: true; readonly detail: string }
  | { readonly ok: false; readonly reason: string };

interface MetadataProbe {
  readonly method: 'GET' | 'PUT';
  /** Path and query, appended to the metadata base address. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly source: string;
  /** Accepts only the vendor's documented mark; never quotes the body (it may hold user data or a token). */
  recognise(answer: ProbeAnswer): Recognition;
}

/** One cloud's platform, as its descriptor declares it. */
export interface Platform {
  readonly label: string;
  readonly variables: readonly PlatformVariable[];
  readonly probe: MetadataProbe;
}

/** A row of the platform table detection is given: a platform and the provider it selects. */
export interface PlatformEntry extends Platform {
  readonly provider: string;
}
