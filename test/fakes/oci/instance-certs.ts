// An instance principal's identity made with the openssl CLI in a temp dir, shaped like OCI's: an
// intermediate CA, and a leaf certificate whose subject carries `OU=opc-tenant:TENANCY` (where Oracle's
// SDK reads the tenancy from) and `OU=opc-instance:…`. RSA keys: the federation request is rsa-sha256.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TENANCY } from './identity.js';
import type { InstanceIdentity } from './instance.js';

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Generates the instance's certificate, key and intermediate; nothing is left on disk. */
export function generateInstanceIdentity(region = 'us-ashburn-1'): InstanceIdentity {
  const dir = mkdtempSync(join(tmpdir(), 'oci-instance-'));
  try {
    const caArgs = ['-days', '2', '-subj', '/CN=PKISVC Identity Intermediate fake'];
    const caExtensions = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'];
    const newKey = (name: string): string[] => ['-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`];
    openssl(['req', '-x509', ...newKey('ca'), '-out', 'ca.crt', ...caArgs, ...caExtensions], dir);
    const subject = [
      '/CN=ocid1.instance.oc1.iad.fakeinstance',
      'OU=opc-certtype:instance',
      'OU=opc-compartment:ocid1.compartment.oc1..fake',
      'OU=opc-instance:ocid1.instance.oc1.iad.fakeinstance',
      `OU=opc-tenant:${TENANCY}`,
    ].join('/');
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', subject], dir);
    const leafExtensions = ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature', 'extendedKeyUsage=clientAuth'];
    writeFileSync(join(dir, 'leaf.ext'), `${leafExtensions.join('\n')}\n`);
    const issuer = ['-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial'];
    const days = ['-days', '2'];
    openssl(['x509', '-req', '-in', 'leaf.csr', ...issuer, '-out', 'leaf.crt', ...days, '-extfile', 'leaf.ext'], dir);
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
    const pems = { certPem: read('leaf.crt'), keyPem: read('leaf.key'), intermediatePem: read('ca.crt') };
    return { region, tenancy: TENANCY, ...pems, refusals: [], issued: 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
