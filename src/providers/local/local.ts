// The local development store: `local://NAME[#KEY]`, and `secret://NAME` when the chain reaches it.
// Reads: --local-file / SECRETS_EXEC_LOCAL_FILE (JSON, YAML or dotenv), once per run, from the file
// system; no network. NAME is a top-level key of the document; a map or list value is handed on as JSON
// so that `#KEY` can select from it. Using it logs a warning: it is for development, not production.
import { ProviderError } from '../../errors/errors.js';
import { toEnvText } from '../../formats/exact-json.js';
import { formatFromName, parseKeyValueDocument } from '../../formats/key-value-document.js';
import { Secret } from '../../log/secret.js';
import type { Reference } from '../../refs/index.js';
import type { Outcome, ProviderContext, ProviderInstance, ProviderModule } from '../../resolve/types.js';
import { describeUnreadable } from '../../errors/unreadable-file.js';

// The store's document: one read and one warning per run, however many references and tiers ask.
async function loadStore(ctx: ProviderContext, file: string | undefined): Promise<Record<string, unknown>> {
  if (file === undefined) {
    throw new ProviderError('Invalid', 'no local store given: pass --local-file FILE or set SECRETS_EXEC_LOCAL_FILE');
  }
  ctx.log.warn('local.warning', 'using the local development store: it is not for production', { file });
  let text: string;
  try {
    text = (await ctx.readFile(file)).toString('utf8');
  } catch (error) {
    throw new ProviderError('Invalid', describeUnreadable('local store', file, error), { cause: error });
  }
  try {
    return await parseKeyValueDocument(text, formatFromName(file));
  } catch (error) {
    throw new ProviderError('Invalid', `local store ${file}: ${(error as Error).message}`);
  }
}

function toOutcome(document: Record<string, unknown>, ref: Reference, file: string): Outcome {
  if (!Object.hasOwn(document, ref.path) || document[ref.path] === null) {
    return new ProviderError('NotFound', `no key '${ref.path}' in the local store ${file}`);
  }
  const value = document[ref.path];
  if (ref.version !== undefined)
    return new ProviderError('Invalid', 'the local store has no versions: remove ?version=');
  return { value: new Secret(toEnvText(value)) };
}

/** One run of the local store: the document is read on first use and kept for the run. */
function create(ctx: ProviderContext): ProviderInstance {
  const file = ctx.flags.localFile;
  let store: Promise<Record<string, unknown>> | undefined;
  return {
    mapGeneric: (name) => ({ scheme: 'local', path: name, optional: false, params: {} }),
    async resolve(batch) {
      store ??= loadStore(ctx, file);
      const document = await store;
      return batch.map((ref) => toOutcome(document, ref, file ?? ''));
    },
    // Nothing to give back: the document is dropped with the instance.
    close: async () => undefined,
  };
}

function classify(error: unknown): ProviderError {
  return error instanceof ProviderError ? error : new ProviderError('Invalid', 'local store failed', { cause: error });
}

export const localProvider: ProviderModule = { create, classify };
