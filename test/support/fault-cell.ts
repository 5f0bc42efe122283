// One cell of the fault matrix (test/e2e/fault-matrix.test.ts): the fault made around a running store — by
// the store itself (not found, denied), by a closed port, a local file, or a fault front in the store's
// endpoint variable — and one run of the built executable with the reference in SECRET_A and the same
// reference with ?optional in SECRET_O.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type FaultAction, type FaultFront, startFaultFront } from '../fakes/fault-front.js';
import type { TlsFiles } from '../fakes/vault-tls.js';
import type { FaultCase } from './fault-matrix.js';
import { VENDOR_FORMS } from './fault-vendors.js';
import type { RunningSetup } from './provider-setups.js';
import { runBinary } from './run-binary.js';

/** Text put in every body the front makes up: it must never reach the output. */
export const MARKER = 'FAULT-BODY-TEXT-5e1d';
export const STARTED = 'program-started';
// The program would print what it got; a failed run must not start it.
const PROGRAM = ['sh', '-c', `echo "${STARTED} A=\${SECRET_A-} O=\${SECRET_O-}"`];

/** `REF?optional`, the query before any #KEY. */
export function optional(ref: string): string {
  const hash = ref.indexOf('#');
  const [body, key] = hash < 0 ? [ref, ''] : [ref.slice(0, hash), ref.slice(hash)];
  return `${body}${body.includes('?') ? '&' : '?'}optional${key}`;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function frontAction(fault: FaultCase, provider: string): { action: FaultAction; times?: number } {
  const forms = VENDOR_FORMS[provider];
  if (!forms) throw new Error(`no vendor forms for ${provider}`);
  switch (fault.name) {
    case 'throttled, then ok':
      return { action: forms.throttle(), times: 2 };
    case 'throttled forever':
      return { action: forms.throttle() };
    case '5xx':
      return { action: forms.serverError() };
    case 'reset mid-body':
      return { action: { kind: 'reset-mid-body' } };
    case 'slow past the deadline':
      return { action: { kind: 'hang' } };
    case 'malformed body':
      return { action: { kind: 'malformed', marker: MARKER } };
    case 'oversized body':
      return { action: { kind: 'oversized', marker: MARKER, bytes: 9 * 1024 * 1024 } };
    case 'wrong content type':
      return { action: { kind: 'wrong-content-type', marker: MARKER } };
    default:
      return { action: { kind: 'pass' } };
  }
}

export interface Cell {
  readonly ref: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** Requests for the secret the store saw (or, without a front, tries the engine logged). */
  readonly tries: number;
}

/** Runs one cell: the fault set up around the store, then the executable with SECRET_A and SECRET_O. */
export async function runCell(
  provider: string,
  running: RunningSetup,
  fault: FaultCase,
  files: { readonly tls: TlsFiles; readonly scratch: string },
): Promise<Cell> {
  const { tls, scratch } = files;
  const faults = running.faults;
  if (!faults) throw new Error(`${provider} has no fault references`);
  const ref =
    fault.name === 'not found' ? faults.missing : fault.name === 'denied' ? (faults.denied ?? '') : running.env.REF;
  if (!ref) throw new Error(`${provider}: no reference for ${fault.name}`);
  const { REF: _ref, WARN_REF: _warn, ...env } = running.env;
  let front: FaultFront | undefined;
  if (provider === 'local') {
    const file = join(scratch, `${fault.name.replace(/\W/g, '-')}.json`);
    if (fault.name === 'malformed body') writeFileSync(file, `{"db": {"password": "${MARKER}`);
    if (fault.name === 'oversized body') writeFileSync(file, `{"pad": "${MARKER.repeat((5 * 1024 * 1024) / 20)}"}`);
    if (fault.name !== 'not found') env.SECRETS_EXEC_LOCAL_FILE = file;
  } else if (faults.endpoint) {
    const target = env[faults.endpoint] as string;
    if (fault.name === 'connection refused') env[faults.endpoint] = `http://127.0.0.1:${await closedPort()}`;
    else {
      const { action, times } = frontAction(fault, provider);
      const forms = VENDOR_FORMS[provider];
      front = await startFaultFront({
        target,
        rules: [{ match: (req) => forms?.isRead(req) ?? false, action, times }],
        tls:
          fault.name === 'untrusted TLS certificate'
            ? { cert: tls.read(tls.serverCert), key: tls.read(tls.serverKey) }
            : undefined,
      });
      env[faults.endpoint] = front.url;
    }
  }
  const started = Date.now();
  try {
    const result = await runBinary(['--log-level', 'debug', '--timeout', fault.timeout, '--', ...PROGRAM], {
      env: { ...env, SECRET_A: ref, SECRET_O: optional(ref) },
      timeoutMs: 30_000,
    });
    const ms = Date.now() - started;
    const logged = 1 + (result.stderr.match(/debug: retrying \d+ reference/g) ?? []).length;
    const tries = !front ? logged : fault.name === 'untrusted TLS certificate' ? front.connections() : front.matched();
    return { ref, status: result.status, stdout: result.stdout, stderr: result.stderr, ms, tries };
  } finally {
    await front?.close();
  }
}
