// DSSE envelopes (Dead Simple Signing Envelope, secure-systems-lab/dsse, protocol v1): the
// signature covers PAE(payloadType, payload), never the bare payload, so a signed manifest cannot
// be replayed as another type of document. Signatures here are ES256, 64-byte P1363, low-S.
import type { KeyObject } from 'node:crypto';
import { verifyP256 } from './ecdsa.js';
import type { P256Signer } from './signer.js';

/** One signature of an envelope: `sig` is standard base64 of the signature bytes. */
export interface DsseSignature {
  keyid: string;
  sig: string;
}

/** The JSON envelope of the DSSE spec (envelope.md): `payload` is standard base64. */
export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: DsseSignature[];
}

/**
 * Pre-Authentication Encoding (DSSE protocol.md):
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, LEN = ASCII decimal byte length.
 */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    Buffer.from(payload),
  ]);
}

/** Signs `payload` with `signer` (keyid = the signer's RFC 7638 kid). */
export function signEnvelope(
  payloadType: string,
  payload: Uint8Array,
  signer: P256Signer,
): DsseEnvelope {
  return {
    payloadType,
    payload: Buffer.from(payload).toString('base64'),
    signatures: [
      { keyid: signer.kid, sig: signer.sign(pae(payloadType, payload)).toString('base64') },
    ],
  };
}

/** The decoded payload bytes of an envelope. */
export function envelopePayload(envelope: DsseEnvelope): Buffer {
  return Buffer.from(envelope.payload, 'base64');
}

/**
 * True when the envelope carries a valid signature by `keyid` (low-S P1363 over PAE). Other
 * signatures in the envelope are ignored: a verifier decides which keys it trusts.
 */
export function verifyEnvelopeSignature(
  envelope: DsseEnvelope,
  keyid: string,
  publicKey: KeyObject,
): boolean {
  const message = pae(envelope.payloadType, envelopePayload(envelope));
  return envelope.signatures.some(
    (s) =>
      s.keyid === keyid &&
      /^[A-Za-z0-9+/]{86}==$/.test(s.sig) &&
      verifyP256(publicKey, message, Buffer.from(s.sig, 'base64')),
  );
}
