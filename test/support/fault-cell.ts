// One cell of the fault matrix (test/e2e/fault-matrix.test.ts): the fault made around a running store — by
// the store itself (not found, denied), by a closed port, a local file, or a fault front in the store's
// endpoint variable — and one run of the built executable with the reference in SECRET_A and the same
// reference with ?optional in SECRET_O.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type FaultAction, type FaultFront, startFaultFront } from '../fakes/fault-front.js';
import type { TlsFiles } from '../fakes/vault-tls.js';
import type { Endpoint, FaultCase } from './fault-matrix.js';
import { type LoginForms, VENDOR_FORMS } from './fault-vendors.js';
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

function frontAction(
  fault: FaultCase,
  forms: Pick<LoginForms, 'throttle' | 'serverError'>,
): { action: FaultAction; times?: number } {
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
  /** Requests the endpoint under fault saw (or, without a front, tries the engine logged). */
  readonly tries: number;
}

type Env = Record<string, string | undefined>;

/** Runs one cell: the fault set up around the store, then the executable with SECRET_A and SECRET_O. */
export async function runCell(
  cell: { readonly provider: string; readonly at: Endpoint; readonly fault: FaultCase },
  running: RunningSetup,
  files: { readonly tls: TlsFiles; readonly scratch: string },
): Promise<Cell> {
  const { provider, at, fault } = cell;
  const { tls, scratch } = files;
  const faults = running.faults;
  if (!faults) throw new Error(`${provider} has no fault references`);
  const ref =
    fault.name === 'not found' ? faults.missing : fault.name === 'denied' ? (faults.denied ?? '') : running.env.REF;
  if (!ref) throw new Error(`${provider}: no reference for ${fault.name}`);
  const { REF: _ref, WARN_REF: _warn, ...env }: Env = running.env;
  let front: FaultFront | undefined;
  if (provider === 'local') {
    const file = join(scratch, `${fault.name.replace(/\W/g, '-')}.json`);
    if (fault.name === 'malformed body') writeFileSync(file, `{"db": {"password": "${MARKER}`);
    if (fault.name === 'oversized body') writeFileSync(file, `{"pad": "${MARKER.repeat((5 * 1024 * 1024) / 20)}"}`);
    if (fault.name !== 'not found') env.SECRETS_EXEC_LOCAL_FILE = file;
  } else {
    const where = endpointOf(provider, at, running, env, scratch);
    if (fault.name === 'connection refused') where.point(`http://127.0.0.1:${await closedPort()}`);
    else {
      const { action, times } = frontAction(fault, where.forms);
      front = await startFaultFront({
        target: where.target,
        rules: [{ match: where.forms.match, action, times }],
        tls:
          fault.name === 'untrusted TLS certificate'
            ? { cert: tls.read(tls.serverCert), key: tls.read(tls.serverKey) }
            : undefined,
      });
      where.point(front.url);
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

interface Where {
  /** The URL the front forwards to. */
  readonly target: string;
  /** Points the run at `url` instead. */
  point(url: string): void;
  readonly forms: Pick<LoginForms, 'throttle' | 'serverError'> & { match(req: IncomingMessage): boolean };
}

// The endpoint a cell breaks: the store's secrets endpoint, or its login or token endpoint (for Google, the
// token_uri of the key file, rewritten into a copy).
function endpointOf(provider: string, at: Endpoint, running: RunningSetup, env: Env, scratch: string): Where {
  const vendor = VENDOR_FORMS[provider];
  const variable = at === 'read' ? running.faults?.endpoint : running.faults?.login?.variable;
  const login = vendor?.login;
  const forms =
    at === 'read'
      ? vendor && { throttle: vendor.throttle, serverError: vendor.serverError, match: vendor.isRead }
      : login && { throttle: login.throttle, serverError: login.serverError, match: login.isLogin };
  if (!variable || !forms) throw new Error(`${provider} has no ${at} endpoint for faults`);
  if (at === 'login' && running.faults?.login?.inKeyFile) {
    const key = JSON.parse(readFileSync(env[variable] as string, 'utf8')) as { token_uri: string };
    const tokenUri = new URL(key.token_uri);
    const point = (url: string): void => {
      const file = join(scratch, `key-${randomUUID()}.json`);
      writeFileSync(file, JSON.stringify({ ...key, token_uri: `${url}${tokenUri.pathname}` }));
      env[variable] = file;
    };
    return { target: tokenUri.origin, point, forms };
  }
  const target = env[variable] as string;
  const point = (url: string): void => {
    env[variable] = url;
  };
  return { target, point, forms };
}
