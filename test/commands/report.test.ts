// What `check` and `detect` print: the provenance table never holds a value, and the detection shows
// the chain, the evidence and the advice.
import { describe, expect, it } from 'vitest';
import { formatCheckTable, formatDetection } from '../../src/commands/report.js';
import type { Detection } from '../../src/detect/detect.js';
import { ResolveError } from '../../src/errors/errors.js';
import { Secret } from '../../src/log/secret.js';
import type { ResolvedVariable } from '../../src/resolve/resolve-all.js';

const VARIABLES: ResolvedVariable[] = [
  { variable: 'TOKEN', reference: 'local://token', provider: 'local', source: 'env', value: new Secret('hunter2') },
  {
    variable: 'DB',
    reference: 'vault://secret/db#password',
    provider: 'vault',
    source: 'env',
    version: '3',
    value: new Secret('pa55'),
  },
  { variable: 'GONE', reference: 'local://gone?optional', provider: 'local', source: 'env' },
];

const KEY = new Secret('0123456789abcdef0123456789abcdef');
const FAILED = new ResolveError({
  kind: 'Denied',
  variable: 'API',
  reference: 'vault://secret/api',
  provider: 'vault',
  reason: 'permission denied',
});

describe('formatCheckTable', () => {
  it('prints one sorted row per variable with its length and no fingerprint without a key, never the value', () => {
    const text = formatCheckTable({ variables: VARIABLES, format: 'text' });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^VARIABLE\s+REFERENCE\s+PROVIDER\s+VERSION\s+LENGTH\s+STATUS$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['DB', 'GONE', 'TOKEN']);
    expect(lines[1]).toMatch(/^DB\s+vault:\/\/secret\/db#password\s+vault\s+3\s+4\s+ok$/);
    expect(lines[2]).toMatch(/unset \(optional, not found\)$/);
    expect(text).not.toMatch(/hunter2|pa55/);
  });

  it('adds a keyed FINGERPRINT column when a key is given', () => {
    const lines = formatCheckTable({ variables: VARIABLES, format: 'text', key: KEY }).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^VARIABLE\s+REFERENCE\s+PROVIDER\s+VERSION\s+LENGTH\s+FINGERPRINT\s+STATUS$/);
    expect(lines[1]).toContain(`  ${new Secret('pa55').fingerprint(KEY)}  ok`);
    expect(lines[2]).toMatch(/^GONE\s+local:\/\/gone\?optional\s+local\s+-\s+0\s+-\s+unset/);
  });

  it('prints a failed reference as a row with its error class, among the others', () => {
    const text = formatCheckTable({ variables: VARIABLES, failures: [FAILED], format: 'text' });
    const lines = text.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['VARIABLE', 'API', 'DB', 'GONE', 'TOKEN']);
    expect(lines[1]).toMatch(/^API\s+vault:\/\/secret\/api\s+vault\s+-\s+-\s+failed: Denied$/);
    expect(text).not.toMatch(/permission denied/);
  });

  it('prints JSON lines with the same fields', () => {
    const records = formatCheckTable({ variables: VARIABLES, failures: [FAILED], format: 'json', key: KEY })
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.variable)).toEqual(['API', 'DB', 'GONE', 'TOKEN']);
    expect(records[0]).toEqual({
      variable: 'API',
      reference: 'vault://secret/api',
      provider: 'vault',
      version: '-',
      status: 'failed: Denied',
      kind: 'Denied',
    });
    expect(records[3]).toMatchObject({
      provider: 'local',
      version: '-',
      status: 'ok',
      length: 7,
      fingerprint: new Secret('hunter2').fingerprint(KEY),
    });
    expect(JSON.stringify(records)).not.toMatch(/hunter2|pa55/);
    const unkeyed = formatCheckTable({ variables: VARIABLES, format: 'json' });
    expect(unkeyed).not.toMatch(/fingerprint|sha256/);
  });

  it('prints nothing but the header for no variables, and nothing at all as JSON', () => {
    expect(formatCheckTable({ variables: [], format: 'text' }).split('\n').filter(Boolean)).toHaveLength(1);
    expect(formatCheckTable({ variables: [], format: 'json' })).toBe('');
  });
});

describe('formatDetection', () => {
  const found: Detection = {
    tiers: ['vault', 'aws'],
    explicit: false,
    evidence: [
      { provider: 'vault', source: 'VAULT_ADDR', used: true, detail: 'the Vault address is set' },
      {
        provider: 'aws',
        source: 'probe PUT /latest/api/token',
        used: true,
        detail: 'IMDSv2 issued a session token',
        ms: 3,
      },
    ],
    whyEmpty: '',
    advice: 'pass --provider, set VAULT_ADDR or give --local-file',
  };

  it('shows the chain and a row of evidence per check', () => {
    const text = formatDetection(found, 'text');
    expect(text.split('\n')[0]).toBe('chain: vault → aws');
    expect(text).toMatch(/aws\s+probe PUT \/latest\/api\/token\s+yes\s+IMDSv2 issued a session token\s+3 ms/);
  });

  it('gives the advice when there is no chain, and the error when detection cannot decide', () => {
    expect(formatDetection({ ...found, tiers: [], evidence: [] }, 'text')).toBe(
      'chain: (none: pass --provider, set VAULT_ADDR or give --local-file)\n',
    );
    const undecided = formatDetection({ ...found, error: 'more than one cloud detected' }, 'text');
    expect(undecided).toMatch(/^chain: \(undecided: more than one cloud\)\n/);
    expect(undecided).toMatch(/error: more than one cloud detected\n$/);
  });

  it('prints JSON with the chain, whether it was explicit, and the evidence', () => {
    expect(JSON.parse(formatDetection(found, 'json'))).toEqual({
      chain: ['vault', 'aws'],
      explicit: false,
      evidence: found.evidence,
    });
  });
});
