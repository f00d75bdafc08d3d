// The common PKCS#10 request on a fast path: a strict DER walk (definite lengths, exact sizes,
// nothing after the end) that finds the SubjectPublicKeyInfo, the signature and the requested
// subjectAltName, then crypto.verify — about a tenth of the cost of building the pkijs and
// @peculiar/x509 object models. It only ever ACCEPTS: whenever the request is not the plain
// case (explicit EC parameters, an IPv6 or non-ASCII name, a SAN type other than DNS/IPv4/URI,
// repeated attributes, a bad signature, any encoding surprise) it returns undefined and the full
// parser in csr.ts decides, with its reasons. test/unit/crypto/x509/csr-fast.test.ts checks both
// agree on accepted requests and that every rejected one falls through.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** What the fast path returns; csr.ts turns it into a ParsedCsr with the same key checks. */
export interface FastCsr {
  spkiDer: Buffer;
  publicKey: KeyObject;
  signatureOid: string;
  sans: { dns: string[]; ip: string[]; uri: string[] };
}

interface Tlv {
  tag: number;
  /** Offset of the first content octet. */
  start: number;
  /** Offset just past the content. */
  end: number;
  /** Offset of the tag octet. */
  at: number;
}

class Bad extends Error {}

/** Reads one DER TLV at `p` that must end by `limit`. */
function readTlv(b: Buffer, p: number, limit: number): Tlv {
  if (p + 2 > limit) throw new Bad();
  const at = p;
  const tag = b[p++]!;
  if ((tag & 0x1f) === 0x1f) throw new Bad(); // high tag numbers never occur here
  let length = b[p++]!;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 3 || p + n > limit) throw new Bad(); // indefinite or absurd
    length = 0;
    for (let i = 0; i < n; i += 1) length = length * 256 + b[p++]!;
    if (length < 0x80 || (n > 1 && length < 1 << (8 * (n - 1)))) throw new Bad(); // not minimal (DER)
  }
  if (p + length > limit) throw new Bad();
  return { tag, start: p, end: p + length, at };
}

function expect(b: Buffer, p: number, limit: number, tag: number): Tlv {
  const t = readTlv(b, p, limit);
  if (t.tag !== tag) throw new Bad();
  return t;
}

