// The secrets the fake OCI holds, and how the Secret Retrieval API picks a version: by versionNumber,
// else by stage (CURRENT when neither is given). A new version becomes CURRENT and LATEST and the former
// CURRENT becomes PREVIOUS, as in OCI's rotation; a pending one is PENDING and LATEST.
export const STAGES = ['CURRENT', 'PENDING', 'LATEST', 'PREVIOUS', 'DEPRECATED'];

interface Version {
  readonly number: number;
  stages: string[];
  readonly content: Buffer;
}

interface StoredSecret {
  readonly id: string;
  readonly vaultId: string;
  readonly name: string;
  readonly versions: Version[];
  denied: boolean;
}

export interface Lookup {
  readonly secretId?: string | undefined;
  readonly vaultId?: string | undefined;
  readonly secretName?: string | undefined;
  readonly versionNumber?: string | undefined;
  readonly stage?: string | undefined;
}

export interface SecretStore {
  put(vaultId: string, name: string, value: string | Buffer | object, options?: { pending?: boolean }): string;
  deny(secretId: string): void;
  /** The SecretBundle OCI would answer, or undefined when it would answer 404 (missing or denied). */
  bundle(lookup: Lookup, options?: { corrupt?: boolean }): Record<string, unknown> | undefined;
}

export function createSecretStore(): SecretStore {
  const secrets: StoredSecret[] = [];
  const find = (lookup: Lookup): StoredSecret | undefined =>
    lookup.secretId !== undefined
      ? secrets.find((s) => s.id === lookup.secretId)
      : secrets.find((s) => s.vaultId === lookup.vaultId && s.name === lookup.secretName);

  return {
    put(vaultId, name, value, options = {}) {
      let secret = find({ vaultId, secretName: name });
      if (!secret) {
        const suffix = name.replace(/[^a-z0-9]/gi, '').toLowerCase();
        const id = `ocid1.vaultsecret.oc1.iad.amaaaaaafake${secrets.length}${suffix}`;
        secret = { id, vaultId, name, versions: [], denied: false };
        secrets.push(secret);
      }
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      const content = Buffer.isBuffer(value) ? value : Buffer.from(text, 'utf8');
      const number = secret.versions.length + 1;
      if (options.pending) {
        secret.versions.push({ number, stages: ['PENDING', 'LATEST'], content });
        return secret.id;
      }
      for (const v of secret.versions) {
        const kept = v.stages.filter((s) => s !== 'LATEST' && s !== 'PREVIOUS');
        v.stages = kept.map((s) => (s === 'CURRENT' ? 'PREVIOUS' : s));
      }
      secret.versions.push({ number, stages: ['CURRENT', 'LATEST'], content });
      return secret.id;
    },
    deny(secretId) {
      const secret = find({ secretId });
      if (secret) secret.denied = true;
    },
    bundle(lookup, options = {}) {
      const secret = find(lookup);
      if (!secret || secret.denied) return undefined;
      const version = lookup.versionNumber
        ? secret.versions.find((v) => String(v.number) === lookup.versionNumber)
        : secret.versions.find((v) => v.stages.includes(lookup.stage ?? 'CURRENT'));
      if (!version) return undefined;
      const content = options.corrupt ? '%%not base64%%' : version.content.toString('base64');
      return {
        secretId: secret.id,
        versionNumber: version.number,
        versionName: null,
        stages: version.stages,
        timeCreated: new Date().toISOString(),
        metadata: null,
        secretBundleContent: { contentType: 'BASE64', content },
      };
    },
  };
}
