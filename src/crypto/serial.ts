// Certificate serial numbers (RFC 5280 §4.1.2.2): positive, ≤ 20 octets, unique per CA.
// 16 bytes from the CSPRNG with the top bit cleared (so it is positive) and the first byte
// non-zero (so the DER INTEGER is minimally encoded — OpenSSL rejects padded serials).
import { randomBytes } from 'node:crypto';

/** A fresh serial as lowercase hex: 127 bits of CSPRNG output, positive, minimal DER. */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}
