/**
 * What other modules use to sign: the active Ed25519 key of this instance. Implemented by the signing module
 * (keys stored encrypted with KEYWARD_SECRET, several by kid for rotation). See docs/license-files.md.
 */
export interface Signature {
  /** Key id of the signing key (see docs/license-files.md, "Key ids"). */
  kid: string;
  /** Raw 64-byte Ed25519 signature. */
  signature: Buffer;
}

export interface Signer {
  /** Signs the exact bytes with the active key. */
  sign(message: Uint8Array): Promise<Signature>;
}
