// End-entity certificates (RFC 5280 §4) signed by the issuing CA, in two profiles:
//   server: EKU serverAuth, SAN DNS/IP of the server's origin host
//   client: EKU clientAuth, SAN URI naming the passport (urn:mcps:passport:asp_…)
// Both: basicConstraints CA:FALSE (critical), keyUsage digitalSignature (critical), SKI,
// AKI = the issuing CA's SKI, CRL distribution point (the issuing CA's own CRL) and AIA OCSP +
// caIssuers (the issuing CA's certificate, so clients holding only the root can build the chain).
// Subject: CN, when present, is one of the SAN values (CA/Browser Forum Baseline Requirements
// §7.1.4.3 commonName); an optional OU carries a name that is not a SAN (the registry name).
import type { IssuingCa } from './issuing-ca.js';
import { buildLeafFromTemplate } from './leaf-template.js';
import { toPem } from './pem.js';
import { x509 } from './setup.js';

export type CertificateProfile = 'server' | 'client';

/** ub-common-name and ub-organizational-unit-name (RFC 5280 Appendix A.1). */
const MAX_COMMON_NAME = 64;
const MAX_ORGANIZATIONAL_UNIT = 64;

export interface LeafSans {
  dns?: string[];
  ip?: string[];
  uri?: string[];
}

export interface IssueLeafOptions {
  profile: CertificateProfile;
  /** Serial as hex: positive, minimal (src/crypto/serial.ts). */
  serialHex: string;
  /** SubjectPublicKeyInfo DER of the certified key (from the CSR). */
  spkiDer: Uint8Array;
  /**
   * Subject CN: must be one of the SAN values (a DNS name, an IP as written in `sans.ip`, or a
   * URI); left out when empty or longer than 64 characters.
   */
  commonName: string;
  /** Subject OU (a name that is not a SAN); left out when absent, empty or over 64 characters. */
  organizationalUnit?: string;
  sans: LeafSans;
  notBefore: Date;
  notAfter: Date;
  issuer: IssuingCa;
  /** cRLDistributionPoints URI (§4.2.1.13). */
  crlUrl: string;
  /** AIA id-ad-ocsp URI (§4.2.2.1). */
  ocspUrl: string;
  /** AIA id-ad-caIssuers URI (§4.2.2.1): the issuing CA certificate, DER. */
  caIssuersUrl?: string;
}

export interface IssuedLeaf {
  der: Buffer;
  pem: string;
}

function generalNames(sans: LeafSans): x509.JsonGeneralNames {
  return [
    ...(sans.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(sans.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(sans.uri ?? []).map((value) => ({ type: 'url' as const, value })),
  ];
}

function checkLeafOptions(o: IssueLeafOptions): void {
  const sanValues = [...(o.sans.dns ?? []), ...(o.sans.ip ?? []), ...(o.sans.uri ?? [])];
  if (sanValues.length === 0)
    throw new TypeError('a leaf certificate needs at least one subjectAltName');
  if (o.notAfter <= o.notBefore) throw new RangeError('notAfter must be after notBefore');
  if (o.commonName.length > 0 && !sanValues.includes(o.commonName))
    throw new TypeError(`commonName ${o.commonName} is not one of the subjectAltNames`);
}

/**
 * Builds and signs a leaf certificate: from the DER template (leaf-template.ts) when the input
 * fits it — every certificate the service issues does — else with @peculiar/x509. Both give
 * the same TBSCertificate bytes.
 */
export async function issueLeafCertificate(o: IssueLeafOptions): Promise<IssuedLeaf> {
  checkLeafOptions(o);
  const fast = buildLeafFromTemplate(o);
  if (fast) return { der: fast.der, pem: toPem('CERTIFICATE', fast.der) };
  return issueLeafCertificateWithLibrary(o);
}

/** The same certificate built with the @peculiar/x509 object model (the reference the template is checked against). */
export async function issueLeafCertificateWithLibrary(o: IssueLeafOptions): Promise<IssuedLeaf> {
  checkLeafOptions(o);
  const names = generalNames(o.sans);
  const withCn = o.commonName.length > 0 && o.commonName.length <= MAX_COMMON_NAME;
  const ou = o.organizationalUnit ?? '';
  const subject: x509.JsonName = [
    ...(ou.length > 0 && ou.length <= MAX_ORGANIZATIONAL_UNIT ? [{ OU: [ou] }] : []),
    ...(withCn ? [{ CN: [o.commonName] }] : []),
  ];
  const eku =
    o.profile === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth;
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: o.serialHex,
    subject,
    issuer: o.issuer.certificate.subjectName,
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    publicKey: Buffer.from(o.spkiDer),
    signingKey: await o.issuer.signingCryptoKey(),
    signingAlgorithm: {
      name: 'ECDSA',
      hash: o.issuer.signatureAlgorithm.hash === 'sha384' ? 'SHA-384' : 'SHA-256',
    },
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([eku], false),
      new x509.SubjectAlternativeNameExtension(names, subject.length === 0), // critical iff the subject is empty (§4.2.1.6)
      await x509.SubjectKeyIdentifierExtension.create(Buffer.from(o.spkiDer)),
      new x509.AuthorityKeyIdentifierExtension(o.issuer.keyIdentifier.toString('hex'), false),
      new x509.CRLDistributionPointsExtension([o.crlUrl], false),
      new x509.AuthorityInfoAccessExtension(
        { ocsp: [o.ocspUrl], ...(o.caIssuersUrl ? { caIssuers: [o.caIssuersUrl] } : {}) },
        false,
      ),
    ],
  });
  const der = Buffer.from(certificate.rawData);
  return { der, pem: toPem('CERTIFICATE', der) }; // newline-terminated, so PEMs concatenate into chains
}
