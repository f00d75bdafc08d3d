// The authority keys in memory, decrypted once at start-up and parsed once (cached KeyObjects).
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { publicKeyFromJwk } from '../crypto/ecdsa.js';
import type { EcPublicJwk } from '../crypto/jwk.js';
import { open } from '../crypto/kek.js';
import { createP256Signer, type P256Signer } from '../crypto/signer.js';
import { sealingAad, type AuthorityKeyRecord } from './authority-key.js';

export interface PublishedJwk extends EcPublicJwk {
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

/** The Ed25519 key that signs checkpoint notes: raw 32-byte public key and the private key. */
export interface LogKey {
  kid: string;
  publicKey: Buffer;
  privateKey: KeyObject;
}

export interface CaKey {
  kid: string;
  certificatePem: string;
  privateKey: KeyObject;
}

/**
 * An issuing-CA generation: every issuing intermediate that was ever activated (active, retiring,
 * retired or revoked). Each keeps signing its own CRL and OCSP responder certificates while
 * certificates it issued may still be relied on, whatever its status.
 */
export interface CaGeneration extends CaKey {
  status: AuthorityKeyRecord['status'];
}

export interface Keyring {
  /** The active passport-signing key: signs passports and every signed JSON document. */
  documentSigner: P256Signer;
  /** Keys published in the JWKS: active and retiring passport-signing keys. */
  jwks: PublishedJwk[];
  /** Public key of a published kid, for verifying our own documents. */
  publicKeyFor(kid: string): KeyObject | undefined;
  root: CaKey;
  issuing: CaKey;
  /** Every issuing-CA generation (not pending), oldest first; includes `issuing`. */
  issuingGenerations: CaGeneration[];
  /** The active Ed25519 log key, if the key set has one (created at start-up since the log exists). */
  logKey?: LogKey;
  /** Root, the active intermediate, then any retiring intermediates, PEM. */
  caChainPem: string;
}

/**
 * Decrypts and parses the active key set. Throws KekMismatchError when the KEK does not open the
 * stored keys — the service must then refuse to start, never create new keys.
 */
export function loadKeyring(records: AuthorityKeyRecord[], kek: Buffer): Keyring {
  const active = (purpose: AuthorityKeyRecord['purpose']) => {
    const r = records.find((k) => k.purpose === purpose && k.status === 'active');
    if (!r) throw new Error(`no active ${purpose} key`);
    return r;
  };
  const privateKeyOf = (r: AuthorityKeyRecord) =>
    createPrivateKey({
      key: open(kek, r.sealedPrivateKey, sealingAad(r.kid)),
      format: 'der',
      type: 'pkcs8',
    });
  const caKey = (r: AuthorityKeyRecord): CaKey => {
    if (!r.certificatePem) throw new Error(`${r.purpose} key ${r.kid} has no certificate`);
    return { kid: r.kid, certificatePem: r.certificatePem, privateKey: privateKeyOf(r) };
  };

  const signingRecord = active('passport-signing');
  const documentSigner = createP256Signer(privateKeyOf(signingRecord));
  if (documentSigner.kid !== signingRecord.kid)
    throw new Error('passport-signing key does not match its kid');

  const published = records.filter(
    (k) => k.purpose === 'passport-signing' && (k.status === 'active' || k.status === 'retiring'),
  );
  const jwks: PublishedJwk[] = published.map((k) => ({
    ...(k.publicJwk as EcPublicJwk),
    kid: k.kid,
    alg: 'ES256',
    use: 'sig',
  }));
  const publicKeys = new Map(
    published.map((k) => [k.kid, publicKeyFromJwk(k.publicJwk as EcPublicJwk)]),
  );

  const root = caKey(active('root-ca'));
  const issuing = caKey(active('issuing-ca'));
  const issuingGenerations = records
    .filter((k) => k.purpose === 'issuing-ca' && k.status !== 'pending' && k.certificatePem)
    .map((k): CaGeneration =>
      k.kid === issuing.kid ? { ...issuing, status: k.status } : { ...caKey(k), status: k.status },
    );
  // Retiring intermediates stay in the chain so certificates they issued keep verifying.
  const retiringIntermediates = records
    .filter((k) => k.purpose === 'issuing-ca' && k.status === 'retiring' && k.certificatePem)
    .map((k) => k.certificatePem!.trim());
  const logRecord = records.find((k) => k.purpose === 'log-signing' && k.status === 'active');
  let logKey: LogKey | undefined;
  if (logRecord) {
    const privateKey = privateKeyOf(logRecord);
    const raw = Buffer.from(
      (createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string }).x,
      'base64url',
    );
    if (raw.toString('base64url') !== (logRecord.publicJwk as { x: string }).x)
      throw new Error('log-signing key does not match its public key');
    logKey = { kid: logRecord.kid, publicKey: raw, privateKey };
  }
  return {
    logKey,
    documentSigner,
    jwks,
    publicKeyFor: (kid) => publicKeys.get(kid),
    root,
    issuing,
    issuingGenerations,
    caChainPem: `${[root.certificatePem.trim(), issuing.certificatePem.trim(), ...retiringIntermediates].join('\n')}\n`,
  };
}
