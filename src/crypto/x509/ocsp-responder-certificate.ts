// Delegated OCSP responder certificates (RFC 6960 §4.2.2.2): issued directly by the CA whose
// certificates the responder answers for, with
//   extKeyUsage id-kp-OCSPSigning (the CA delegates OCSP signing to this key),
//   id-pkix-ocsp-nocheck (§4.2.2.2.1: clients need not check the responder's own revocation —
//     which is why its validity is short), keyUsage digitalSignature (critical),
//   basicConstraints CA:FALSE (critical), SKI, AKI = the CA's SKI.
// Clients that take any certificate embedded in a response for a delegated signer (Go's
// x/crypto/ocsp) and those that require the signer to carry the OCSP purpose (GnuTLS) accept it,
// where the issuing CA's own certificate fails both.
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { randomSerialHex } from '../serial.js';
import type { EcdsaSignatureAlgorithm, IssuingCa } from './issuing-ca.js';
import { x509 } from './setup.js';

/** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1); its extnValue is a DER NULL. */
export const OCSP_NOCHECK_OID = '1.3.6.1.5.5.7.48.1.5';
const DER_NULL = new Uint8Array([0x05, 0x00]);
/** Clients with slightly slow clocks must accept a brand-new responder certificate. */
const BACKDATE_MS = 5 * 60_000;

/** What signs OCSP responses: the responder key, its certificate and the hash of its public key. */
export interface OcspSigner {
  privateKey: KeyObject;
  /** Contents of subjectPublicKey: SHA-1 of it is the responderID byKey (§4.2.1). */
  publicKeyBits: Buffer;
  signatureAlgorithm: EcdsaSignatureAlgorithm;
  /** DER of the responder certificate, embedded in every response (`certs`). */
  certificateDer: Buffer;
  notBefore: Date;
  notAfter: Date;
}

export interface CreateOcspResponderOptions {
  /** The CA that delegates: it issues the responder certificate. */
  issuer: IssuingCa;
  now: Date;
  /** Validity of the responder certificate (never beyond the CA's own notAfter). */
  validityMs: number;
}

/** A fresh P-256 responder key and its certificate, signed by `issuer`. */
export async function createOcspResponder(o: CreateOcspResponderOptions): Promise<OcspSigner> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const jwk = publicKey.export({ format: 'jwk' });
  const publicKeyBits = Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);

  const notBefore = new Date(Math.floor((o.now.getTime() - BACKDATE_MS) / 1000) * 1000);
  const wanted = new Date(Math.floor((o.now.getTime() + o.validityMs) / 1000) * 1000);
  const notAfter = wanted > o.issuer.notAfter ? o.issuer.notAfter : wanted;
  const issuerCn = o.issuer.certificate.subjectName.getField('CN')[0] ?? 'MCPS Trust Authority CA';
  const issuerO = o.issuer.certificate.subjectName.getField('O')[0];
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: [{ CN: [`${issuerCn} OCSP Responder`] }, ...(issuerO ? [{ O: [issuerO] }] : [])],
    issuer: o.issuer.certificate.subjectName,
    notBefore,
    notAfter,
    publicKey: spki,
    signingKey: await o.issuer.signingCryptoKey(),
    signingAlgorithm: { name: 'ECDSA', hash: o.issuer.signatureAlgorithm.hash === 'sha384' ? 'SHA-384' : 'SHA-256' },
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.ocspSigning], false),
      new x509.Extension(OCSP_NOCHECK_OID, false, DER_NULL),
      await x509.SubjectKeyIdentifierExtension.create(spki),
      new x509.AuthorityKeyIdentifierExtension(o.issuer.keyIdentifier.toString('hex'), false),
    ],
  });
  return {
    privateKey,
    publicKeyBits,
    signatureAlgorithm: { oid: '1.2.840.10045.4.3.2', hash: 'sha256' },
    certificateDer: Buffer.from(certificate.rawData),
    notBefore,
    notAfter,
  };
}
