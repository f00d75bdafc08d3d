// Leaf certificates from a per-profile DER template (the way crl-writer.ts writes CRLs): the
// ASN.1 object model of @peculiar/x509 costs ~5 ms a certificate, this ~0.1 ms. Everything that
// is the same for every certificate of one issuing CA, profile and URL set — version, signature
// algorithm, issuer Name (copied byte for byte), basicConstraints, keyUsage, extKeyUsage,
// authorityKeyIdentifier, cRLDistributionPoints, authorityInfoAccess — is encoded once and
// cached; serial, validity, subject, SPKI, subjectAltName and subjectKeyIdentifier are encoded
// per certificate and the TBSCertificate is signed once with node:crypto.
//
// The output is byte-for-byte the TBSCertificate @peculiar/x509 builds for the same input
// (test/unit/crypto/x509/leaf-template.test.ts compares both for every profile). Inputs the
// template does not model (non-ASCII names, values the library would reinterpret) return
// undefined so the caller falls back to the library.
import { createHash, sign } from 'node:crypto';
import { derBitString, derOid, derTime, TAG, tlv, unsignedIntegerContent } from '../der.js';
import type { IssuingCa } from './issuing-ca.js';
import type { CertificateProfile, IssueLeafOptions } from './leaf-certificate.js';

export type TemplateProfile = CertificateProfile;

/** What a leaf is made of: the same options as the library build (commonName already checked). */
export type TemplateInput = IssueLeafOptions;

const MAX_NAME = 64;
/** The library writes PrintableString when every character is in this set, else UTF8String. */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
/** Plain ASCII without the characters the library's Name parser treats specially. */
const PLAIN_ASCII = /^[\x20-\x21\x23-\x7e]*$/;

const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  cRLDistributionPoints: '2.5.29.31',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
  commonName: '2.5.4.3',
  organizationalUnitName: '2.5.4.11',
} as const;

const TAG_BOOLEAN = 0x01;
const TAG_UTF8_STRING = 0x0c;
const TAG_PRINTABLE_STRING = 0x13;
const TAG_SET = 0x31;
const TAG_EXTENSIONS = 0xa3; // [3] EXPLICIT
const GN_DNS = 0x82; // [2] IMPLICIT IA5String
const GN_URI = 0x86; // [6] IMPLICIT IA5String
const GN_IP = 0x87; // [7] IMPLICIT OCTET STRING

function extension(oid: string, critical: boolean, value: Uint8Array): Buffer {
  return tlv(
    TAG.SEQUENCE,
    derOid(oid),
    ...(critical ? [Buffer.from([TAG_BOOLEAN, 1, 0xff])] : []),
    tlv(TAG.OCTET_STRING, value),
  );
}

interface Template {
  /** [0] EXPLICIT version v3. */
  version: Buffer;
  /** signature AlgorithmIdentifier + issuer Name. */
  algorithmAndIssuer: Buffer;
  /** basicConstraints, keyUsage, extKeyUsage (before subjectAltName). */
  extensionsBefore: Buffer;
  /** authorityKeyIdentifier, cRLDistributionPoints, authorityInfoAccess (after the SKI). */
  extensionsAfter: Buffer;
  /** signatureAlgorithm of the Certificate. */
  algorithm: Buffer;
}

const templates = new WeakMap<IssuingCa, Map<string, Template>>();

function templateFor(o: TemplateInput): Template {
  let byKey = templates.get(o.issuer);
  if (!byKey) templates.set(o.issuer, (byKey = new Map()));
  const key = JSON.stringify([o.profile, o.crlUrl, o.ocspUrl, o.caIssuersUrl ?? null]);
  let t = byKey.get(key);
  if (!t) {
    const algorithm = tlv(TAG.SEQUENCE, derOid(o.issuer.signatureAlgorithm.oid));
    const uri = (u: string) => tlv(GN_URI, Buffer.from(u, 'latin1'));
    t = {
      version: tlv(TAG.CONTEXT_0_CONSTRUCTED, tlv(TAG.INTEGER, Buffer.from([2]))),
      algorithmAndIssuer: Buffer.concat([algorithm, o.issuer.subjectDer]),
      extensionsBefore: Buffer.concat([
        extension(OID.basicConstraints, true, tlv(TAG.SEQUENCE)),
        extension(OID.keyUsage, true, Buffer.from([TAG.BIT_STRING, 2, 7, 0x80])), // digitalSignature
        extension(
          OID.extKeyUsage,
          false,
          tlv(TAG.SEQUENCE, derOid(o.profile === 'server' ? OID.serverAuth : OID.clientAuth)),
        ),
      ]),
      extensionsAfter: Buffer.concat([
        extension(
          OID.authorityKeyIdentifier,
          false,
          tlv(TAG.SEQUENCE, tlv(TAG.CONTEXT_0_PRIMITIVE, o.issuer.keyIdentifier)),
        ),
        // DistributionPoint { distributionPoint [0] { fullName [0] { URI } } }
        extension(
          OID.cRLDistributionPoints,
          false,
          tlv(
            TAG.SEQUENCE,
            tlv(
              TAG.SEQUENCE,
              tlv(TAG.CONTEXT_0_CONSTRUCTED, tlv(TAG.CONTEXT_0_CONSTRUCTED, uri(o.crlUrl))),
            ),
          ),
        ),
        extension(
          OID.authorityInfoAccess,
          false,
          tlv(
            TAG.SEQUENCE,
            tlv(TAG.SEQUENCE, derOid(OID.ocsp), uri(o.ocspUrl)),
            ...(o.caIssuersUrl
              ? [tlv(TAG.SEQUENCE, derOid(OID.caIssuers), uri(o.caIssuersUrl))]
              : []),
          ),
        ),
      ]),
      algorithm,
    };
    byKey.set(key, t);
  }
  return t;
}

