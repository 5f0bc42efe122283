// How `--provider auto` recognises Oracle Cloud: the resource principal variable, and instance metadata.
// All four clouds listen at 169.254.169.254 and several answer 200 to paths that are not theirs, so the
// recogniser accepts only this vendor's documented mark and never quotes the body.
import type { Platform, ProbeAnswer, Recognition } from '../../resolve/platform.js';
import { parseJsonObject } from '../shared/json-object.js';

const fail = (reason: string): Recognition => ({ ok: false, reason });

// Oracle IMDSv2: the instance document is JSON whose `id` is an instance OCID.
function recogniseOracle(a: ProbeAnswer): Recognition {
  if (a.status !== 200) return fail(`HTTP ${a.status}`);
  const doc = parseJsonObject(a.body);
  if (!doc) return fail('the body is not a JSON object');
  if (typeof doc.id !== 'string' || !doc.id.startsWith('ocid1.instance.'))
    return fail('no instance OCID in the document');
  if (typeof doc.compartmentId !== 'string' || !doc.compartmentId.startsWith('ocid1.'))
    return fail('no compartment OCID in the document');
  const region =
    typeof doc.canonicalRegionName === 'string' && /^[a-z0-9-]{1,40}$/.test(doc.canonicalRegionName)
      ? ` in ${doc.canonicalRegionName}`
      : '';
  return { ok: true, detail: `instance metadata of an OCI instance${region}` };
}

/** The Oracle Cloud platform, as detection sees it. */
export const platform: Platform = {
  label: 'Oracle Cloud',
  variables: [
    {
      env: 'OCI_RESOURCE_PRINCIPAL_VERSION',
      weight: 'platform',
      why: 'set where OCI provides a resource principal (Functions, Container Instances, …)',
      source: 'https://docs.oracle.com/en-us/iaas/Content/Functions/Tasks/functionsenvironmentvariables.htm',
    },
  ],
  probe: {
    method: 'GET',
    path: '/opc/v2/instance/',
    headers: { Authorization: 'Bearer Oracle' },
    source: 'https://docs.oracle.com/en-us/iaas/Content/Compute/Tasks/gettingmetadata.htm',
    recognise: recogniseOracle,
  },
};
