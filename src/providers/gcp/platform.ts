// How `--provider auto` recognises Google Cloud: the variables its runtimes set, and the metadata server.
// All four clouds listen at 169.254.169.254 and several answer 200 to paths that are not theirs, so the
// recogniser accepts only this vendor's documented mark and never quotes the body.
import type { Platform, ProbeAnswer, Recognition } from '../../resolve/platform.js';

const fail = (reason: string): Recognition => ({ ok: false, reason });
const CLOUD_RUN_CONTRACT = 'https://cloud.google.com/run/docs/container-contract#env-vars';
const APP_ENGINE_ENV = 'https://cloud.google.com/appengine/docs/standard/nodejs/runtime#environment_variables';

// Google: every metadata server response carries `Metadata-Flavor: Google`.
function recogniseGoogle(a: ProbeAnswer): Recognition {
  if (a.status !== 200) return fail(`HTTP ${a.status}`);
  if (a.headers['metadata-flavor'] !== 'Google') return fail('no Metadata-Flavor: Google response header');
  return { ok: true, detail: 'metadata server answered with Metadata-Flavor: Google' };
}

/** The Google Cloud platform, as detection sees it. */
export const platform: Platform = {
  label: 'Google Cloud',
  variables: [
    { env: 'CLOUD_RUN_JOB', weight: 'platform', why: 'set by Cloud Run jobs', source: CLOUD_RUN_CONTRACT },
    {
      env: 'FUNCTION_TARGET',
      weight: 'platform',
      why: 'set by Cloud Run functions',
      source:
        'https://cloud.google.com/functions/docs/configuring/env-var#runtime_environment_variables_set_automatically',
    },
    { env: 'GAE_SERVICE', weight: 'platform', why: 'set by App Engine', source: APP_ENGINE_ENV },
    // Knative's variable: IBM Code Engine sets it too (next to CE_APP, which then outranks it).
    {
      env: 'K_SERVICE',
      weight: 'hint',
      why: 'set by Cloud Run services (and by any Knative)',
      source: CLOUD_RUN_CONTRACT,
    },
    {
      env: 'GOOGLE_CLOUD_PROJECT',
      weight: 'hint',
      why: 'the Google Cloud project (set by App Engine, or by hand)',
      source: APP_ENGINE_ENV,
    },
  ],
  probe: {
    method: 'GET',
    path: '/computeMetadata/v1/',
    headers: { 'Metadata-Flavor': 'Google' },
    source: 'https://cloud.google.com/compute/docs/metadata/querying-metadata',
    recognise: recogniseGoogle,
  },
};
