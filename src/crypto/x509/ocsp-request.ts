// OCSP requests (RFC 6960 §4.1): parsed with pkijs, then reduced to what a responder needs —
// each CertID (hash algorithm, issuer hashes, serial, and its exact DER to echo back) and the
// nonce extension (RFC 8954); and the one-certificate request behind a GET link (RFC 6960 A.1).
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** Hash algorithms a CertID may use that we answer for; others get `unknown`. */
const HASH_OF_OID: Record<string, 'sha1' | 'sha256'> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
};

/** id-pkix-ocsp-nonce (RFC 6960 §4.4.1). */
export const OCSP_NONCE_OID = '1.3.6.1.5.5.7.48.1.2';
/** More CertIDs than this in one request is treated as malformed (a cheap amplification guard). */
export const MAX_CERT_IDS = 32;

export interface OcspCertIdRequest {
  /** node:crypto name of the CertID hash, or undefined for an algorithm we do not support. */
  hash: 'sha1' | 'sha256' | undefined;
  issuerNameHash: Buffer;
  issuerKeyHash: Buffer;
  /** Canonical serial (lowercase hex of the minimal positive magnitude), or undefined if ≤ 0. */
  serialHex: string | undefined;
  /** The CertID exactly as received: the response must name the same CertID (§4.2.1). */
  certIdDer: Buffer;
}

export interface ParsedOcspRequest {
  requests: OcspCertIdRequest[];
  /** extnValue of the nonce extension, to echo unchanged; undefined when absent. */
  nonce: Buffer | undefined;
}

/** The request cannot be parsed: answer with responseStatus malformedRequest (§4.2.1). */
export class OcspMalformedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OcspMalformedError';
  }
}

/** Canonical serial hex from INTEGER content octets; undefined for zero or negative values. */
export function serialHexFromInteger(content: Uint8Array): string | undefined {
  if (content.length === 0 || (content[0]! & 0x80) !== 0) return undefined;
  let start = 0;
  while (start < content.length - 1 && content[start] === 0) start += 1;
  const hex = Buffer.from(content.subarray(start)).toString('hex');
  return /^0+$/.test(hex) ? undefined : hex;
}

/** Parses a DER OCSPRequest. Throws OcspMalformedError for anything that is not one. */
export function parseOcspRequest(der: Uint8Array): ParsedOcspRequest {
  if (der.length === 0) throw new OcspMalformedError('empty request');
  const asn = asn1js.fromBER(der);
  if (asn.offset === -1 || asn.offset !== der.length)
    throw new OcspMalformedError('not a single DER object');
  let request: pkijs.OCSPRequest;
  try {
    request = new pkijs.OCSPRequest({ schema: asn.result });
  } catch {
    throw new OcspMalformedError('not an OCSPRequest');
  }
  const list = request.tbsRequest.requestList;
  if (list.length === 0 || list.length > MAX_CERT_IDS)
    throw new OcspMalformedError(`expected 1–${MAX_CERT_IDS} CertIDs`);

  // The raw Request elements, in order: OCSPRequest → TBSRequest → requestList (the first
  // universal SEQUENCE among the TBSRequest's fields; the optional ones are context-tagged).
  const tbs = (asn.result as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  const rawList = tbs.valueBlock.value.find(
    (e) => e.idBlock.tagClass === 1 && e.idBlock.tagNumber === 16,
  ) as asn1js.Sequence;
  const rawRequests = rawList.valueBlock.value as asn1js.Sequence[];

  const requests = list.map((r, i): OcspCertIdRequest => {
    const certId = r.reqCert;
    const raw = rawRequests[i]!.valueBlock.value[0]!;
    return {
      hash: HASH_OF_OID[certId.hashAlgorithm.algorithmId],
      issuerNameHash: Buffer.from(certId.issuerNameHash.valueBlock.valueHexView),
      issuerKeyHash: Buffer.from(certId.issuerKeyHash.valueBlock.valueHexView),
      serialHex: serialHexFromInteger(certId.serialNumber.valueBlock.valueHexView),
      certIdDer: Buffer.from(raw.valueBeforeDecodeView),
    };
  });

  const nonceExtensions = (request.tbsRequest.requestExtensions ?? []).filter(
    (e) => e.extnID === OCSP_NONCE_OID,
  );
  if (nonceExtensions.length > 1) throw new OcspMalformedError('more than one nonce');
  const nonce = nonceExtensions[0]
    ? Buffer.from(nonceExtensions[0].extnValue.valueBlock.valueHexView)
    : undefined;
  // RFC 8954 §2.1: a nonce is 1–32 octets (inside its OCTET STRING); allow the DER wrapping.
  if (nonce && (nonce.length === 0 || nonce.length > 34))
    throw new OcspMalformedError('nonce must be 1–32 octets');
  return { requests, nonce };
}

export interface OcspRequestTarget {
  /** DER of the issuer's subject Name, exactly as in its certificate. */
  issuerNameDer: Uint8Array;
  /** Contents of the issuer's subjectPublicKey BIT STRING. */
  issuerKeyBits: Uint8Array;
  /** Canonical serial (lowercase hex of the positive magnitude). */
  serialHex: string;
}

/**
 * DER of an OCSPRequest for one certificate, without nonce (so it can be a stable GET URL):
 * CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber } with SHA-1,
 * the hash every responder answers for (RFC 6960 §4.1.1, RFC 5019 §2.1.1).
 */
export function encodeOcspRequest(t: OcspRequestTarget): Buffer {
  const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest();
  const magnitude = Buffer.from(t.serialHex.length % 2 ? `0${t.serialHex}` : t.serialHex, 'hex');
  // INTEGER is signed: a magnitude with its top bit set needs a leading 00 to stay positive.
  const serial = magnitude[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), magnitude]) : magnitude;
  const request = new pkijs.OCSPRequest();
  request.tbsRequest.requestList = [
    new pkijs.Request({
      reqCert: new pkijs.CertID({
        hashAlgorithm: new pkijs.AlgorithmIdentifier({
          algorithmId: '1.3.14.3.2.26',
          algorithmParams: new asn1js.Null(),
        }),
        issuerNameHash: new asn1js.OctetString({ valueHex: sha1(t.issuerNameDer) }),
        issuerKeyHash: new asn1js.OctetString({ valueHex: sha1(t.issuerKeyBits) }),
        serialNumber: new asn1js.Integer({ valueHex: serial }),
      }),
    }),
  ];
  return Buffer.from(request.toSchema(true).toBER(false));
}
