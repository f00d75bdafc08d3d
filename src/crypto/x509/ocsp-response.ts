// OCSP responses (RFC 6960 §4.2), DER-encoded by hand so each CertID is echoed byte-for-byte,
// signed by the given signer (the TA uses a delegated responder per issuing CA:
// ocsp-responder-certificate.ts), responderID as the signer gives it (byKey by default), the
// signer's certificates in `certs`.
//
//   OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT SEQUENCE {
//     responseType OID (id-pkix-ocsp-basic), response OCTET STRING (BasicOCSPResponse) } OPTIONAL }
//   BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm,
//     signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
//   ResponseData ::= SEQUENCE { responderID ResponderID, producedAt GeneralizedTime,
//     responses SEQUENCE OF SingleResponse, responseExtensions [1] EXPLICIT Extensions OPTIONAL }
//   SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0] EXPLICIT OPTIONAL }
//   CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo,
//     unknown [2] IMPLICIT NULL };  RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime,
//     revocationReason [0] EXPLICIT CRLReason OPTIONAL }
import { createHash, sign, type KeyObject } from 'node:crypto';
import { derBitString, derGeneralizedTime, derOid, TAG, tlv } from '../der.js';
import type { EcdsaSignatureAlgorithm } from './issuing-ca.js';
import { OCSP_NONCE_OID } from './ocsp-request.js';
import { REASON_CODE, type RevocationReason } from './reason-code.js';

const ID_PKIX_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';

/** OCSPResponseStatus values (§4.2.1) other than successful. */
export const OCSP_ERROR_STATUS = {
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  unauthorized: 6,
} as const;
export type OcspErrorStatus = keyof typeof OCSP_ERROR_STATUS;

export type OcspCertStatus =
  | { status: 'good' }
  | { status: 'revoked'; revokedAt: Date; reason: RevocationReason }
  | { status: 'unknown' };

export interface OcspSingleAnswer {
  /** The request's CertID, verbatim. */
  certIdDer: Uint8Array;
  certStatus: OcspCertStatus;
}

export interface BuildOcspResponseOptions {
  answers: OcspSingleAnswer[];
  /** extnValue of the request's nonce, echoed as a response extension when present (§4.4.1). */
  nonce?: Uint8Array;
  producedAt: Date;
  /** When a newer answer will be available; clients cache until then. */
  nextUpdate: Date;
  /** The responder: its key signs, SHA-1 of its public key bits is the responderID. */
  signer: OcspResponseSigner;
  /** Certificates for `certs` (§4.2.1): the delegated responder's certificate, first. */
  certificates?: Uint8Array[];
}

export interface OcspResponseSigner {
  privateKey: KeyObject;
  /** Contents of the signer's subjectPublicKey BIT STRING. */
  publicKeyBits: Uint8Array;
  signatureAlgorithm: EcdsaSignatureAlgorithm;
  /** ResponderID DER ([1] EXPLICIT Name or [2] EXPLICIT KeyHash); byKey of the key if absent. */
  responderIdDer?: Uint8Array;
}

/** responderID byKey: SHA-1 of the responder's subjectPublicKey bits (§4.2.1, KeyHash). */
function responderKeyHash(signer: OcspResponseSigner): Buffer {
  return createHash('sha1').update(signer.publicKeyBits).digest();
}

function certStatusDer(s: OcspCertStatus): Buffer {
  if (s.status === 'good') return Buffer.from([TAG.CONTEXT_0_PRIMITIVE, 0]);
  if (s.status === 'unknown') return Buffer.from([TAG.CONTEXT_2_PRIMITIVE, 0]);
  const parts = [derGeneralizedTime(s.revokedAt)];
  // Like CRL entries (RFC 5280 §5.3.1), leave the reason out rather than say "unspecified".
  if (s.reason !== 'unspecified') {
    parts.push(
      tlv(TAG.CONTEXT_0_CONSTRUCTED, tlv(TAG.ENUMERATED, Buffer.from([REASON_CODE[s.reason]]))),
    );
  }
  return tlv(TAG.CONTEXT_1_CONSTRUCTED, ...parts);
}

/** A successful OCSPResponse carrying a signed BasicOCSPResponse. */
export function buildOcspResponse(o: BuildOcspResponseOptions): Buffer {
  const thisUpdate = derGeneralizedTime(o.producedAt);
  const nextUpdate = tlv(TAG.CONTEXT_0_CONSTRUCTED, derGeneralizedTime(o.nextUpdate));
  const responses = o.answers.map((a) =>
    tlv(
      TAG.SEQUENCE,
      Buffer.from(a.certIdDer),
      certStatusDer(a.certStatus),
      thisUpdate,
      nextUpdate,
    ),
  );
  const fields = [
    o.signer.responderIdDer
      ? Buffer.from(o.signer.responderIdDer)
      : tlv(TAG.CONTEXT_2_CONSTRUCTED, tlv(TAG.OCTET_STRING, responderKeyHash(o.signer))),
    derGeneralizedTime(o.producedAt),
    tlv(TAG.SEQUENCE, ...responses),
  ];
  if (o.nonce) {
    const nonceExtension = tlv(
      TAG.SEQUENCE,
      derOid(OCSP_NONCE_OID),
      tlv(TAG.OCTET_STRING, o.nonce),
    );
    fields.push(tlv(TAG.CONTEXT_1_CONSTRUCTED, tlv(TAG.SEQUENCE, nonceExtension)));
  }
  const tbsResponseData = tlv(TAG.SEQUENCE, ...fields);
  const signature = sign(o.signer.signatureAlgorithm.hash, tbsResponseData, o.signer.privateKey); // DER ECDSA-Sig-Value
  const basic = [
    tbsResponseData,
    tlv(TAG.SEQUENCE, derOid(o.signer.signatureAlgorithm.oid)),
    derBitString(signature),
  ];
  if (o.certificates?.length)
    basic.push(tlv(TAG.CONTEXT_0_CONSTRUCTED, tlv(TAG.SEQUENCE, ...o.certificates)));
  const responseBytes = tlv(
    TAG.SEQUENCE,
    derOid(ID_PKIX_OCSP_BASIC),
    tlv(TAG.OCTET_STRING, tlv(TAG.SEQUENCE, ...basic)),
  );
  return tlv(
    TAG.SEQUENCE,
    tlv(TAG.ENUMERATED, Buffer.from([0])),
    tlv(TAG.CONTEXT_0_CONSTRUCTED, responseBytes),
  );
}

/** An unsuccessful OCSPResponse: status only, no responseBytes, unsigned (§2.3). */
export function ocspErrorResponse(status: OcspErrorStatus): Buffer {
  return tlv(TAG.SEQUENCE, tlv(TAG.ENUMERATED, Buffer.from([OCSP_ERROR_STATUS[status]])));
}
