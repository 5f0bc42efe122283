// Oracle's own authentication code (package oci-common), loaded on first use and only the parts a run
// needs. Deep paths, not the package index: the index evaluates every client helper as well. The
// modules are CommonJS; a class exported as `exports.default` arrives as `.default` from the bundle and
// as `.default.default` from Node's own ESM loader (tests), so `defaultOf` accepts both.
import type { AuthenticationDetailsProvider, SimpleAuthenticationDetailsProvider } from 'oci-common/lib/auth/auth.js';
import type * as KeySupplierModule from 'oci-common/lib/auth/fixed-content-key-supplier.js';
import type * as FederationModule from 'oci-common/lib/auth/fixed-content-resource-principal-federation-client.js';
// biome-ignore format: the module path alone nearly fills a line; this keeps it under 120 columns
import type * as InstancePrincipalModule from
  'oci-common/lib/auth/instance-principals-authentication-detail-provider.js';
import type * as OkeModule from 'oci-common/lib/auth/oke-workload-identity-authentication-details-provider.js';
import type * as OkeFederationModule from 'oci-common/lib/auth/X509-federation-client-for-oke-workload-identity.js';
import type * as SessionKeysModule from 'oci-common/lib/auth/session-key-supplier.js';
// biome-ignore format: the module path alone nearly fills a line; this keeps it under 120 columns
import type * as ResourcePrincipalModule from
  'oci-common/lib/auth/resource-principal-authentication-details-provider.js';
import type { ConfigFileReader } from 'oci-common/lib/config-file-reader.js';
import type { EndpointBuilder } from 'oci-common/lib/endpoint-builder.js';
import type { Region } from 'oci-common/lib/region.js';
import type { DefaultRequestSigner } from 'oci-common/lib/signer.js';

export type { AuthenticationDetailsProvider };

function defaultOf<T>(mod: unknown): T {
  const outer = (mod as { default?: unknown }).default;
  if (outer !== null && typeof outer === 'object' && 'default' in outer) return (outer as { default: T }).default;
  return outer as T;
}

function named<T>(mod: unknown, name: string): T {
  const m = mod as Record<string, unknown> & { default?: Record<string, unknown> };
  return (m[name] ?? m.default?.[name]) as T;
}

/** The signer every mode uses: draft-cavage signatures as Oracle's SDKs make them. */
export async function loadSigner(): Promise<typeof DefaultRequestSigner> {
  return named(await import('oci-common/lib/signer.js'), 'DefaultRequestSigner');
}

// oci-common's auth modules require each other in a cycle (signer → instance principals → requesting
// provider → federation client → signer). Entered anywhere but at the signer, a class is extended while
// its module is still half-loaded ("Class extends value undefined"), so every loader enters there first.
async function afterSigner<T>(load: () => Promise<T>): Promise<T> {
  await loadSigner();
  return load();
}

export async function loadApiKeyParts(): Promise<{
  SimpleProvider: typeof SimpleAuthenticationDetailsProvider;
  ConfigReader: typeof ConfigFileReader;
}> {
  const [auth, reader] = await afterSigner(() =>
    Promise.all([import('oci-common/lib/auth/auth.js'), import('oci-common/lib/config-file-reader.js')]),
  );
  return {
    SimpleProvider: named(auth, 'SimpleAuthenticationDetailsProvider'),
    ConfigReader: named(reader, 'ConfigFileReader'),
  };
}

export async function loadResourcePrincipalParts(): Promise<{
  Provider: typeof ResourcePrincipalModule.default.default;
  KeySupplier: typeof KeySupplierModule.default.default;
  FederationClient: typeof FederationModule.default.default;
}> {
  const [provider, keys, federation] = await afterSigner(() =>
    Promise.all([
      import('oci-common/lib/auth/resource-principal-authentication-details-provider.js'),
      import('oci-common/lib/auth/fixed-content-key-supplier.js'),
      import('oci-common/lib/auth/fixed-content-resource-principal-federation-client.js'),
    ]),
  );
  return { Provider: defaultOf(provider), KeySupplier: defaultOf(keys), FederationClient: defaultOf(federation) };
}

export async function loadInstancePrincipalBuilder(): Promise<typeof InstancePrincipalModule.default.default> {
  const module = await afterSigner(
    () => import('oci-common/lib/auth/instance-principals-authentication-detail-provider.js'),
  );
  return defaultOf(module);
}

export async function loadOkeParts(): Promise<{
  Provider: typeof OkeModule.default.default;
  FederationClient: typeof OkeFederationModule.default.default;
  SessionKeys: typeof SessionKeysModule.default.default;
}> {
  const [provider, federation, keys] = await afterSigner(() =>
    Promise.all([
      import('oci-common/lib/auth/oke-workload-identity-authentication-details-provider.js'),
      import('oci-common/lib/auth/X509-federation-client-for-oke-workload-identity.js'),
      import('oci-common/lib/auth/session-key-supplier.js'),
    ]),
  );
  return { Provider: defaultOf(provider), FederationClient: defaultOf(federation), SessionKeys: defaultOf(keys) };
}

export async function loadEndpointParts(): Promise<{ Endpoints: typeof EndpointBuilder; Regions: typeof Region }> {
  const [endpoints, regions] = await afterSigner(() =>
    Promise.all([import('oci-common/lib/endpoint-builder.js'), import('oci-common/lib/region.js')]),
  );
  return { Endpoints: named(endpoints, 'EndpointBuilder'), Regions: named(regions, 'Region') };
}