/** Dotted OID from content octets. */
function oidText(b: Buffer, t: Tlv): string {
  if (t.end === t.start) throw new Bad();
  const arcs: number[] = [];
  let v = 0;
  for (let i = t.start; i < t.end; i += 1) {
    const c = b[i]!;
    v = v * 128 + (c & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) throw new Bad();
    if (!(c & 0x80)) {
      arcs.push(v);
      v = 0;
    }
  }
  if (b[t.end - 1]! & 0x80) throw new Bad();
  const first = arcs.shift()!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

const SEQUENCE = 0x30;
const SET = 0x31;
const OID = 0x06;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const BOOLEAN = 0x01;
const ATTRIBUTES = 0xa0; // [0] IMPLICIT SET OF Attribute
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const SUBJECT_ALT_NAME = '2.5.29.17';
/** Printable ASCII: what a DNS name or URI in a request we take the fast way may contain. */
const PLAIN = /^[\x21-\x7e]+$/;

/** The plain request, parsed and its signature verified; undefined for anything else. */
export function parseCsrFast(der: Buffer): FastCsr | undefined {
  try {
    return walk(der);
  } catch (err) {
    if (err instanceof Bad) return undefined;
    return undefined; // createPublicKey / verify refusing: the full parser says why
  }
}

function walk(b: Buffer): FastCsr | undefined {
  const outer = expect(b, 0, b.length, SEQUENCE);
  if (outer.end !== b.length) throw new Bad();
  const info = expect(b, outer.start, outer.end, SEQUENCE);
  const sigAlg = expect(b, info.end, outer.end, SEQUENCE);
  const sig = expect(b, sigAlg.end, outer.end, BIT_STRING);
  if (sig.end !== outer.end) throw new Bad();
  const sigOid = expect(b, sigAlg.start, sigAlg.end, OID);
  // ECDSA: no parameters; RSA PKCS#1 v1.5: NULL (RFC 4055 §5). Anything else: full parser.
  if (
    sigOid.end !== sigAlg.end &&
    !(sigOid.end + 2 === sigAlg.end && b[sigOid.end] === 0x05 && b[sigOid.end + 1] === 0)
  )
    throw new Bad();
  if (sig.end - sig.start < 2 || b[sig.start] !== 0) throw new Bad();

  // CertificationRequestInfo ::= SEQUENCE { version INTEGER 0, subject Name, subjectPKInfo, attributes [0] }
  const version = expect(b, info.start, info.end, INTEGER);
  if (version.end - version.start !== 1 || b[version.start] !== 0) throw new Bad();
  const subject = expect(b, version.end, info.end, SEQUENCE);
  const spki = expect(b, subject.end, info.end, SEQUENCE);
  const attrs = expect(b, spki.end, info.end, ATTRIBUTES);
  if (attrs.end !== info.end) throw new Bad();

  // SubjectPublicKeyInfo: an EC key must name its curve by OID (explicit parameters → full parser, which refuses).
  const keyAlg = expect(b, spki.start, spki.end, SEQUENCE);
  const keyOid = expect(b, keyAlg.start, keyAlg.end, OID);
  let curveOid: string | undefined;
  if (oidText(b, keyOid) === EC_PUBLIC_KEY) {
    const curve = expect(b, keyOid.end, keyAlg.end, OID);
    if (curve.end !== keyAlg.end) throw new Bad();
    curveOid = oidText(b, curve);
  }
  const keyBits = expect(b, keyAlg.end, spki.end, BIT_STRING);
  if (keyBits.end !== spki.end) throw new Bad();

  const sans = { dns: [] as string[], ip: [] as string[], uri: [] as string[] };
  let sawExtensionRequest = false;
  for (let p = attrs.start; p < attrs.end;) {
    const attr = expect(b, p, attrs.end, SEQUENCE);
    p = attr.end;
    const type = expect(b, attr.start, attr.end, OID);
    if (oidText(b, type) !== EXTENSION_REQUEST) continue;
    if (sawExtensionRequest) throw new Bad();
    sawExtensionRequest = true;
    const values = expect(b, type.end, attr.end, SET);
    if (values.end !== attr.end) throw new Bad();
    const extensions = expect(b, values.start, values.end, SEQUENCE);
    if (extensions.end !== values.end) throw new Bad();
    let sawSan = false;
    for (let q = extensions.start; q < extensions.end;) {
      const ext = expect(b, q, extensions.end, SEQUENCE);
      q = ext.end;
      const id = expect(b, ext.start, ext.end, OID);
      let next = readTlv(b, id.end, ext.end);
      if (next.tag === BOOLEAN) next = readTlv(b, next.end, ext.end);
      if (next.tag !== OCTET_STRING || next.end !== ext.end) throw new Bad();
      if (oidText(b, id) !== SUBJECT_ALT_NAME) continue;
      if (sawSan) throw new Bad();
      sawSan = true;
      readGeneralNames(b, next, sans);
    }
  }

  const spkiDer = Buffer.from(b.subarray(spki.at, spki.end));
  const publicKey = importPublicKey(b, keyBits, curveOid, spkiDer);
  const signatureOid = oidText(b, sigOid);
  const hash = HASH_OF[signatureOid];
  if (!hash) throw new Bad();
  const ok = verify(
    hash,
    b.subarray(info.at, info.end),
    publicKey,
    b.subarray(sig.start + 1, sig.end),
  );
  if (!ok) throw new Bad();
  return { spkiDer, publicKey, signatureOid, sans };
}

/** Named curves by OID, with their coordinate size in bytes. */
const EC_CURVES: Record<string, { crv: string; size: number }> = {
  '1.2.840.10045.3.1.7': { crv: 'P-256', size: 32 },
  '1.3.132.0.34': { crv: 'P-384', size: 48 },
  '1.3.132.0.35': { crv: 'P-521', size: 66 },
};

/**
 * The request's key as a KeyObject. An uncompressed point on a named NIST curve is imported as
 * a JWK (RFC 7518 §6.2.1), which OpenSSL 3 does in less than half the time of decoding the SPKI
 * DER, and which also refuses a point that is not on the curve; any other key is decoded from
 * the DER. The certificate certifies `spkiDer` itself either way.
 */
function importPublicKey(
  b: Buffer,
  keyBits: Tlv,
  curveOid: string | undefined,
  spkiDer: Buffer,
): KeyObject {
  const curve = curveOid === undefined ? undefined : EC_CURVES[curveOid];
  const point = b.subarray(keyBits.start + 1, keyBits.end);
  if (curve && b[keyBits.start] === 0 && point.length === 1 + 2 * curve.size && point[0] === 4) {
    const x = point.subarray(1, 1 + curve.size).toString('base64url');
    const y = point.subarray(1 + curve.size).toString('base64url');
    return createPublicKey({ key: { kty: 'EC', crv: curve.crv, x, y }, format: 'jwk' });
  }
  return createPublicKey({ key: spkiDer, format: 'der', type: 'spki' });
}

const HASH_OF: Record<string, string> = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

/** GeneralNames inside the extnValue OCTET STRING: DNS [2], URI [6], IPv4 [7]; anything else → full parser. */
function readGeneralNames(b: Buffer, value: Tlv, sans: FastCsr['sans']): void {
  const names = expect(b, value.start, value.end, SEQUENCE);
  if (names.end !== value.end) throw new Bad();
  for (let p = names.start; p < names.end;) {
    const n = readTlv(b, p, names.end);
    p = n.end;
    const bytes = b.subarray(n.start, n.end);
    if (n.tag === 0x82 || n.tag === 0x86) {
      const text = bytes.toString('latin1');
      if (!PLAIN.test(text)) throw new Bad();
      if (n.tag === 0x82) sans.dns.push(text.toLowerCase());
      else sans.uri.push(text);
    } else if (n.tag === 0x87 && bytes.length === 4) {
      sans.ip.push(`${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`);
    } else {
      throw new Bad();
    }
  }
}
