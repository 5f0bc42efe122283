// How `--provider auto` recognises IBM Cloud: Code Engine's variables, and the VPC metadata service.
// All four clouds listen at 169.254.169.254 and several answer 200 to paths that are not theirs, so the
// recogniser accepts only this vendor's documented mark and never quotes the body.
import type { Platform, ProbeAnswer, Recognition } from '../../resolve/platform.js';
import { parseJsonObject } from '../shared/json-object.js';

const fail = (reason: string): Recognition => ({ ok: false, reason });
const CODE_ENGINE_ENV = 'https://cloud.ibm.com/docs/codeengine?topic=codeengine-inside-env-vars';

// IBM VPC: the instance identity token is JSON with `access_token` and `expires_in`.
function recogniseIbm(a: ProbeAnswer): Recognition {
  if (a.status !== 200) return fail(`HTTP ${a.status}`);
  const doc = parseJsonObject(a.body);
  if (!doc) return fail('the body is not a JSON object');
  if (typeof doc.access_token !== 'string' || doc.access_token === '') return fail('no access_token in the answer');
  if (typeof doc.expires_in !== 'number') return fail('no expires_in in the answer');
  return { ok: true, detail: 'VPC metadata service issued an instance identity token' };
}

/** The IBM Cloud platform, as detection sees it. */
export const platform: Platform = {
  label: 'IBM Cloud',
  variables: [
    { env: 'CE_APP', weight: 'platform', why: 'set by Code Engine applications', source: CODE_ENGINE_ENV },
    { env: 'CE_JOB', weight: 'platform', why: 'set by Code Engine jobs', source: CODE_ENGINE_ENV },
    { env: 'CE_PROJECT_ID', weight: 'platform', why: 'set by Code Engine', source: CODE_ENGINE_ENV },
    {
      env: 'IBM_CLOUD_APIKEY',
      weight: 'hint',
      why: 'an IBM Cloud API key was given',
      source: 'https://cloud.ibm.com/docs/cli?topic=cli-ibmcloud_env_var',
    },
  ],
  probe: {
    method: 'PUT',
    path: '/instance_identity/v1/token?version=2022-03-01',
    headers: { 'Metadata-Flavor': 'ibm', 'Content-Type': 'application/json', Accept: 'application/json' },
    // The shortest lifetime worth asking for: the token is thrown away unread.
    body: '{"expires_in":60}',
    source: 'https://cloud.ibm.com/docs/vpc?topic=vpc-imd-identity-operations',
    recognise: recogniseIbm,
  },
};
