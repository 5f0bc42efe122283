// The only list of providers (docs/architecture.md), in chain order within each tier. Adding a provider is one
// folder under src/providers/ and one line here. Each descriptor is cheap to import; its `load()`
// evaluates the implementation (and any SDK) only when a reference needs it.
import type { ProviderDescriptor } from '../resolve/types.js';
import { aws } from './aws/index.js';
import { gcp } from './gcp/index.js';
import { ibm } from './ibm/index.js';
import { local } from './local/index.js';
import { oci } from './oci/index.js';
import { vault } from './vault/index.js';

// The order of the clouds is the order of `detect` output only: every platform is checked, and two
// matches are an error.
export const PROVIDERS: readonly ProviderDescriptor[] = [local, vault, aws, gcp, oci, ibm];
