// Files google-auth-library opens itself by a path written in the credentials file, and reads whole at
// every token request: an external_account's `credential_source.file` (workload identity federation),
// its X.509 certificate config (`credential_source.certificate.certificate_config_location`), and the
// same inside an impersonated_service_account's `source_credentials`. They are checked (capped) before
// the library is given the file.
import type { VendorFile } from '../shared/vendor-file.js';
import type { CredentialFile } from './credential-file.js';

const record = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** The files the library will read for these credentials, named for messages by where they are written. */
export function libraryFiles(file: CredentialFile): VendorFile[] {
  const files: VendorFile[] = [];
  const visit = (json: Record<string, unknown>, at: string): void => {
    const source = record(json.credential_source);
    if (typeof source?.file === 'string' && source.file !== '') {
      files.push({ path: source.file, what: `${at}credential_source.file of ${file.variable}`, mayBeMissing: false });
    }
    const certificate = record(source?.certificate);
    const config = certificate?.certificate_config_location;
    if (typeof config === 'string' && config !== '') {
      const what = `${at}credential_source.certificate.certificate_config_location of ${file.variable}`;
      files.push({ path: config, what, mayBeMissing: false });
    }
    const inner = record(json.source_credentials);
    if (inner !== undefined) visit(inner, `${at}source_credentials.`);
  };
  visit(file.json, '');
  return files;
}
