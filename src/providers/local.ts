// The local development store: `local://NAME[#KEY]`, and `secret://NAME` when the chain reaches it.
// Reads: --local-file / SECRETS_EXEC_LOCAL_FILE (JSON, YAML or dotenv), once per run, from the file
// system; no network. NAME is a top-level key of the document; a map or list value is handed on as JSON
// so that `#KEY` can select from it. Using it logs a warning: it is for development, not production.
import { ProviderError } from '../errors/errors.js';
import { Secret } from '../log/secret.js';
import { formatFromName, parseKeyValueDocument } from '../formats/key-value-document.js';
import type { Reference } from '../refs/index.js';
import type { Outcome, Provider, ProviderContext } from '../resolve/types.js';

const stores = new WeakMap<object, Promise<Record<string, unknown>>>();

// One read and one warning per run, however many references and tiers ask.
function loadStore(ctx: ProviderContext): Promise<Record<string, unknown>> {
  const cached = stores.get(ctx.config);
  if (cached) return cached;
  const store = (async () => {
    const file = ctx.config.localFile;
    if (file === undefined) {
      throw new ProviderError('Invalid', 'no local store given: pass --local-file FILE or set SECRETS_EXEC_LOCAL_FILE');
    }
    ctx.log.warn('local.warning', 'using the local development store: it is not for production', { file });
    let text: string;
    try {
      text = (await ctx.readFile(file)).toString('utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'read error';
      throw new ProviderError('Invalid', `cannot read local store ${file} (${code})`, { cause: error });
    }
    try {
      return await parseKeyValueDocument(text, formatFromName(file));
    } catch (error) {
      throw new ProviderError('Invalid', `local store ${file}: ${(error as Error).message}`);
    }
  })();
  stores.set(ctx.config, store);
  return store;
}

function toOutcome(document: Record<string, unknown>, ref: Reference, file: string): Outcome {
  if (!Object.hasOwn(document, ref.path) || document[ref.path] === null) {
    return new ProviderError('NotFound', `no key '${ref.path}' in the local store ${file}`);
  }
  const value = document[ref.path];
  if (ref.version !== undefined) return new ProviderError('Invalid', 'the local store has no versions: remove ?version=');
  return { value: new Secret(typeof value === 'object' ? JSON.stringify(value) : String(value)) };
}

export const localProvider = {
  name: 'local',
  schemes: ['local'],
  mapGeneric(name: string): Reference {
    return { scheme: 'local', path: name, optional: false, params: {} };
  },
  async resolve(batch: readonly Reference[], ctx: ProviderContext): Promise<Outcome[]> {
    const document = await loadStore(ctx);
    return batch.map((ref) => toOutcome(document, ref, ctx.config.localFile ?? ''));
  },
  classify(error: unknown): ProviderError {
    return error instanceof ProviderError ? error : new ProviderError('Invalid', 'local store failed', { cause: error });
  },
} satisfies Provider;
