// The program's environment keeps variables whose names Object.prototype has (__proto__, constructor):
// such a name is a variable like any other, from the start environment and from a loaded secret.
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/log/secret.js';
import { buildChildEnv } from '../../src/process/child-env.js';
import { restoreNodeVariables, withNodeVariablesCarried } from '../../src/process/node-variables.js';

const env = (entries: Array<[string, string]>) => Object.fromEntries(entries);

describe('names a prototype would shadow', () => {
  it('reach the program from the start environment and from resolved variables', () => {
    const out = buildChildEnv({
      env: env([
        ['__proto__', 'start'],
        ['toString', 'ts'],
      ]),
      variables: [
        { variable: 'constructor', value: new Secret('c') },
        { variable: 'toString', value: undefined },
      ],
      credentials: [],
      keep: [],
    });
    expect(Object.entries(out).sort()).toEqual([
      ['__proto__', 'start'],
      ['constructor', 'c'],
    ]);
  });

  it('survive the relaunch that carries Node variables', () => {
    const start = env([
      ['__proto__', 'p'],
      ['NODE_DEBUG', 'x'],
    ]);
    const restored = restoreNodeVariables(withNodeVariablesCarried(start, { sea: true }));
    expect(Object.entries(restored).sort()).toEqual([
      ['NODE_DEBUG', 'x'],
      ['__proto__', 'p'],
    ]);
  });
});
