// Vault Enterprise namespaces. VAULT_NAMESPACE (sent as X-Vault-Namespace) is the run's namespace: the login
// happens there and a reference's path is MOUNT/PATH inside it. A reference in a namespace under it says so
// with ?namespace=CHILD (`vault://secret/app?namespace=team-a#k`): it is read in VAULT_NAMESPACE/CHILD, with
// the same token, as Vault joins the header and a path prefix. A namespace is never guessed from the path
// itself: in `vault://ns1/ns2/secret/app` nothing tells the namespaces from the mount and the path.
import type { Reference } from '../../refs/index.js';
import type { VaultClient } from './client.js';
import { createMountCache, type MountCache } from './kv.js';

/** What reads in one namespace share: a client sending its X-Vault-Namespace, and that namespace's mounts. */
export interface NamespaceView {
  /** The full namespace ('' for the root namespace). */
  readonly namespace: string;
  readonly client: VaultClient;
  readonly mountOf: MountCache;
}

/** The views of one run: the run's own namespace, and one per child namespace a reference names. */
export interface NamespaceViews {
  readonly base: NamespaceView;
  of(ref: Reference): NamespaceView;
  close(): void;
}

/** The full namespace a reference is read in: VAULT_NAMESPACE, then its ?namespace=. */
export function namespaceOf(base: string | undefined, ref: Reference): string {
  const child = trim(ref.params.namespace);
  const parent = trim(base);
  return child === '' ? parent : parent === '' ? child : `${parent}/${child}`;
}

const trim = (ns: string | undefined): string => (ns ?? '').replace(/^\/+|\/+$/g, '');

export function createNamespaceViews(
  base: string | undefined,
  makeClient: (namespace: string | undefined) => VaultClient,
): NamespaceViews {
  const root: NamespaceView = {
    namespace: trim(base),
    client: makeClient(base),
    mountOf: createMountCache(),
  };
  const views = new Map<string, NamespaceView>([[root.namespace, root]]);
  return {
    base: root,
    of(ref) {
      const namespace = namespaceOf(base, ref);
      let view = views.get(namespace);
      if (!view) {
        view = { namespace, client: makeClient(namespace), mountOf: createMountCache() };
        views.set(namespace, view);
      }
      return view;
    },
    close() {
      for (const view of views.values()) view.client.close();
    },
  };
}
