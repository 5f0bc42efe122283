// What an instance principal needs from OCI, served on loopback:
//   - the instance metadata service v2 (every call needs `Authorization: Bearer Oracle`):
//     GET /opc/v2/instance/region (text), GET /opc/v2/instance/ (the instance document, for detection),
//     GET /opc/v2/identity/cert.pem, /key.pem, /intermediate.pem (the instance's identity);
//   - the auth service's federation endpoint, POST /v1/x509: a request signed with the instance key,
//     keyId `TENANCY/fed-x509/SHA1-FINGERPRINT-OF-THE-CERTIFICATE`, whose body carries the certificate
//     (checked: the served one, issued by the intermediate) and a session public key; the answer is
//     `{"token": JWT}` for that session key (./identity.ts).
// Certificates are made by the test with openssl (./instance-certs.ts).
import { X509Certificate, createPublicKey } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from './identity.js';
import { verifyRequest } from './signature.js';

export interface InstanceIdentity {
  readonly region: string;
  readonly tenancy: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly intermediatePem: string;
  /** Set to make the federation endpoint refuse every token request with this status. */
  federationStatus?: number;
  /** Requests the federation endpoint refused, with why. */
  readonly refusals: string[];
  /** Session tokens issued. */
  issued: number;
}

interface Route {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly body: Buffer;
  readonly instance: InstanceIdentity | undefined;
  readonly identity: Identity;
}

/** Answers metadata and federation requests; false when the path is neither. */
export function handleInstanceRoutes(route: Route): boolean {
  const { req, res, url, instance } = route;
  const text = (status: number, body: string, type = 'text/plain'): void => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };
  if (url.pathname.startsWith('/opc/')) {
    if (!instance) {
      text(404, 'not an instance');
      return true;
    }
    if (req.headers.authorization !== 'Bearer Oracle') {
      text(401, 'missing Authorization: Bearer Oracle');
      return true;
    }
    const files: Record<string, string> = {
      '/opc/v2/instance/region': instance.region,
      '/opc/v2/identity/cert.pem': instance.certPem,
      '/opc/v2/identity/key.pem': instance.keyPem,
      '/opc/v2/identity/intermediate.pem': instance.intermediatePem,
      '/opc/v2/instance/': JSON.stringify({
        id: 'ocid1.instance.oc1.iad.aaaaaaaafakeinstance',
        compartmentId: 'ocid1.compartment.oc1..aaaaaaaafakecompartment',
        region: 'iad',
        canonicalRegionName: instance.region,
      }),
    };
    const file = files[url.pathname];
    if (file === undefined) {
      text(404, 'no such metadata');
      return true;
    }
    text(200, file, url.pathname.endsWith('/') ? 'application/json' : 'text/plain');
    return true;
  }
  if (req.method === 'POST' && url.pathname === '/v1/x509') {
    federate(route, text);
    return true;
  }
  return false;
}

function federate(route: Route, text: (status: number, body: string, type?: string) => void): void {
  const { req, body, instance, identity } = route;
  const refuse = (status: number, why: string): void => {
    instance?.refusals.push(why);
    const code = status === 401 ? 'NotAuthenticated' : 'InvalidParameter';
    text(status, JSON.stringify({ code, message: why }), 'application/json');
  };
  if (!instance) {
    refuse(404, 'no instance served');
    return;
  }
  if (instance.federationStatus) {
    refuse(instance.federationStatus, 'refused by the test');
    return;
  }
  let request: { certificate?: string; publicKey?: string; intermediateCertificates?: string[] };
  try {
    request = JSON.parse(body.toString('utf8')) as typeof request;
  } catch {
    refuse(400, 'body is not JSON');
    return;
  }
  const served = new X509Certificate(instance.certPem);
  const intermediate = new X509Certificate(instance.intermediatePem);
  const pem = `-----BEGIN CERTIFICATE-----\n${request.certificate ?? ''}\n-----END CERTIFICATE-----\n`;
  const sent = request.certificate ? new X509Certificate(pem) : undefined;
  if (!sent || sent.fingerprint256 !== served.fingerprint256) {
    refuse(401, 'certificate is not the instance certificate');
    return;
  }
  if (!sent.verify(intermediate.publicKey)) {
    refuse(401, 'certificate was not issued by the intermediate');
    return;
  }
  if (!request.publicKey) {
    refuse(400, 'no session publicKey');
    return;
  }
  const sha1 = served.fingerprint.replace(/:/g, '').toLowerCase();
  const verified = verifyRequest(req, body, (keyId) => {
    const [tenancy, kind, fingerprint = ''] = keyId.split('/');
    if (tenancy !== instance.tenancy || kind !== 'fed-x509') {
      return { reason: `keyId ${keyId} is not TENANCY/fed-x509/FINGERPRINT` };
    }
    if (fingerprint.replace(/:/g, '').toLowerCase() !== sha1) {
      return { reason: "keyId fingerprint is not the certificate's" };
    }
    return { key: createPublicKey(instance.certPem) };
  });
  if (!verified.ok) {
    refuse(401, verified.reason);
    return;
  }
  instance.issued++;
  const token = identity.issueSessionToken(request.publicKey, { principal: 'instance' });
  text(200, JSON.stringify({ token }), 'application/json');
}
