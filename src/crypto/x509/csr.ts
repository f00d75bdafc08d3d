// PKCS#10 certificate requests (RFC 2986): parse, check the self-signature with node:crypto,
// allow-list the key (P-256, P-384, optionally RSA ≥ 3072) and read the requested SANs.
// Everything else in a CSR (subject, other extensions) is ignored: the profile decides.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseCsrFast } from './csr-fast.js';
import { fromPem } from './pem.js';
import { x509 } from './setup.js';

export type CsrKeyType = 'P-256' | 'P-384' | 'RSA';

/** Signature algorithms accepted on a CSR, by OID → digest (SHA-1 and RSA-PSS are refused). */
const SIGNATURE_HASH: Record<string, { key: 'ec' | 'rsa'; hash: string }> = {
  '1.2.840.10045.4.3.2': { key: 'ec', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { key: 'ec', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { key: 'ec', hash: 'sha512' },
  '1.2.840.113549.1.1.11': { key: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { key: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { key: 'rsa', hash: 'sha512' },
};

const CURVES: Record<string, CsrKeyType> = { prime256v1: 'P-256', secp384r1: 'P-384' };
const SAN_OID = '2.5.29.17';
/** id-ecPublicKey (RFC 5480 §2.1.1). */
const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';
/** A PEM CSR larger than this is not one we would sign (RSA-8192 CSRs are ~3 KB). */
export const MAX_CSR_PEM_LENGTH = 16_384;

/** Why a CSR was refused; the message is safe to show to the caller. */
export class CsrRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsrRejectedError';
  }
}

export interface RequestedSans {
  dns: string[];
  ip: string[];
  uri: string[];
}

export interface ParsedCsr {
  /** SubjectPublicKeyInfo DER: the key the certificate will certify. */
  spkiDer: Buffer;
  publicKey: KeyObject;
  keyType: CsrKeyType;
  /** Curve size or RSA modulus length. */
  keyBits: number;
  sans: RequestedSans;
}

export interface ParseCsrOptions {
  /** Accept RSA keys (of at least `minRsaBits`). Default true. */
  allowRsa?: boolean;
  minRsaBits?: number;
}

/** Parses and checks a PEM CSR. Throws CsrRejectedError naming the first problem found. */
export function parseCsr(pem: string, o: ParseCsrOptions = {}): ParsedCsr {
  if (pem.length > MAX_CSR_PEM_LENGTH)
    throw new CsrRejectedError(`larger than ${MAX_CSR_PEM_LENGTH} characters`);
  const der = fromPem(pem, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
  if (!der) throw new CsrRejectedError('is not a PEM "CERTIFICATE REQUEST"');
  const fast = parseCsrFast(der);
  if (fast) {
    // The fast path verified the signature with the request's own key; the allow-lists are the same.
    const { keyType, keyBits } = checkKey(fast.publicKey, o);
    const algorithm = SIGNATURE_HASH[fast.signatureOid];
    if (!algorithm || algorithm.key !== fast.publicKey.asymmetricKeyType) {
      throw new CsrRejectedError(
        `signature algorithm ${fast.signatureOid} is not allowed for a ${keyType} key`,
      );
    }
    return { spkiDer: fast.spkiDer, publicKey: fast.publicKey, keyType, keyBits, sans: fast.sans };
  }
  return parseCsrFull(der, o);
}

/** The same checks over the pkijs and @peculiar/x509 object models (every request the fast path does not take). */
export function parseCsrFull(der: Buffer, o: ParseCsrOptions = {}): ParsedCsr {
  const asn = asn1js.fromBER(der);
  if (asn.offset === -1 || asn.offset !== der.length)
    throw new CsrRejectedError('is not a DER-encoded PKCS#10 request');
  let request: pkijs.CertificationRequest;
  let parsed: x509.Pkcs10CertificateRequest;
  try {
    request = new pkijs.CertificationRequest({ schema: asn.result });
    parsed = new x509.Pkcs10CertificateRequest(new Uint8Array(der));
  } catch {
    throw new CsrRejectedError('is not a PKCS#10 certification request');
  }

  // RFC 5480 §2.1.1: an EC key names its curve by OID. OpenSSL maps explicit parameters that
  // match a named curve back to its name, so the KeyObject alone would accept them; refuse them
  // here (RFC 5480 forbids specifiedCurve and implicitCurve in certificates).
  const keyAlgorithm = request.subjectPublicKeyInfo.algorithm;
  if (
    keyAlgorithm.algorithmId === EC_PUBLIC_KEY_OID &&
    !(keyAlgorithm.algorithmParams instanceof asn1js.ObjectIdentifier)
  ) {
    throw new CsrRejectedError(
      'has an EC key with explicit curve parameters; only the named curves P-256 (prime256v1) and P-384 (secp384r1) are allowed',
    );
  }

  const spkiDer = Buffer.from(parsed.publicKey.rawData);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: spkiDer, format: 'der', type: 'spki' });
  } catch {
    throw new CsrRejectedError('has a public key that cannot be parsed');
  }
  const { keyType, keyBits } = checkKey(publicKey, o);

  const algorithm = SIGNATURE_HASH[request.signatureAlgorithm.algorithmId];
  if (!algorithm || algorithm.key !== publicKey.asymmetricKeyType) {
    throw new CsrRejectedError(
      `signature algorithm ${request.signatureAlgorithm.algorithmId} is not allowed for a ${keyType} key`,
    );
  }
  const signature = request.signatureValue.valueBlock.valueHexView;
  let valid = false;
  try {
    valid = verify(algorithm.hash, request.tbsView, publicKey, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new CsrRejectedError('signature does not verify with its own public key');

  return { spkiDer, publicKey, keyType, keyBits, sans: requestedSans(parsed) };
}

function checkKey(key: KeyObject, o: ParseCsrOptions): { keyType: CsrKeyType; keyBits: number } {
  const type = key.asymmetricKeyType;
  if (type === 'ec') {
    const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (!curve)
      throw new CsrRejectedError(
        `EC curve ${key.asymmetricKeyDetails?.namedCurve ?? '(explicit)'} is not allowed (P-256 or P-384)`,
      );
    return { keyType: curve, keyBits: curve === 'P-256' ? 256 : 384 };
  }
  if (type === 'rsa' && (o.allowRsa ?? true)) {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    const min = o.minRsaBits ?? 3072;
    if (bits < min)
      throw new CsrRejectedError(`RSA key of ${bits} bits is too short (at least ${min})`);
    return { keyType: 'RSA', keyBits: bits };
  }
  throw new CsrRejectedError(
    `key type ${type ?? 'unknown'} is not allowed (P-256, P-384${(o.allowRsa ?? true) ? ' or RSA' : ''})`,
  );
}

/**
 * SANs from the extensionRequest attribute, found by OID: the typed extension lookup returns
 * null for CSRs (STACK-NOTES.md pitfall 3). Only DNS, IP and URI names may be requested.
 */
function requestedSans(csr: x509.Pkcs10CertificateRequest): RequestedSans {
  const sans: RequestedSans = { dns: [], ip: [], uri: [] };
  const extensions = csr.getExtensions(SAN_OID);
  if (extensions.length > 1) throw new CsrRejectedError('requests subjectAltName more than once');
  if (extensions.length === 0) return sans;
  let names: readonly x509.GeneralName[];
  try {
    names = new x509.SubjectAlternativeNameExtension(extensions[0]!.rawData).names.items;
  } catch {
    throw new CsrRejectedError('has a subjectAltName that cannot be parsed');
  }
  for (const n of names) {
    if (n.type === 'dns') sans.dns.push(n.value.toLowerCase());
    else if (n.type === 'ip') sans.ip.push(n.value);
    else if (n.type === 'url') sans.uri.push(n.value);
    else
      throw new CsrRejectedError(
        `requests a subjectAltName of type ${n.type}; only DNS, IP and URI are allowed`,
      );
  }
  return sans;
}
