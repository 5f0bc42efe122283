// Property tests over the reference grammar: whatever a variable holds, isReference, suggestScheme and
// parseReference return or throw ReferenceSyntaxError — never another error — and a reference that parses
// formats to a canonical form that parses to the same reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReferenceSyntaxError } from '../../src/errors/errors.js';
import { formatReference, isReference, parseReference, SCHEMES, suggestScheme } from '../../src/refs/index.js';
import { RUNS } from './settings.js';

// Pieces the grammar gives meaning to, so that random text often gets past the first checks.
const piece = fc.oneof(
  fc.constantFrom('/', '//', '#', '?', '&', '=', '%', '%2F', '%zz', '%00', ':', '.', '..', '~', ' ', '\t', '\n'),
  fc.constantFrom('optional', 'version=', 'region=', 'project=', 'location=', 'stage=', 'fallback=', 'prefix='),
  fc.constantFrom('arn:aws:secretsmanager:eu-west-1:123456789012:secret:', 'arn:aws:ssm:us-east-1:123456789012:'),
  fc.constantFrom('projects/p/secrets/s', '/versions/', 'ocid1.vaultsecret.oc1.iad.', 'kv/', 'arbitrary'),
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/),
  fc.string({ maxLength: 4, unit: 'binary' }),
);
const schemeText = fc.oneof(
  fc.constantFrom(...SCHEMES),
  fc.constantFrom('Vault', 'VAULT', 'secrets', 'valut', 'aws-secretsmanager', 'ssm', 'gcp', 'awssm', 'loca1'),
  fc.stringMatching(/^[a-z][a-z0-9+.-]{0,12}$/),
);
const referenceLike = fc
  .tuple(schemeText, fc.constantFrom('://', ':/', ':', ':///'), fc.array(piece, { maxLength: 12 }))
  .map(([scheme, sep, rest]) => `${scheme}${sep}${rest.join('')}`);
const anything = fc.oneof(referenceLike, fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ maxLength: 80 }));

function parseOrSyntaxError(text: string): void {
  try {
    const ref = parseReference(text);
    const canonical = formatReference(ref);
    expect(parseReference(canonical)).toEqual(ref);
  } catch (error) {
    if (!(error instanceof ReferenceSyntaxError)) throw error;
  }
}

describe('reference grammar properties', () => {
  it('parseReference returns a reference whose canonical form round-trips, or throws ReferenceSyntaxError', () => {
    fc.assert(fc.property(anything, parseOrSyntaxError), { numRuns: RUNS });
  });

  it('parseReference with the extra --load parameters behaves the same', () => {
    fc.assert(
      fc.property(anything, (text) => {
        try {
          parseReference(text, { extraParams: ['prefix', 'upcase', 'override'] });
        } catch (error) {
          if (!(error instanceof ReferenceSyntaxError)) throw error;
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('isReference and suggestScheme never throw, and a suggested scheme is a known one', () => {
    fc.assert(
      fc.property(anything, (text) => {
        expect(typeof isReference(text)).toBe('boolean');
        const suggestion = suggestScheme(text);
        if (suggestion !== undefined) expect(SCHEMES).toContain(suggestion);
      }),
      { numRuns: RUNS },
    );
  });
});
