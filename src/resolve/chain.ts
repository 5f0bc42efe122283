// The fall-through rule, in one place (docs/architecture.md): a `secret://` reference tries each tier
// in order, and only these kinds move it on to the next tier. Denied and Invalid stop the chain: a
// store that refuses or a reference it cannot read is a misconfiguration to fix, not a cue to look
// elsewhere (and falling through on Denied could serve a stale development value in production).
import type { ErrorKind } from '../errors/errors.js';

const FALLS_THROUGH: ReadonlySet<ErrorKind> = new Set(['NotFound', 'Unavailable', 'Timeout']);

/** True when a failure of this kind lets a `secret://` reference try the next tier. */
export function fallsThrough(kind: ErrorKind | undefined): boolean {
  return kind !== undefined && FALLS_THROUGH.has(kind);
}
