// A minimal DER encoder (ITU-T X.690 §8, §10) for the structures we write by hand because the
// libraries cannot build them at scale (CRLs: STACK-NOTES.md pitfall 9). Definite lengths only.

/** Universal and context tags used by our writers. */
export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  BMP_STRING: 0x1e,
  /** [0] IMPLICIT, primitive (e.g. keyIdentifier in AuthorityKeyIdentifier). */
  CONTEXT_0_PRIMITIVE: 0x80,
  /** [2] IMPLICIT NULL (OCSP CertStatus unknown). */
  CONTEXT_2_PRIMITIVE: 0x82,
  /** [0] EXPLICIT / constructed (e.g. crlExtensions). */
  CONTEXT_0_CONSTRUCTED: 0xa0,
  CONTEXT_1_CONSTRUCTED: 0xa1,
  CONTEXT_2_CONSTRUCTED: 0xa2,
} as const;

/** The length octets of a definite-length encoding (X.690 §8.1.3). */
export function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Tag and length octets for `length` content octets. */
export function derHeader(tag: number, length: number): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(length)]);
}

/** A complete TLV whose content is the concatenation of `parts`. */
export function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  const content = Buffer.concat(parts);
  return Buffer.concat([derHeader(tag, content.length), content]);
}

/**
 * Content octets of a non-negative INTEGER given as big-endian magnitude bytes: leading zero
 * octets removed, one 0x00 added when the top bit is set (X.690 §8.3.2 — OpenSSL rejects
 * anything else as "illegal padding", STACK-NOTES.md pitfall 5).
 */
export function unsignedIntegerContent(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start += 1;
  const trimmed = Buffer.from(magnitude.subarray(start));
  if (trimmed.length === 0) return Buffer.from([0]);
  return trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
}

/** INTEGER TLV of a non-negative bigint. */
export function derUnsignedInteger(value: bigint): Buffer {
  if (value < 0n) throw new RangeError('negative INTEGER');
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return tlv(TAG.INTEGER, unsignedIntegerContent(Buffer.from(hex, 'hex')));
}

/** OBJECT IDENTIFIER TLV from dotted form (X.690 §8.19). */
export function derOid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  if (arcs.length < 2) throw new RangeError(`bad OID ${dotted}`);
  const out: number[] = [];
  const push = (arc: bigint) => {
    const groups: number[] = [Number(arc & 0x7fn)];
    for (let n = arc >> 7n; n > 0n; n >>= 7n) groups.unshift(Number(n & 0x7fn) | 0x80);
    out.push(...groups);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const arc of arcs.slice(2)) push(arc);
  return tlv(TAG.OID, Buffer.from(out));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * RFC 5280 §4.1.2.5 / §5.1.2.4 time: UTCTime (YYMMDDHHMMSSZ) for years 1950–2049, otherwise
 * GeneralizedTime (YYYYMMDDHHMMSSZ); whole seconds, always UTC.
 */
export function derTime(date: Date): Buffer {
  const y = date.getUTCFullYear();
  const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050)
    return tlv(TAG.UTC_TIME, Buffer.from(`${pad(y % 100)}${rest}`, 'latin1'));
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(`${pad(y, 4)}${rest}`, 'latin1'));
}

/** BIT STRING TLV with no unused bits (signatures, public keys). */
export function derBitString(bytes: Uint8Array): Buffer {
  return tlv(TAG.BIT_STRING, Buffer.from([0]), bytes);
}

/** GeneralizedTime TLV, whole seconds, UTC (RFC 6960 §4.2.2.1 uses it for every OCSP time). */
export function derGeneralizedTime(date: Date): Buffer {
  const s = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}Z`;
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(digits, 'latin1'));
}
