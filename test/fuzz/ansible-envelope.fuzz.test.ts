// Property tests over the Ansible Vault envelope and YAML files with `!vault` values: any text parses or
// throws VaultFormatError — never another error — and no message quotes the body. An envelope built from
// random salt, HMAC and ciphertext, in any line layout Ansible accepts, parses back to the same bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInlineVault } from '../../src/ansible-vault/inline-vault.js';
import { isVaultText, parseEnvelope, VaultFormatError } from '../../src/ansible-vault/parse-envelope.js';
import { RUNS } from './settings.js';

const MARK = 'p@ss+w0rd!';
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const parts = fc.record({
  salt: fc.uint8Array({ minLength: 1, maxLength: 32 }),
  hmac: fc.uint8Array({ minLength: 1, maxLength: 32 }),
  ciphertext: fc.uint8Array({ minLength: 1, maxLength: 64 }),
});
const header = fc.constantFrom(
  '$ANSIBLE_VAULT;1.1;AES256',
  '$ANSIBLE_VAULT;1.2;AES256;prod',
  ' $ANSIBLE_VAULT;1.1;AES256',
);
const eol = fc.constantFrom('\n', '\r\n', '\r');

// The way Ansible writes it: hex of "hex(salt)\nhex(hmac)\nhex(ciphertext)", in lines of `width`.
function envelope(
  p: { salt: Uint8Array; hmac: Uint8Array; ciphertext: Uint8Array },
  head: string,
  nl: string,
  width: number,
) {
  const body = Buffer.from(`${hex(p.salt)}\n${hex(p.hmac)}\n${hex(p.ciphertext)}`).toString('hex');
  const lines = body.match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
  return [head, ...lines].join(nl) + nl;
}

const mutated = fc
  .tuple(
    parts,
    header,
    eol,
    // Narrow lines make long YAML documents: the round-trip property covers widths from 1 already.
    fc.integer({ min: 16, max: 120 }),
    fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 3 })), { maxLength: 10 }),
  )
  .map(([p, head, nl, width, edits]) => {
    let text = envelope(p, head, nl, width);
    for (const [at, insert] of edits) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + insert + text.slice(i + 1);
    }
    return text;
  });
const anything = fc.oneof(
  mutated,
  fc.string({ maxLength: 80, unit: 'binary' }).map((s) => `$ANSIBLE_VAULT${s}`),
  fc
    .array(fc.constantFrom('$ANSIBLE_VAULT', ';', '1.1', '1.2', 'AES256', '\n', 'ab', '0a', 'zz', MARK), {
      maxLength: 20,
    })
    .map((p) => p.join('')),
);

function parsesOrFormatError(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof VaultFormatError)) throw error;
    expect(error.message).not.toContain(MARK);
  }
}

describe('Ansible Vault envelope properties', () => {
  it('parses an envelope in any line width and line ending back to its bytes', () => {
    fc.assert(
      fc.property(parts, header, eol, fc.integer({ min: 1, max: 200 }), (p, head, nl, width) => {
        const parsed = parseEnvelope(envelope(p, head, nl, width));
        expect([hex(parsed.salt), hex(parsed.hmac), hex(parsed.ciphertext)]).toEqual([
          hex(p.salt),
          hex(p.hmac),
          hex(p.ciphertext),
        ]);
      }),
      { numRuns: RUNS },
    );
  });

  it('parses any text or throws VaultFormatError, never quoting it', () => {
    fc.assert(
      fc.property(anything, (t) => parsesOrFormatError(() => parseEnvelope(t))),
      { numRuns: RUNS },
    );
  });

  it('reads a YAML file of !vault values or throws VaultFormatError, as --ansible-vault does', () => {
    const indent = (t: string): string =>
      t
        .split(/\r\n|\r|\n/)
        .map((l) => `  ${l}`)
        .join('\n');
    const yaml = fc.oneof(
      anything.map((t) => `db: !vault |\n${indent(t)}\nplain: ${MARK}\n`),
      fc
        .tuple(anything, fc.constantFrom('- ', '{', '&a ', '*a', '<<: *a', '? ', '!!binary ', ':'))
        .map(([t, junk]) => `a: &a !vault |\n${indent(t)}\nb: ${junk}\n`),
      fc.string({ maxLength: 60, unit: 'binary' }).map((s) => `k: !vault ${s}`),
      // Anchors and aliases in any order, resolved or not, expanding a little or a lot.
      fc
        .tuple(
          anything,
          fc.array(fc.constantFrom('&a [x, x, x]', '[*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', '*a', '*b', '&b x'), {
            maxLength: 8,
          }),
        )
        .map(([t, values]) => `${values.map((v, i) => `k${i}: ${v}`).join('\n')}\nv: !vault |\n${indent(t)}\n`),
    );
    fc.assert(
      fc.property(yaml, (t) => parsesOrFormatError(() => (isVaultText(t) ? parseEnvelope(t) : parseInlineVault(t)))),
      { numRuns: RUNS },
    );
  });
});
