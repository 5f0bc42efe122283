// What `check` and `detect` print on stdout. `check` never prints a value (README "Security model"): per variable
// it shows the reference, the provider that answered, the version, the length and — only when a key is given
// (SECRETS_EXEC_CHECK_KEY) — a keyed fingerprint, enough to tell whether a value changed (docs/check.md).
import type { Detection } from '../detect/detect.js';
import type { ResolveError } from '../errors/errors.js';
import type { LogFormat } from '../log/logger.js';
import type { Secret } from '../log/secret.js';
import type { ResolvedVariable } from '../resolve/resolve-all.js';

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/**
 * The provenance table of `check`, as text or JSON lines: one row per variable, failed ones with their error
 * class. The FINGERPRINT column (`fingerprint` in JSON) is there only when a key is given.
 */
export function formatCheckTable(input: {
  variables: readonly ResolvedVariable[];
  failures?: readonly ResolveError[];
  format: LogFormat;
  key?: Secret | undefined;
}): string {
  const { variables, failures = [], format, key } = input;
  const resolved = variables.map((v) => ({
    variable: v.variable,
    reference: v.reference,
    provider: v.provider,
    version: v.version ?? '-',
    status: v.value === undefined ? 'unset (optional, not found)' : 'ok',
    length: v.value?.length ?? 0,
    ...(key === undefined ? {} : { fingerprint: v.value?.fingerprint(key) ?? '-' }),
  }));
  const failed = failures.map((e) => ({
    variable: e.variable,
    reference: e.reference,
    provider: e.provider,
    version: '-',
    status: `failed: ${e.kind}`,
    kind: e.kind,
  }));
  const records = [...resolved, ...failed].sort((a, b) => a.variable.localeCompare(b.variable));
  if (format === 'json') return records.map((r) => JSON.stringify(r)).join('\n') + (records.length > 0 ? '\n' : '');
  const header = ['VARIABLE', 'REFERENCE', 'PROVIDER', 'VERSION', 'LENGTH', ...(key ? ['FINGERPRINT'] : []), 'STATUS'];
  return table(
    header,
    records.map((r) => {
      const length = 'length' in r ? String(r.length) : '-';
      const fingerprint = key === undefined ? [] : ['fingerprint' in r ? (r.fingerprint ?? '-') : '-'];
      return [r.variable, r.reference, r.provider, r.version, length, ...fingerprint, r.status];
    }),
  );
}

/** The chain and its evidence, as `detect` prints it: which check decided, and what each probe took. */
export function formatDetection(detection: Detection, format: LogFormat): string {
  if (format === 'json') {
    const { tiers, explicit, evidence, error } = detection;
    return JSON.stringify({ chain: tiers, explicit, evidence, ...(error === undefined ? {} : { error }) }) + '\n';
  }
  const chain =
    detection.error !== undefined
      ? '(undecided: more than one cloud)'
      : detection.tiers.length > 0
        ? detection.tiers.join(' → ')
        : `(none: ${detection.advice})`;
  const rows = detection.evidence.map((e) => [
    e.provider || '-',
    e.source,
    e.used ? 'yes' : 'no',
    e.detail,
    e.ms === undefined ? '' : `${e.ms} ms`,
  ]);
  return (
    `chain: ${chain}\n` +
    (rows.length > 0 ? table(['PROVIDER', 'EVIDENCE', 'USED', 'DETAIL', 'TIME'], rows) : '') +
    (detection.error === undefined ? '' : `error: ${detection.error}\n`)
  );
}
