// docs/fault-matrix.md's tables, rendered from the fault matrix (test/support/fault-matrix.ts): one row per
// fault, one column per store, each cell the class and the requests the endpoint under fault sees; one
// table for the secret read, one for the login or token endpoint.
import { FAULTS, LOGIN_PROVIDERS, MATRIX_PROVIDERS, type Outcome, type Tries } from './fault-matrix.js';

const TRIES: Record<Tries, string> = {
  once: '1',
  three: '3',
  four: '4',
  'until the deadline': 'until deadline',
};

/** Column headings: the scheme a user writes. */
const LABELS: Record<string, string> = {
  vault: 'vault',
  aws: 'aws-sm',
  'aws-ssm': 'aws-ssm',
  gcp: 'gcp-sm',
  oci: 'oci-vault',
  ibm: 'ibm-sm',
  local: 'local',
};

// The first class, marked ² when the run may end with another (throttling: see the note).
const cell = (o: Outcome): string => `${o.kinds[0]}${o.kinds.length > 1 ? '²' : ''}, ${TRIES[o.tries]}`;

/** The doc's table (between the markers in docs/fault-matrix.md). */
export function renderMatrix(): string {
  const header = `| Fault | ${MATRIX_PROVIDERS.map((p) => LABELS[p] ?? p).join(' | ')} | \`?optional\` forgives |`;
  const rule = `|---|${MATRIX_PROVIDERS.map(() => '---').join('|')}|---|`;
  const rows = FAULTS.map((f) => {
    const byProvider = MATRIX_PROVIDERS.map((p) => {
      if (p === 'local' && !f.local) return '–';
      const differs = f.differs?.[p];
      return differs ? `**${cell(differs)}**¹` : cell(f.expect);
    });
    const forgives = f.expect.kinds.includes('NotFound') ? 'yes' : f.expect.kinds.includes('ok') ? '–' : 'no';
    return `| ${f.name} | ${byProvider.join(' | ')} | ${forgives} |`;
  });
  const notes = FAULTS.flatMap((f) =>
    Object.entries(f.differs ?? {}).map(([p, d]) => `¹ ${LABELS[p] ?? p}, ${f.name}: ${d.why}.`),
  );
  const timeout =
    '² Unavailable when the next wait would end past the deadline (the reference fails at once), Timeout ' +
    'when the deadline passes during a try.';
  const hows = FAULTS.map((f) => `- **${f.name}**: ${f.how}.`);
  return [header, rule, ...rows, '', ...[...notes, timeout].flatMap((n) => [n, '']), ...hows].join('\n');
}

const LOGIN_LABELS: Record<string, string> = {
  vault: 'vault (AppRole login)',
  gcp: 'gcp-sm (OAuth token_uri)',
  ibm: 'ibm-sm (IAM token)',
};

/** The second table: the same faults at the login or token endpoint, counting login requests. */
export function renderLoginMatrix(): string {
  const header = `| Fault | ${LOGIN_PROVIDERS.map((p) => LOGIN_LABELS[p] ?? p).join(' | ')} |`;
  const rule = `|---|${LOGIN_PROVIDERS.map(() => '---').join('|')}|`;
  const rows = FAULTS.filter((f) => f.login).map(
    (f) => `| ${f.name} | ${LOGIN_PROVIDERS.map(() => cell(f.expect)).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}
