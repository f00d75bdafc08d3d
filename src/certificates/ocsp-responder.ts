// The OCSP responder (RFC 6960): answers from the database on every request, so a revocation
// shows at commit. Signed by the issuing CA itself (§4.2.2.2: the CA that issued the
// certificate may sign), so clients need no delegated responder certificate.
import { issuerHashes } from '../crypto/x509/issuing-ca.js';
import { OcspMalformedError, parseOcspRequest, type OcspCertIdRequest } from '../crypto/x509/ocsp-request.js';
import { buildOcspResponse, ocspErrorResponse, type OcspCertStatus } from '../crypto/x509/ocsp-response.js';
import type { CertificateAuthority } from './authority.js';
import type { CertificateContext } from './context.js';

/** True when the CertID names our issuing CA (by name hash and key hash, §4.1.1). */
function namesOurIssuer(ca: CertificateAuthority, r: OcspCertIdRequest): boolean {
  if (!r.hash) return false;
  const ours = issuerHashes(ca.issuing, r.hash);
  return ours.nameHash.equals(r.issuerNameHash) && ours.keyHash.equals(r.issuerKeyHash);
}

/**
 * Answers a DER OCSPRequest with a DER OCSPResponse: good, revoked (time and reason) or unknown
 * per CertID — unknown for serials we never issued and for other issuers or hash algorithms
 * (§2.2) — echoing the nonce. A request that does not parse gets malformedRequest, never an
 * exception. Database errors propagate; the route answers them with tryLater/internalError.
 */
export async function respondToOcsp(ctx: Pick<CertificateContext, 'persistence' | 'authority'>, requestDer: Uint8Array): Promise<Buffer> {
  const ca = ctx.authority;
  let request;
  try {
    request = parseOcspRequest(requestDer);
  } catch (err) {
    if (err instanceof OcspMalformedError) return ocspErrorResponse('malformedRequest');
    throw err;
  }
  const ours = request.requests.map((r) => (namesOurIssuer(ca, r) && r.serialHex ? r.serialHex : undefined));
  const wanted = [...new Set(ours.filter((s): s is string => s !== undefined))];
  const records = wanted.length ? await ctx.persistence.stores.certificates.findManyBySerial(wanted) : [];
  const bySerial = new Map(records.filter((c) => c.issuerKid === ca.issuingKid).map((c) => [c.serial, c]));

  const now = ctx.persistence.clock.now();
  const producedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const answers = request.requests.map((r, i) => {
    const c = ours[i] ? bySerial.get(ours[i]!) : undefined;
    let certStatus: OcspCertStatus = { status: 'unknown' };
    if (c?.revokedAt) certStatus = { status: 'revoked', revokedAt: c.revokedAt, reason: c.revocationReason ?? 'unspecified' };
    else if (c) certStatus = { status: 'good' };
    return { certIdDer: r.certIdDer, certStatus };
  });
  return buildOcspResponse({
    answers,
    nonce: request.nonce,
    producedAt,
    nextUpdate: new Date(producedAt.getTime() + ca.ocspValidityMs),
    issuer: ca.issuing,
    includeIssuerCertificate: true,
  });
}
