// A streaming X.509 v2 CRL writer (RFC 5280 §5). The JS libraries build CRLs in O(n²) and refuse
// to parse big ones (STACK-NOTES.md pitfall 9), so entries are DER-encoded straight into 1 MiB
// chunks as they arrive — no object per entry survives `add` — and the TBS bytes are signed
// incrementally with node:crypto. Memory is about twice the final DER size (chunks + output).
//
//   CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }
//   TBSCertList ::= SEQUENCE { version v2, signature, issuer Name, thisUpdate, nextUpdate,
//     revokedCertificates SEQUENCE OF SEQUENCE { userCertificate, revocationDate,
//     crlEntryExtensions OPTIONAL } OPTIONAL, crlExtensions [0] EXPLICIT Extensions }
import { createSign, type KeyObject } from 'node:crypto';
import { derBitString, derHeader, derOid, derTime, derUnsignedInteger, TAG, tlv } from '../der.js';
import type { EcdsaSignatureAlgorithm } from './issuing-ca.js';
import { REASON_CODE, type RevocationReason } from './reason-code.js';

const CHUNK_SIZE = 1 << 20;
/** Largest possible entry: SEQUENCE(2) + INTEGER(2+21) + GeneralizedTime(17) + extensions(14). */
const MAX_ENTRY = 56;

/** crlEntryExtensions holding only reasonCode (2.5.29.21), per reason; absent for unspecified (§5.3.1). */
const REASON_EXTENSIONS = new Map<RevocationReason, Buffer>(
  (Object.entries(REASON_CODE) as [RevocationReason, number][])
    .filter(([reason]) => reason !== 'unspecified')
    .map(([reason, code]) => [
      reason,
      tlv(
        TAG.SEQUENCE,
        tlv(
          TAG.SEQUENCE,
          derOid('2.5.29.21'),
          tlv(TAG.OCTET_STRING, tlv(TAG.ENUMERATED, Buffer.from([code]))),
        ),
      ),
    ]),
);

export interface CrlSigningOptions {
  /** DER of the issuer's subject Name, copied byte-for-byte from its certificate. */
  issuerNameDer: Uint8Array;
  /** The issuer's subjectKeyIdentifier, written as the CRL's AuthorityKeyIdentifier (§5.2.1). */
  authorityKeyIdentifier: Uint8Array;
  /** cRLNumber (§5.2.3): monotonically increasing, ≤ 20 octets. */
  crlNumber: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  privateKey: KeyObject;
  signatureAlgorithm: EcdsaSignatureAlgorithm;
}

/** Accumulates revoked entries, then signs the whole CRL once with `finish`. */
export class CrlWriter {
  private chunks: Buffer[] = [];
  private current = Buffer.allocUnsafe(CHUNK_SIZE);
  private pos = 0;
  private entriesLength = 0;
  private finished = false;
  /** Number of entries added so far. */
  count = 0;

  /** Appends one revokedCertificates entry. `serialHex` is the certificate serial, big-endian hex. */
  add(serialHex: string, revocationDate: Date, reason: RevocationReason): void {
    if (this.finished) throw new Error('CrlWriter.add after finish');
    const serial = decodeSerial(serialHex);
    const needsPad = (serial.first & 0x80) !== 0;
    const intLength = serial.byteLength + (needsPad ? 1 : 0);
    const year = revocationDate.getUTCFullYear();
    const utc = year >= 1950 && year < 2050;
    const timeLength = utc ? 13 : 15;
    const ext = REASON_EXTENSIONS.get(reason);
    if (!ext && reason !== 'unspecified') throw new RangeError(`unknown reason ${reason}`);
    const contentLength = 2 + intLength + 2 + timeLength + (ext?.length ?? 0);

    if (this.pos + MAX_ENTRY > CHUNK_SIZE) this.flush();
    const b = this.current;
    let p = this.pos;
    b[p++] = TAG.SEQUENCE;
    b[p++] = contentLength;
    b[p++] = TAG.INTEGER;
    b[p++] = intLength;
    if (needsPad) b[p++] = 0;
    p = writeSerialBytes(b, p, serialHex, serial.byteLength);
    b[p++] = utc ? TAG.UTC_TIME : TAG.GENERALIZED_TIME;
    b[p++] = timeLength;
    p = writeTimeDigits(b, p, revocationDate, utc);
    if (ext) p += ext.copy(b, p);
    this.entriesLength += p - this.pos;
    this.pos = p;
    this.count += 1;
  }

