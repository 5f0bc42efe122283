// Files google-auth-library opens itself by a path written in the credentials file (or the environment),
// and reads whole at every token request: an external_account's `credential_source.file` (workload
// identity federation), its X.509 certificate config (`credential_source.certificate`'s
// certificate_config_location, else GOOGLE_API_CERTIFICATE_CONFIG) and trust_chain_path, a GDCH service
// account's ca_cert_path, and the same inside an impersonated_service_account's `source_credentials`. They
// are checked (capped) before the library is given the file.
import type { VendorFile } from '../shared/vendor-file.js';
import type { CredentialFile } from './credential-file.js';

const record = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** The files the library will read for these credentials, named for messages by where they are written. */
export function libraryFiles(file: CredentialFile, env: Readonly<Record<string, string | undefined>>): VendorFile[] {
  const files: VendorFile[] = [];
  const add = (path: unknown, what: string): void => {
    if (typeof path === 'string' && path !== '') files.push({ path, what, mayBeMissing: false });
  };
  const visit = (json: Record<string, unknown>, at: string): void => {
    const source = record(json.credential_source);
    add(source?.file, `${at}credential_source.file of ${file.variable}`);
    const certificate = record(source?.certificate);
    const where = `${at}credential_source.certificate`;
    add(certificate?.certificate_config_location, `${where}.certificate_config_location of ${file.variable}`);
    if (certificate !== undefined && !certificate.certificate_config_location)
      add(env.GOOGLE_API_CERTIFICATE_CONFIG, 'GOOGLE_API_CERTIFICATE_CONFIG');
    add(certificate?.trust_chain_path, `${where}.trust_chain_path of ${file.variable}`);
    add(json.ca_cert_path, `${at}ca_cert_path of ${file.variable}`);
    const inner = record(json.source_credentials);
    if (inner !== undefined) visit(inner, `${at}source_credentials.`);
  };
  visit(file.json, '');
  return files;
}
