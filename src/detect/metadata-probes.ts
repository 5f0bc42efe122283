// Step 3 of detection (docs/architecture.md): ask every cloud's metadata service at once, under one hard budget.
// Each probe is judged only by its own platform's `recognise`, so a service that answers 200 to a
// foreign path is not mistaken for another cloud. Results carry no response body, only a reason.
import { UsageError } from '../errors/errors.js';
import { describeNetworkError } from '../providers/shared/network-errors.js';
import type { PlatformEntry } from '../resolve/platform.js';
import { sendMetadataRequest } from './metadata-request.js';

/** Where the metadata services listen on every supported cloud. */
const DEFAULT_METADATA_URL = 'http://169.254.169.254';

export interface ProbeOutcome {
  readonly provider: string;
  /** `PUT /latest/api/token`: what was asked. */
  readonly request: string;
  readonly found: boolean;
  /** What identified the cloud, or why the answer did not. */
  readonly detail: string;
  readonly ms: number;
}

/** The metadata base address from SECRETS_EXEC_METADATA_URL; anything but an http:// URL is a usage error. */
export function parseMetadataUrl(text: string | undefined): URL {
  const raw = text === undefined || text === '' ? DEFAULT_METADATA_URL : text;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`SECRETS_EXEC_METADATA_URL: '${raw}' is not a URL (expected e.g. ${DEFAULT_METADATA_URL})`);
  }
  if (url.protocol !== 'http:')
    throw new UsageError(
      `SECRETS_EXEC_METADATA_URL: '${raw}' must be an http:// URL (expected e.g. ${DEFAULT_METADATA_URL})`,
    );
  return url;
}

/** Runs every platform's probe in parallel; all are settled (or abandoned) within `budgetMs`. */
export async function probeMetadata(input: {
  base: URL;
  budgetMs: number;
  platforms: readonly PlatformEntry[];
  now?: () => number;
}): Promise<ProbeOutcome[]> {
  const { base, budgetMs, platforms } = input;
  const now = input.now ?? (() => performance.now());
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), budgetMs);
  try {
    return await Promise.all(
      platforms.map((platform) => probeOne({ platform, base, signal: controller.signal, budgetMs, now })),
    );
  } finally {
    clearTimeout(timer);
  }
}

async function probeOne(input: {
  platform: PlatformEntry;
  base: URL;
  signal: AbortSignal;
  budgetMs: number;
  now: () => number;
}): Promise<ProbeOutcome> {
  const { platform, base, signal, budgetMs, now } = input;
  const { probe } = platform;
  const request = `${probe.method} ${probe.path.split('?')[0] ?? probe.path}`;
  const started = now();
  const done = (found: boolean, detail: string): ProbeOutcome => ({
    provider: platform.provider,
    request,
    found,
    detail,
    ms: Math.round(now() - started),
  });
  try {
    const url = new URL(base.pathname.replace(/\/+$/, '') + probe.path, base);
    const answer = await sendMetadataRequest({
      url,
      method: probe.method,
      headers: probe.headers,
      body: probe.body,
      signal,
    });
    const recognised = probe.recognise(answer);
    return recognised.ok ? done(true, recognised.detail) : done(false, `not ${platform.label}: ${recognised.reason}`);
  } catch (error) {
    return done(false, signal.aborted ? `no answer within ${budgetMs} ms` : describeNetworkError(error));
  }
}
