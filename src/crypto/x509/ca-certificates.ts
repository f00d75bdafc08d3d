// The X.509 authority: a self-signed root CA and an issuing intermediate, both P-256 (RFC 5280).
//   root:         CA:TRUE, pathLenConstraint 1, keyCertSign|cRLSign (critical), SKI, and — when
//                 its URL is given — cRLDistributionPoints naming its own CRL: OpenSSL's
//                 -crl_check_all checks the trust anchor too, and -crl_download needs a URL for it
//   intermediate: CA:TRUE, pathLenConstraint 0, keyCertSign|cRLSign (critical), SKI, AKI, and —
//                 when the root's URLs are given — cRLDistributionPoints (the root's CRL) and AIA
//                 caIssuers (the root certificate), so clients checking the whole chain
//                 (OpenSSL -crl_check_all -crl_download, Java PKIX) find the root's CRL.
import { randomSerialHex } from '../serial.js';
import { webcrypto, x509 } from './setup.js';

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

export interface CaKeyAndCertificate {
  /** PKCS#8 DER of the private key — the caller encrypts it before storing. */
  privateKeyPkcs8: Buffer;
  certificatePem: string;
  /** Certificate as parsed by @peculiar/x509, for chaining. */
  certificate: x509.X509Certificate;
  keys: CryptoKeyPair;
}

export interface CreateCaOptions {
  /** Common name of the certificate subject. */
  commonName: string;
  organization: string;
  now: Date;
  validityDays: number;
}

function subjectName(o: CreateCaOptions): x509.JsonName {
  return [{ CN: [o.commonName] }, { O: [o.organization] }];
}

async function generateP256(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function exportPkcs8(key: CryptoKey): Promise<Buffer> {
  return Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
}

/** Backdate notBefore a little so clients with slightly slow clocks accept new certificates. */
function validity(o: CreateCaOptions): { notBefore: Date; notAfter: Date } {
  return {
    notBefore: new Date(o.now.getTime() - 5 * 60_000),
    notAfter: new Date(o.now.getTime() + o.validityDays * DAY_MS),
  };
}

/**
 * Creates a new self-signed root CA. `ownCrlUrl`, given the new key pair, returns the URL of the
 * root's own CRL (it depends on the key's kid), or undefined for none.
 */
export async function createRootCa(
  o: CreateCaOptions,
  ownCrlUrl?: (keys: CryptoKeyPair) => Promise<string | undefined>,
): Promise<CaKeyAndCertificate> {
  const keys = await generateP256();
  const crlUrl = await ownCrlUrl?.(keys);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialHex(),
    name: subjectName(o),
    ...validity(o),
    keys,
    signingAlgorithm: ECDSA_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ...(crlUrl ? [new x509.CRLDistributionPointsExtension([crlUrl], false)] : []),
    ],
  });
  return {
    privateKeyPkcs8: await exportPkcs8(keys.privateKey),
    certificatePem: certificate.toString('pem'),
    certificate,
    keys,
  };
}

/** Where the intermediate's issuer (the root) publishes its CRL and its certificate. */
export interface IssuerUrls {
  /** cRLDistributionPoints URI: the root's CRL, DER (RFC 5280 §4.2.1.13). */
  crlUrl: string;
  /** AIA id-ad-caIssuers URI: the root certificate, DER (RFC 5280 §4.2.2.1). */
  caIssuersUrl: string;
}

/** Creates an issuing intermediate CA signed by `root`. */
export async function createIntermediateCa(
  o: CreateCaOptions,
  root: { certificate: x509.X509Certificate; privateKey: CryptoKey },
  urls?: IssuerUrls,
): Promise<CaKeyAndCertificate> {
  const keys = await generateP256();
  const located = urls
    ? [
        new x509.CRLDistributionPointsExtension([urls.crlUrl], false),
        new x509.AuthorityInfoAccessExtension({ caIssuers: [urls.caIssuersUrl] }, false),
      ]
    : [];
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: subjectName(o),
    issuer: root.certificate.subject,
    ...validity(o),
    publicKey: keys.publicKey,
    signingKey: root.privateKey,
    signingAlgorithm: ECDSA_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.certificate.publicKey),
      ...located,
    ],
  });
  return {
    privateKeyPkcs8: await exportPkcs8(keys.privateKey),
    certificatePem: certificate.toString('pem'),
    certificate,
    keys,
  };
}
