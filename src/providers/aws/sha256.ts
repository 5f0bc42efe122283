// SHA-256 and HMAC-SHA-256 for the SigV4 signer, over node:crypto: the interface @smithy/signature-v4
// takes (`new Sha256(secret?)`, `update`, `digest`, `reset`), as the SDK's own @smithy/hash-node gives it.
// node:crypto is loaded in every AWS run anyway (by the signer's own @smithy/core imports, and by node:tls
// for an HTTPS endpoint), so this costs nothing to load, where @aws-crypto/sha256-js adds its modules and
// hashes in JavaScript.
import type { Hash, Hmac } from 'node:crypto';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** A SHA-256 hash, or an HMAC-SHA-256 when made with a secret. */
export class Sha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.start();
  }

  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.start();
  }

  private start(): Hash | Hmac {
    const crypto = globalThis.process.getBuiltinModule('node:crypto');
    return this.secret === undefined ? crypto.createHash('sha256') : crypto.createHmac('sha256', bytes(this.secret));
  }
}
