// --help is generated from the tables the code reads: every option and its twin, every variable-only
// setting, every variable a provider declares, every store parameter — and every SECRETS_EXEC_* name that
// appears anywhere in src/ (so a new setting that is not in a table fails here).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_ONLY, OPTIONS, envTwin } from '../../src/cli/options.js';
import { helpText } from '../../src/commands/help.js';
import { CARRIER } from '../../src/process/node-variables.js';
import { SUPERVISE_STATE } from '../../src/process/relaunch.js';
import { PROVIDERS } from '../../src/providers/registry.js';
import { SCHEME_SYNTAX } from '../../src/refs/schemes.js';
import { SCHEMES } from '../../src/refs/types.js';
import { ROOT } from '../support/run-binary.js';

const help = helpText('test');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('--help', () => {
  it('lists every option with its environment twin', () => {
    for (const o of OPTIONS) {
      expect(help).toContain(`--${o.flag}`);
      expect(help).toContain(envTwin(o.flag));
    }
  });

  it('lists every variable-only setting', () => {
    for (const name of Object.values(ENV_ONLY)) expect(help).toContain(name);
  });

  it.each(PROVIDERS.map((p) => [p.name, p] as const))('lists every variable %s declares', (_name, p) => {
    for (const name of [...p.credentialEnv, ...p.env, ...(p.platform?.variables.map((v) => v.env) ?? [])]) {
      expect(help).toMatch(new RegExp(`\\b${name}\\b`));
    }
  });

  it("lists every store's parameters", () => {
    for (const scheme of SCHEMES) {
      for (const param of SCHEME_SYNTAX[scheme].params)
        expect(help).toMatch(new RegExp(`${scheme}://\\s+.*\\?${param}=`));
    }
  });

  it('names every SECRETS_EXEC_* variable that src/ mentions, except its own internal ones', () => {
    const internal = new Set([CARRIER, SUPERVISE_STATE, 'SECRETS_EXEC_VERSION']);
    const mentioned = new Set(
      sources(join(ROOT, 'src')).flatMap(
        (f) => readFileSync(f, 'utf8').match(/\bSECRETS_EXEC_[A-Z0-9_]*[A-Z0-9]\b/g) ?? [],
      ),
    );
    // Names built from a prefix (SECRETS_EXEC_VAULT_{APPROLE,…}_MOUNT) are written out in the descriptors.
    const missing = [...mentioned].filter((n) => !internal.has(n) && !new RegExp(`\\b${n}\\b`).test(help));
    expect(missing).toEqual([]);
  });

  it('keeps every line within 120 columns', () => {
    expect(help.split('\n').filter((l) => l.length > 120)).toEqual([]);
  });
});