  /** Encodes and signs the CRL; returns its DER. The writer cannot be used afterwards. */
  finish(o: CrlSigningOptions): Buffer {
    if (this.finished) throw new Error('CrlWriter.finish called twice');
    this.finished = true;
    this.flush();
    const algorithm = tlv(TAG.SEQUENCE, derOid(o.signatureAlgorithm.oid));
    const extensions = tlv(
      TAG.CONTEXT_0_CONSTRUCTED,
      tlv(
        TAG.SEQUENCE,
        // authorityKeyIdentifier (§5.2.1): SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING }
        tlv(
          TAG.SEQUENCE,
          derOid('2.5.29.35'),
          tlv(
            TAG.OCTET_STRING,
            tlv(TAG.SEQUENCE, tlv(TAG.CONTEXT_0_PRIMITIVE, o.authorityKeyIdentifier)),
          ),
        ),
        // cRLNumber (§5.2.3): INTEGER (0..MAX)
        tlv(
          TAG.SEQUENCE,
          derOid('2.5.29.20'),
          tlv(TAG.OCTET_STRING, derUnsignedInteger(o.crlNumber)),
        ),
      ),
    );
    const head = Buffer.concat([
      tlv(TAG.INTEGER, Buffer.from([1])), // v2
      algorithm,
      Buffer.from(o.issuerNameDer),
      derTime(o.thisUpdate),
      derTime(o.nextUpdate),
    ]);
    // §5.1.2.6: with no revoked certificates the list MUST be absent, not empty.
    const listHeader =
      this.count > 0 ? derHeader(TAG.SEQUENCE, this.entriesLength) : Buffer.alloc(0);
    const tbsLength = head.length + listHeader.length + this.entriesLength + extensions.length;
    const tbsHeader = derHeader(TAG.SEQUENCE, tbsLength);

    const signer = createSign(o.signatureAlgorithm.hash);
    for (const part of [tbsHeader, head, listHeader, ...this.chunks, extensions])
      signer.update(part);
    const signature = derBitString(signer.sign(o.privateKey)); // DER ECDSA-Sig-Value (RFC 5758 §3.2)

    const outerLength = tbsHeader.length + tbsLength + algorithm.length + signature.length;
    const parts = [
      derHeader(TAG.SEQUENCE, outerLength),
      tbsHeader,
      head,
      listHeader,
      ...this.chunks,
      extensions,
      algorithm,
      signature,
    ];
    this.chunks = [];
    return Buffer.concat(parts);
  }

  private flush(): void {
    if (this.pos > 0) this.chunks.push(this.current.subarray(0, this.pos));
    this.current = this.finished ? Buffer.alloc(0) : Buffer.allocUnsafe(CHUNK_SIZE);
    this.pos = 0;
  }
}

/** Writes YYMMDDHHMMSSZ (UTCTime) or YYYYMMDDHHMMSSZ (GeneralizedTime) digits at `p`. */
function writeTimeDigits(b: Buffer, p: number, d: Date, utc: boolean): number {
  const year = d.getUTCFullYear();
  if (!utc) p = writeTwoDigits(b, p, Math.floor(year / 100));
  p = writeTwoDigits(b, p, year % 100);
  p = writeTwoDigits(b, p, d.getUTCMonth() + 1);
  p = writeTwoDigits(b, p, d.getUTCDate());
  p = writeTwoDigits(b, p, d.getUTCHours());
  p = writeTwoDigits(b, p, d.getUTCMinutes());
  p = writeTwoDigits(b, p, d.getUTCSeconds());
  b[p] = 0x5a; // 'Z'
  return p + 1;
}

// Plain functions, no closures: this runs once per entry (a million times for a big CRL).
function writeTwoDigits(b: Buffer, p: number, n: number): number {
  b[p] = 0x30 + Math.floor(n / 10);
  b[p + 1] = 0x30 + (n % 10);
  return p + 2;
}

/** Value of a hex digit's char code, or -1. */
function nibble(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * Validates a serial given as hex (1–40 digits, positive) and measures its minimal magnitude:
 * leading zero octets do not count (X.690 §8.3.2). Decoding without a Buffer per entry keeps
 * a million entries fast.
 */
function decodeSerial(hex: string): { byteLength: number; first: number } {
  const len = hex.length;
  if (len === 0 || len > 40) throw new RangeError(`bad serial ${JSON.stringify(hex)}`);
  let firstNonZero = -1;
  for (let i = 0; i < len; i += 1) {
    const v = nibble(hex.charCodeAt(i));
    if (v < 0) throw new RangeError(`bad serial ${JSON.stringify(hex)}`);
    if (v !== 0 && firstNonZero < 0) firstNonZero = i;
  }
  if (firstNonZero < 0) throw new RangeError('serial must be positive');
  const significant = len - firstNonZero; // hex digits from the first non-zero one
  const byteLength = (significant + 1) >> 1;
  const i0 = len - byteLength * 2; // -1 when the digit count is odd: implicit leading 0
  const first = ((i0 < 0 ? 0 : nibble(hex.charCodeAt(i0))) << 4) | nibble(hex.charCodeAt(i0 + 1));
  return { byteLength, first };
}

/** Writes the last `byteLength` octets of the hex serial at `p`. */
function writeSerialBytes(b: Buffer, p: number, hex: string, byteLength: number): number {
  let i = hex.length - byteLength * 2; // may be -1 for an odd digit count: implicit leading 0
  for (let k = 0; k < byteLength; k += 1, i += 2) {
    const hi = i < 0 ? 0 : nibble(hex.charCodeAt(i));
    b[p++] = (hi << 4) | nibble(hex.charCodeAt(i + 1));
  }
  return p;
}
