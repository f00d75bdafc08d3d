// The issuing CA as the signers need it: its certificate, its subject Name and public key bits
// byte-for-byte (CRL issuer, OCSP CertID hashes), its key identifier (AKI of what it signs) and
// its private key, parsed once.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import { webcrypto, x509 } from './setup.js';

/** Signature algorithm of an EC issuing key (RFC 5758 §3.2; no parameters). */
export interface EcdsaSignatureAlgorithm {
  /** Dotted OID, e.g. 1.2.840.10045.4.3.2 (ecdsa-with-SHA256). */
  oid: string;
  /** node:crypto digest name. */
  hash: 'sha256' | 'sha384';
}

const ALGORITHM_OF_CURVE: Record<string, EcdsaSignatureAlgorithm & { curve: 'P-256' | 'P-384' }> = {
  prime256v1: { oid: '1.2.840.10045.4.3.2', hash: 'sha256', curve: 'P-256' },
  secp384r1: { oid: '1.2.840.10045.4.3.3', hash: 'sha384', curve: 'P-384' },
};

export interface IssuingCa {
  certificatePem: string;
  certificateDer: Buffer;
  certificate: x509.X509Certificate;
  /** DER of the certificate's subject Name, exactly as it appears in the certificate. */
  subjectDer: Buffer;
  /** Contents of subjectPublicKey (the EC point), as hashed for OCSP issuerKeyHash. */
  publicKeyBits: Buffer;
  /** The CA's subjectKeyIdentifier: the keyIdentifier of every AKI it writes. */
  keyIdentifier: Buffer;
  notAfter: Date;
  privateKey: KeyObject;
  signatureAlgorithm: EcdsaSignatureAlgorithm;
  /** The private key as a WebCrypto key, for @peculiar/x509 (imported once). */
  signingCryptoKey(): Promise<CryptoKey>;
}

/** Parses the issuing CA certificate and binds its private key (which must match it). */
export function loadIssuingCa(certificatePem: string, privateKey: KeyObject): IssuingCa {
  const certificate = new x509.X509Certificate(certificatePem);
  const certificateDer = Buffer.from(certificate.rawData);
  const parsed = pkijs.Certificate.fromBER(certificateDer);
  const subjectDer = Buffer.from(parsed.subject.valueBeforeDecode);
  const publicKeyBits = Buffer.from(
    parsed.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView,
  );
  const ski = certificate.getExtension(x509.SubjectKeyIdentifierExtension);
  if (!ski) throw new Error('the issuing CA certificate has no subjectKeyIdentifier');

  const spki = Buffer.from(certificate.publicKey.rawData);
  const fromCertificate = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const fromPrivate = createPublicKey(privateKey);
  const der = (k: KeyObject) => k.export({ format: 'der', type: 'spki' });
  if (!der(fromCertificate).equals(der(fromPrivate)))
    throw new Error('the issuing CA key does not match its certificate');
  const curve = fromPrivate.asymmetricKeyDetails?.namedCurve ?? '';
  const algorithm = ALGORITHM_OF_CURVE[curve];
  if (fromPrivate.asymmetricKeyType !== 'ec' || !algorithm)
    throw new Error('the issuing CA key must be EC P-256 or P-384');

  let cryptoKey: Promise<CryptoKey> | undefined;
  return {
    certificatePem: certificate.toString('pem'),
    certificateDer,
    certificate,
    subjectDer,
    publicKeyBits,
    keyIdentifier: Buffer.from(ski.keyId, 'hex'),
    notAfter: certificate.notAfter,
    privateKey,
    signatureAlgorithm: { oid: algorithm.oid, hash: algorithm.hash },
    signingCryptoKey: () =>
      (cryptoKey ??= webcrypto.subtle.importKey(
        'pkcs8',
        privateKey.export({ format: 'der', type: 'pkcs8' }),
        { name: 'ECDSA', namedCurve: algorithm.curve },
        false,
        ['sign'],
      ) as Promise<CryptoKey>),
  };
}

/** issuerNameHash and issuerKeyHash of this CA under `hash` (RFC 6960 §4.1.1 CertID). */
export function issuerHashes(
  ca: Pick<IssuingCa, 'subjectDer' | 'publicKeyBits'>,
  hash: 'sha1' | 'sha256',
): { nameHash: Buffer; keyHash: Buffer } {
  return {
    nameHash: createHash(hash).update(ca.subjectDer).digest(),
    keyHash: createHash(hash).update(ca.publicKeyBits).digest(),
  };
}
