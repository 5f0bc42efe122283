// resolveAll over an in-memory store: each variable is filled from its reference with #KEY applied,
// ?optional leaves a missing one unset, --load adds keys without overriding, and any failure fails closed.
import { describe, expect, it } from 'vitest';
import { ResolutionFailed } from '../../src/errors/errors.js';
import { createLogger } from '../../src/log/logger.js';
import { fixedTiers } from '../../src/resolve/fetch-all.js';
import { planResolution } from '../../src/resolve/plan.js';
import { resolveAll } from '../../src/resolve/resolve-all.js';
import { memoryProvider, testContext } from '../support/memory-provider.js';

const DB = JSON.stringify({ user: 'app', password: 'hunter2', nested: { port: 5432 } });

async function resolveEnv(env: Record<string, string>, loads: string[] = [], allowNames: string[] = []) {
  const store = memoryProvider('m', {
    db: DB,
    token: 'tok',
    flags: JSON.stringify({ a: '1', b: true }),
    evil: JSON.stringify({ LD_PRELOAD: '/tmp/x.so', APP: 'ok' }),
    proto: '{"constructor": "c", "toString": "t", "valueOf": 1.10, "hasOwnProperty": "h", "__proto__": "p"}',
  });
  const lines: string[] = [];
  const { plan, errors } = planResolution({ env, envFiles: [], loads });
  expect(errors).toEqual([]);
  const resolution = await resolveAll({
    plan,
    env,
    allowNames,
    fetch: {
      loadProvider: async () => store,
      providerForScheme: () => 'm',
      tiers: fixedTiers([]),
      strict: false,
      ctx: testContext(),
      policy: { attempts: 1, baseMs: 1, capMs: 1, random: () => 0 },
      now: Date.now,
      log: createLogger({ level: 'debug', format: 'text', write: (line) => lines.push(line) }),
    },
  });
  const values = Object.fromEntries(resolution.variables.map((v) => [v.variable, v.value?.reveal()]));
  return { resolution, values, store, lines };
}

async function failure(env: Record<string, string>, loads: string[] = []): Promise<ResolutionFailed> {
  const error = await resolveEnv(env, loads).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ResolutionFailed);
  expect((error as Error).message).not.toMatch(/hunter2|tok\b/);
  return error as ResolutionFailed;
}

describe('resolveAll', () => {
  it('fills each variable, selecting #KEY and JSON pointers, with one fetch per distinct secret', async () => {
    const { values, store, resolution } = await resolveEnv({
      USER: 'local://db#user',
      PASS: 'local://db#password',
      PORT: 'local://db#/nested/port',
      T: 'local://token',
    });
    expect(values).toEqual({ USER: 'app', PASS: 'hunter2', PORT: '5432', T: 'tok' });
    expect(store.calls).toEqual([['db', 'token']]);
    expect(resolution.providers).toEqual(['m']);
  });

  it('leaves an optional variable unset when its secret is not found', async () => {
    const { resolution, lines } = await resolveEnv({ GONE: 'local://missing?optional' });
    expect(lines.join('\n')).toMatch(/GONE is left unset: \?optional and not found/);
    expect(resolution.variables.map((v) => [v.variable, v.value])).toEqual([['GONE', undefined]]);
    expect(resolution.providers).toEqual([]);
  });

  it('fails closed, listing every failed variable and never a value', async () => {
    const error = await failure({ A: 'local://missing', B: 'local://db#nokey', C: 'local://token' });
    expect(error.errors.map((e) => e.variable)).toEqual(['A', 'B']);
    expect(error.errors[0]?.kind).toBe('NotFound');
    expect(error.errors[1]?.reason).toMatch(/nokey/);
  });

  it('loads every key of a map with --load, prefixed and upper-cased as asked', async () => {
    const { values } = await resolveEnv({}, ['local://flags?prefix=f_&upcase']);
    expect(values).toEqual({ F_A: '1', F_B: 'true' });
  });

  it('loads keys that Object.prototype has (constructor, __proto__, …) like any other', async () => {
    const { values } = await resolveEnv({}, ['local://proto']);
    expect(values).toEqual({
      constructor: 'c',
      toString: 't',
      valueOf: '1.10',
      hasOwnProperty: 'h',
      ['__proto__']: 'p',
    });
  });

  it('refuses a loaded key that would replace a variable already set, unless ?override', async () => {
    const error = await failure({ a: 'kept' }, ['local://flags']);
    expect(error.errors[0]?.reason).toMatch(/a is already set in the environment; add \?override/);
    const { values } = await resolveEnv({ a: 'kept' }, ['local://flags?override']);
    expect(values.a).toBe('1');
  });

  it('refuses a loaded key that would set a variable changing how the program starts, unless allowed', async () => {
    const error = await failure({}, ['local://evil']);
    expect(error.message).toMatch(
      /a key becomes LD_PRELOAD, which changes how the program starts.*--allow-name LD_PRELOAD/,
    );
    const { values } = await resolveEnv({}, ['local://evil'], ['LD_PRELOAD']);
    expect(values).toMatchObject({ LD_PRELOAD: '/tmp/x.so', APP: 'ok' });
  });
});
