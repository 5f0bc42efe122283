// The local development store in-process: one read and one warning per run, keys as values, and
// failures that name the file but never a value.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log/logger.js';
import { localProvider } from '../../../src/providers/local/local.js';
import { parseReference, toFetchReference } from '../../../src/refs/index.js';
import { isFetched, type Outcome } from '../../../src/resolve/types.js';
import { testContext } from '../../support/memory-provider.js';

const STORE = JSON.stringify({ db: 'hunter2', nested: { user: 'app' }, empty: null, n: 5 });

function run(files: Record<string, string>, localFile: string | null = '/store.json') {
  const reads: string[] = [];
  const lines: string[] = [];
  const ctx = testContext({
    flags: { localFile: localFile ?? undefined, vaultKeepToken: false },
    log: createLogger({ level: 'debug', format: 'text', write: (l) => lines.push(l) }),
    readFile: async (path) => {
      reads.push(path);
      if (!(path in files)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return Buffer.from(files[path] as string);
    },
  });
  return { instance: localProvider.create(ctx), reads, lines };
}

const refs = (...texts: string[]) => texts.map((t) => toFetchReference(parseReference(t)));
const show = (o: Outcome | undefined) =>
  o === undefined ? 'none' : isFetched(o) ? o.value.reveal() : `${o.kind}: ${o.message}`;

describe('the local store instance', () => {
  it('answers top-level keys, handing a map on as JSON for #KEY', async () => {
    const { instance } = run({ '/store.json': STORE });
    const outcomes = await instance.resolve(refs('local://db', 'local://nested', 'local://n'));
    expect(outcomes.map(show)).toEqual(['hunter2', '{"user":"app"}', '5']);
  });

  it('hands numbers on as written and reads __proto__ as a key, in JSON and YAML stores', async () => {
    for (const [file, text] of [
      ['/s.json', '{"n": 1.10, "big": 12345678901234567890, "__proto__": {"x": 1E-7}}'],
      ['/s.yaml', 'n: 1.10\nbig: 12345678901234567890\n__proto__: {x: 1E-7}\n'],
    ] as const) {
      const { instance } = run({ [file]: text }, file);
      const outcomes = await instance.resolve(refs('local://n', 'local://big', 'local://__proto__'));
      expect(outcomes.map(show)).toEqual(['1.10', '12345678901234567890', '{"x":1E-7}']);
    }
  });

  it('reads the file and warns once per run, however many batches ask', async () => {
    const { instance, reads, lines } = run({ '/store.json': STORE });
    await instance.resolve(refs('local://db'));
    await instance.resolve(refs('local://n'));
    expect(reads).toEqual(['/store.json']);
    expect(lines.filter((l) => l.includes('not for production'))).toHaveLength(1);
  });

  it('keeps nothing between runs: a second instance reads the file again', async () => {
    const files = { '/store.json': STORE };
    const first = run(files);
    await first.instance.resolve(refs('local://db'));
    await first.instance.close();
    const second = run(files);
    await second.instance.resolve(refs('local://db'));
    expect(second.reads).toEqual(['/store.json']);
  });

  it.each([
    ['a missing key', 'local://nope', /^NotFound: no key 'nope' in the local store \/store.json$/],
    ['a null value', 'local://empty', /^NotFound: /],
    ['?version=', 'local://db?version=2', /^Invalid: the local store has no versions/],
  ])('fails %s', async (_, reference, expected) => {
    const { instance } = run({ '/store.json': STORE });
    expect(show((await instance.resolve(refs(reference)))[0])).toMatch(expected);
  });

  it('is Invalid without a store, and with one it cannot read (the shared file text)', async () => {
    await expect(run({}, null).instance.resolve(refs('local://db'))).rejects.toMatchObject({
      kind: 'Invalid',
      message: 'no local store given: pass --local-file FILE or set SECRETS_EXEC_LOCAL_FILE',
    });
    await expect(run({}).instance.resolve(refs('local://db'))).rejects.toMatchObject({
      kind: 'Invalid',
      message: 'local store /store.json: cannot read it (ENOENT)',
    });
  });

  it('maps secret://NAME to the key NAME', () => {
    expect(run({}).instance.mapGeneric('db')).toEqual({ scheme: 'local', path: 'db', optional: false, params: {} });
  });
});