/** IPv4 dotted quad or IPv6 text → 4 or 16 octets; undefined when it is neither. */
export function ipOctets(ip: string): Buffer | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((n) => n > 255)) return undefined;
    return Buffer.from(parts);
  }
  if (!/^[0-9a-fA-F:]+$/.test(ip) || ip.length > 39) return undefined;
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (all.some((g) => g.length === 0 || g.length > 4)) return undefined;
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function nameAttribute(oid: string, value: string): Buffer {
  const tag = PRINTABLE.test(value) ? TAG_PRINTABLE_STRING : TAG_UTF8_STRING;
  return tlv(TAG_SET, tlv(TAG.SEQUENCE, derOid(oid), tlv(tag, Buffer.from(value, 'latin1'))));
}

export interface TemplateLeaf {
  der: Buffer;
  tbs: Buffer;
}

/**
 * Builds and signs a leaf certificate from the template, or returns undefined when the input
 * has something the template does not model byte for byte (the caller then uses the library).
 */
export function buildLeafFromTemplate(o: TemplateInput): TemplateLeaf | undefined {
  const dns = o.sans.dns ?? [];
  const ips = o.sans.ip ?? [];
  const uris = o.sans.uri ?? [];
  const ou = o.organizationalUnit ?? '';
  const withOu = ou.length > 0 && ou.length <= MAX_NAME;
  const withCn = o.commonName.length > 0 && o.commonName.length <= MAX_NAME;
  for (const s of [...dns, ...uris, ...(withOu ? [ou] : []), ...(withCn ? [o.commonName] : [])]) {
    if (!PLAIN_ASCII.test(s) || s.startsWith('#')) return undefined;
  }
  const ipBytes: Buffer[] = [];
  for (const ip of ips) {
    const b = ipOctets(ip);
    if (!b) return undefined;
    ipBytes.push(b);
  }
  if (!/^[0-9a-fA-F]{1,40}$/.test(o.serialHex)) return undefined;

  const t = templateFor(o);
  const serialHex = o.serialHex.length % 2 ? `0${o.serialHex}` : o.serialHex;
  const serial = tlv(TAG.INTEGER, unsignedIntegerContent(Buffer.from(serialHex, 'hex')));
  const validity = tlv(TAG.SEQUENCE, derTime(o.notBefore), derTime(o.notAfter));
  const subjectEmpty = !withOu && !withCn;
  const subject = tlv(
    TAG.SEQUENCE,
    ...(withOu ? [nameAttribute(OID.organizationalUnitName, ou)] : []),
    ...(withCn ? [nameAttribute(OID.commonName, o.commonName)] : []),
  );
  const san = tlv(
    TAG.SEQUENCE,
    ...dns.map((d) => tlv(GN_DNS, Buffer.from(d, 'latin1'))),
    ...ipBytes.map((b) => tlv(GN_IP, b)),
    ...uris.map((u) => tlv(GN_URI, Buffer.from(u, 'latin1'))),
  );
  const spki = Buffer.from(o.spkiDer);
  const keyId = createHash('sha1').update(subjectPublicKeyBits(spki)).digest();
  const extensions = tlv(
    TAG_EXTENSIONS,
    tlv(
      TAG.SEQUENCE,
      t.extensionsBefore,
      extension(OID.subjectAltName, subjectEmpty, san), // critical iff the subject is empty (§4.2.1.6)
      extension(OID.subjectKeyIdentifier, false, tlv(TAG.OCTET_STRING, keyId)),
      t.extensionsAfter,
    ),
  );
  const tbs = tlv(
    TAG.SEQUENCE,
    t.version,
    serial,
    t.algorithmAndIssuer,
    validity,
    subject,
    spki,
    extensions,
  );
  const signature = sign(o.issuer.signatureAlgorithm.hash, tbs, o.issuer.privateKey); // DER ECDSA-Sig-Value
  return { der: tlv(TAG.SEQUENCE, tbs, t.algorithm, derBitString(signature)), tbs };
}

/** Contents of SubjectPublicKeyInfo.subjectPublicKey (the key bits the SKI hashes, RFC 5280 §4.2.1.2 (1)). */
function subjectPublicKeyBits(spki: Buffer): Buffer {
  // SEQUENCE { AlgorithmIdentifier SEQUENCE, BIT STRING }
  let p = 0;
  const header = (): { tag: number; length: number; start: number } => {
    const tag = spki[p++]!;
    let length = spki[p++]!;
    if (length & 0x80) {
      const n = length & 0x7f;
      length = 0;
      for (let i = 0; i < n; i += 1) length = length * 256 + spki[p++]!;
    }
    return { tag, length, start: p };
  };
  const outer = header();
  if (outer.tag !== TAG.SEQUENCE) throw new TypeError('SPKI is not a SEQUENCE');
  const alg = header();
  p = alg.start + alg.length;
  const bits = header();
  if (bits.tag !== TAG.BIT_STRING || bits.start + bits.length > spki.length)
    throw new TypeError('SPKI has no subjectPublicKey');
  return spki.subarray(bits.start + 1, bits.start + bits.length); // skip the unused-bits octet
}
