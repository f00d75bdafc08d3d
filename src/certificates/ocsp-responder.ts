// The OCSP responder (RFC 6960): answers from the database on every request, so a revocation
// shows at commit. Each answer is signed by the delegated responder of the CA that issued the
// certificate in question (§4.2.2.2; ocsp-responders.ts) — any issuing-CA generation, retired or
// revoked ones included, and the root for the status of the intermediates — with the responder
// certificate and its root-anchored twin embedded, so clients holding only the root verify it
// (ocsp-responder-certificate.ts says why two).
import { issuerHashes } from '../crypto/x509/issuing-ca.js';
import {
  OcspMalformedError,
  parseOcspRequest,
  type OcspCertIdRequest,
} from '../crypto/x509/ocsp-request.js';
import {
  buildOcspResponse,
  ocspErrorResponse,
  type OcspCertStatus,
} from '../crypto/x509/ocsp-response.js';
import type { SignedReadCache } from '../signed-reads/cache.js';
import type { Stores } from '../stores.js';
import type { CaGeneration, CertificateAuthority } from './authority.js';
import { canonicalSerial } from './certificate.js';
import type { CertificateContext } from './context.js';
import { caRevocationReason } from './crl-publication.js';

/** The CA generation a CertID names (by issuer name hash and key hash, §4.1.1), if it is ours. */
function issuerOf(ca: CertificateAuthority, r: OcspCertIdRequest): CaGeneration | undefined {
  if (!r.hash) return undefined;
  for (const g of [ca.byKid(ca.rootKid)!, ...ca.generations()]) {
    const h = issuerHashes(g.ca, r.hash);
    if (h.nameHash.equals(r.issuerNameHash) && h.keyHash.equals(r.issuerKeyHash)) return g;
  }
  return undefined;
}

/** Status of leaf certificates of an issuing generation, by serial. */
async function leafStatuses(
  stores: Stores,
  issuerKid: string,
  serials: string[],
): Promise<Map<string, OcspCertStatus>> {
  const records = serials.length ? await stores.certificates.findManyBySerial(serials) : [];
  const out = new Map<string, OcspCertStatus>();
  for (const c of records) {
    if (c.issuerKid !== issuerKid) continue;
    out.set(
      c.serial,
      c.revokedAt
        ? { status: 'revoked', revokedAt: c.revokedAt, reason: c.revocationReason ?? 'unspecified' }
        : { status: 'good' },
    );
  }
  return out;
}

/** Status of the issuing intermediates (the root's certificates), by serial. */
async function intermediateStatuses(
  stores: Stores,
  ca: CertificateAuthority,
): Promise<Map<string, OcspCertStatus>> {
  const out = new Map<string, OcspCertStatus>();
  for (const g of ca.generations()) {
    const serial = canonicalSerial(g.ca.certificate.serialNumber);
    if (g.status !== 'revoked') {
      out.set(serial, { status: 'good' });
      continue;
    }
    const r = await stores.revocations.find('key', g.kid);
    out.set(serial, {
      status: 'revoked',
      revokedAt: r?.revokedAt ?? g.ca.certificate.notBefore,
      reason: caRevocationReason(r?.reason ?? 'unspecified'),
    });
  }
  return out;
}

/**
 * Answers a DER OCSPRequest with a DER OCSPResponse: good, revoked (time and reason) or unknown
 * (our CA, a serial it never issued) per CertID, echoing the nonce. One response has one signer,
 * so every CertID must name the same one of our CAs: a request naming any other issuer (a CA this
 * TA does not run, an unsupported CertID hash, or two of our CAs at once) gets `unauthorized`
 * (§2.3). A request that does not parse gets malformedRequest, never an exception. Database
 * errors propagate; the route answers them with tryLater/internalError.
 */
export async function respondToOcsp(
  ctx: Pick<CertificateContext, 'persistence' | 'authority'>,
  requestDer: Uint8Array,
  /** Told each answer's status (good, revoked, unknown) or the error response status. */
  observe: (status: string) => void = () => {},
  cache?: SignedReadCache,
): Promise<Buffer> {
  // A request is cached under its exact bytes only when it carries no nonce, so a hit needs no
  // parsing: the same bytes have the same answer until the cache generation changes.
  const key = cache ? Buffer.from(requestDer).toString('base64') : '';
  const cached = cache?.get('ocsp', key);
  if (cached) {
    // The statuses a cached answer gave, kept beside it (as the etag: OCSP answers have none).
    for (const status of cached.etag.split(',')) if (status) observe(status);
    return Buffer.from(cached.body as Uint8Array);
  }
  let request;
  try {
    request = parseOcspRequest(requestDer);
  } catch (err) {
    if (err instanceof OcspMalformedError) {
      observe('malformedRequest');
      return ocspErrorResponse('malformedRequest');
    }
    throw err;
  }
  // Without a nonce the same request has the same answer until a certificate, revocation or
  // CA key changes: sign it once (RFC 6960 §2.5 allows pre-produced responses; RFC 5019 §2.2.1).
  if (!request.nonce && cache) {
    const generation = cache.generation('ocsp');
    const { der, nextUpdate, statuses } = await answer(ctx, request);
    for (const status of statuses) observe(status);
    cache.set('ocsp', key, generation, {
      body: der,
      status: 200,
      contentType: 'application/ocsp-response',
      etag: statuses.join(','),
      nextUpdate,
      freshUntil: nextUpdate,
    });
    return der;
  }
  const { der, statuses } = await answer(ctx, request);
  for (const status of statuses) observe(status);
  return der;
}

async function answer(
  ctx: Pick<CertificateContext, 'persistence' | 'authority'>,
  request: ReturnType<typeof parseOcspRequest>,
): Promise<{ der: Buffer; nextUpdate?: Date; statuses: string[] }> {
  const ca = ctx.authority;
  const issuers = request.requests.map((r) => issuerOf(ca, r));
  const issuer = issuers[0];
  if (!issuer || issuers.some((g) => g?.kid !== issuer.kid))
    return { der: ocspErrorResponse('unauthorized'), statuses: ['unauthorized'] };

  const serials = [
    ...new Set(
      request.requests.map((r) => r.serialHex).filter((s): s is string => s !== undefined),
    ),
  ];
  const stores = ctx.persistence.stores;
  const statuses =
    issuer.role === 'root'
      ? await intermediateStatuses(stores, ca)
      : await leafStatuses(stores, issuer.kid, serials);
  const signer = await ca.ocspSigner(issuer.kid);

  const now = ctx.persistence.clock.now();
  const producedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const wanted = producedAt.getTime() + ca.ocspValidityMs;
  // An answer is never valid for longer than the certificate that signs it.
  const nextUpdate = new Date(Math.min(wanted, signer.notAfter.getTime()));
  const answers = request.requests.map((r) => ({
    certIdDer: r.certIdDer,
    certStatus: (r.serialHex && statuses.get(r.serialHex)) || ({ status: 'unknown' } as const),
  }));
  const der = buildOcspResponse({
    answers,
    nonce: request.nonce,
    producedAt,
    nextUpdate,
    signer,
    certificates: signer.certificates,
  });
  return { der, nextUpdate, statuses: answers.map((a) => a.certStatus.status) };
}
