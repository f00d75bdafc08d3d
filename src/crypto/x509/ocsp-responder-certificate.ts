// Delegated OCSP responder certificates (RFC 6960 §4.2.2.2): issued directly by the CA whose
// certificates the responder answers for, with
//   extKeyUsage id-kp-OCSPSigning (the CA delegates OCSP signing to this key),
//   id-pkix-ocsp-nocheck (§4.2.2.2.1: clients need not check the responder's own revocation —
//     which is why its validity is short), keyUsage digitalSignature (critical),
//   basicConstraints CA:FALSE (critical), SKI, AKI = the CA's SKI.
// Clients that take any certificate embedded in a response for a delegated signer (Go's
// x/crypto/ocsp) and those that require the signer to carry the OCSP purpose (GnuTLS) accept it,
// where the issuing CA's own certificate fails both.
//
// The root-anchored twin. GnuTLS (gnutls_ocsp_resp_verify) trusts a signer only if it is a trust
// anchor or is issued directly by one, so a client holding only the root can never accept the
// issuing CA's delegate. For such clients the same responder key also gets a second certificate,
// issued by the root with the same extensions, whose subject is the same name in another string
// type (PrintableString, or BMPString, instead of UTF8String). The response names the twin's
// subject as responderID byName and embeds [delegate, twin]:
//   - RFC 5280 clients compare names canonically (§7.1), so OpenSSL and Java find the delegate,
//     listed first, and check it against the issuing CA as RFC 6960 §4.2.2.2 asks; Go takes the
//     first certificate and checks it is signed by the issuer;
//   - GnuTLS compares names byte for byte, finds the twin and checks it against the root.
// Both certificates carry one key, so the one signature verifies in every client. The twin adds
// no new signer: the root's own responder (for the status of the intermediates) is the same kind
// of certificate, and every responder key is ephemeral and held by the TA alone.
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { derOid, TAG, tlv } from '../der.js';
import { randomSerialHex } from '../serial.js';
import type { EcdsaSignatureAlgorithm, IssuingCa } from './issuing-ca.js';
import { x509 } from './setup.js';

/** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1); its extnValue is a DER NULL. */
export const OCSP_NOCHECK_OID = '1.3.6.1.5.5.7.48.1.5';
const DER_NULL = new Uint8Array([0x05, 0x00]);
const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/**
 * Name DER, one attribute per RDN. 'utf8': UTF8String values; 'twin': the same values as
 * PrintableString where they fit, else BMPString (UTF-16BE) — canonically equal, bytes different.
 */
function encodeName(attributes: Array<[string, string]>, form: 'utf8' | 'twin'): Buffer {
  const value = (v: string): Buffer => {
    if (form === 'utf8') return tlv(TAG.UTF8_STRING, Buffer.from(v, 'utf8'));
    if (PRINTABLE.test(v)) return tlv(TAG.PRINTABLE_STRING, Buffer.from(v, 'latin1'));
    return tlv(TAG.BMP_STRING, Buffer.from(v, 'utf16le').swap16());
  };
  return tlv(
    TAG.SEQUENCE,
    ...attributes.map(([oid, v]) => tlv(TAG.SET, tlv(TAG.SEQUENCE, derOid(oid), value(v)))),
  );
}
/** Clients with slightly slow clocks must accept a brand-new responder certificate. */
const BACKDATE_MS = 5 * 60_000;

/** What signs OCSP responses: the responder key, its certificate and the hash of its public key. */
export interface OcspSigner {
  privateKey: KeyObject;
  /** Contents of subjectPublicKey: SHA-1 of it is the responderID byKey (§4.2.1). */
  publicKeyBits: Buffer;
  signatureAlgorithm: EcdsaSignatureAlgorithm;
  /** DER of the responder certificate (issued by the CA it answers for). */
  certificateDer: Buffer;
  /** The root-anchored twin of `certificateDer` (same key), when the CA is not the root. */
  twinCertificateDer?: Buffer;
  /** ResponderID (§4.2.1) DER: byName of the twin's subject when there is one, else byKey. */
  responderIdDer: Buffer;
  /** Embedded in every response (`certs`), in this order: the delegate, then the twin. */
  certificates: Buffer[];
  notBefore: Date;
  notAfter: Date;
}

export interface CreateOcspResponderOptions {
  /** The CA that delegates: it issues the responder certificate. */
  issuer: IssuingCa;
  /** The root, when `issuer` is an intermediate: it issues the twin (see above). */
  anchor?: IssuingCa;
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
  const publicKeyBits = Buffer.concat([
    Buffer.from([0x04]),
    Buffer.from(jwk.x!, 'base64url'),
    Buffer.from(jwk.y!, 'base64url'),
  ]);

  const notBefore = new Date(Math.floor((o.now.getTime() - BACKDATE_MS) / 1000) * 1000);
  const wanted = new Date(Math.floor((o.now.getTime() + o.validityMs) / 1000) * 1000);
  const notAfter = wanted > o.issuer.notAfter ? o.issuer.notAfter : wanted;
  const issuerCn = o.issuer.certificate.subjectName.getField('CN')[0] ?? 'MCPS Trust Authority CA';
  const issuerO = o.issuer.certificate.subjectName.getField('O')[0];
  const attributes: Array<[string, string]> = [
    [OID_CN, `${issuerCn} OCSP Responder`],
    ...(issuerO ? [[OID_O, issuerO] as [string, string]] : []),
  ];
  const extensions = async (ca: IssuingCa) => [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.ocspSigning], false),
    new x509.Extension(OCSP_NOCHECK_OID, false, DER_NULL),
    await x509.SubjectKeyIdentifierExtension.create(spki),
    new x509.AuthorityKeyIdentifierExtension(ca.keyIdentifier.toString('hex'), false),
  ];
  const issue = async (ca: IssuingCa, subject: Buffer) =>
    Buffer.from(
      (
        await x509.X509CertificateGenerator.create({
          serialNumber: randomSerialHex(),
          subject: new x509.Name(new Uint8Array(subject)),
          issuer: ca.certificate.subjectName,
          notBefore,
          notAfter: notAfter > ca.notAfter ? ca.notAfter : notAfter,
          publicKey: spki,
          signingKey: await ca.signingCryptoKey(),
          signingAlgorithm: {
            name: 'ECDSA',
            hash: ca.signatureAlgorithm.hash === 'sha384' ? 'SHA-384' : 'SHA-256',
          },
          extensions: await extensions(ca),
        })
      ).rawData,
    );
  const certificateDer = await issue(o.issuer, encodeName(attributes, 'utf8'));
  const twinSubject =
    o.anchor && o.anchor !== o.issuer ? encodeName(attributes, 'twin') : undefined;
  const twinCertificateDer = twinSubject ? await issue(o.anchor!, twinSubject) : undefined;
  const responderIdDer = twinSubject
    ? tlv(TAG.CONTEXT_1_CONSTRUCTED, twinSubject)
    : tlv(
        TAG.CONTEXT_2_CONSTRUCTED,
        tlv(TAG.OCTET_STRING, createHash('sha1').update(publicKeyBits).digest()),
      );
  return {
    privateKey,
    publicKeyBits,
    signatureAlgorithm: { oid: '1.2.840.10045.4.3.2', hash: 'sha256' },
    certificateDer,
    twinCertificateDer,
    responderIdDer,
    certificates: twinCertificateDer ? [certificateDer, twinCertificateDer] : [certificateDer],
    notBefore,
    notAfter,
  };
}
