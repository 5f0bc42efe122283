import { describe, expect, it } from 'vitest';
import {
  CARRIER,
  isNodeRuntimeVariable,
  restoreNodeVariables,
  withNodeVariablesCarried,
} from '../../src/process/node-variables.js';
import { SUPERVISE_STATE, takeSuperviseState } from '../../src/process/relaunch.js';

describe('isNodeRuntimeVariable', () => {
  it.each([
    ['NODE_DEBUG', true, true],
    ['NODE_TLS_REJECT_UNAUTHORIZED', true, true],
    ['NODE_EXTRA_CA_CERTS', true, true],
    ['UV_THREADPOOL_SIZE', true, true],
    ['OPENSSL_CONF', true, true],
    // Read by the bundle on a plain Node.js only: the executable is built to ignore it.
    ['NODE_OPTIONS', true, false],
    ['NODE_OPTIONS', false, true],
    // Set by the official images, read by no part of Node.js.
    ['NODE_ENV', true, false],
    ['NODE_VERSION', true, false],
    ['PATH', true, false],
    ['XNODE_DEBUG', true, false],
  ])('%s (single executable: %s) → %s', (name, sea, expected) => {
    expect(isNodeRuntimeVariable(name, { sea })).toBe(expected);
  });
});

describe("carrying Node's variables across a re-exec", () => {
  it('moves them into the carrier and back, untouched, and leaves the rest alone', () => {
    const env = {
      PATH: '/bin',
      NODE_DEBUG: 'net',
      NODE_ENV: 'production',
      UV_THREADPOOL_SIZE: '1',
      NODE_AUTH_TOKEN: 'aws-sm://npm',
    };
    const carried = withNodeVariablesCarried(env, { sea: true });
    expect(Object.keys(carried).sort()).toEqual(['NODE_ENV', 'PATH', CARRIER].sort());
    expect(restoreNodeVariables(carried)).toEqual(env);
  });

  it('adds no carrier when there is nothing to carry', () => {
    expect(withNodeVariablesCarried({ PATH: '/bin' }, { sea: true })).toEqual({ PATH: '/bin' });
  });

  it('ignores a carrier that is not a JSON object', () => {
    expect(restoreNodeVariables({ PATH: '/bin', [CARRIER]: 'not json' })).toEqual({ PATH: '/bin' });
  });
});

describe('takeSuperviseState', () => {
  const state = { pid: 42, command: { file: '/bin/true', argv: ['true'] }, logLevel: 'info', logFormat: 'text' };

  it('takes the state of a supervisor that re-executed itself (same PID) out of the environment', () => {
    const taken = takeSuperviseState({ A: '1', [SUPERVISE_STATE]: JSON.stringify(state) }, 42);
    expect(taken.state).toEqual(state);
    expect(taken.env).toEqual({ A: '1' });
  });

  it('ignores a state left over from another process', () => {
    const taken = takeSuperviseState({ A: '1', [SUPERVISE_STATE]: JSON.stringify(state) }, 43);
    expect(taken.state).toBeUndefined();
    expect(taken.env).toEqual({ A: '1' });
  });
});
