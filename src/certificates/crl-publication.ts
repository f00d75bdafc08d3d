// Generate-then-store CRL publication (RFC 5280 §5; STYLE.md: step-ca stores {number,
// thisUpdate, nextUpdate, der} and serves the stored bytes). One publication at a time across
// every app instance: the advisory lock orders them, and the CRL number comes from a database
// sequence taken under that lock, so a higher number never lists fewer revocations.
//
// Each CA generation publishes its own CRL, signed by its own key: every issuing intermediate
// (active, retiring, retired or revoked) lists the leaf certificates it issued, for as long as its
// CA certificate is valid — leaf certificates never outlive their issuer, so that covers its last
// certificate's expiry; the root lists the revoked issuing intermediates. Verifiers that check the
// whole chain — Node's `crl` option, OpenSSL -crl_check_all — need the root's CRL as well.
//
// A revoked generation's CRL does not repeat the leaves revoked *because* the generation was
// (the cascade of src/wiring/keys-to-certificates.ts, all at the key's revocation time): that
// CRL is signed by the very key that was revoked, so it can vouch for nothing — whoever holds a
// compromised key can sign one without them. What refuses those leaves is the root's CRL entry for
// their CA (RFC 5280 §6.1: the path fails at depth 1). Leaves revoked on their own, before or
// after, stay listed; OCSP, the API and the feed give every cascaded leaf as revoked.
import { CrlWriter } from '../crypto/x509/crl-writer.js';
import { REASON_CODE, type RevocationReason } from '../crypto/x509/reason-code.js';
import { x509 } from '../crypto/x509/setup.js';
import type { Persistence, Stores } from '../stores.js';
import type { CaGeneration, CertificateAuthority } from './authority.js';
import type { PublishedCrl } from './store.js';

/** Revoked entries read per query: memory stays flat however long the CRL is. */
const PAGE_SIZE = 10_000;
/** Stored CRLs kept per issuer (older ones are deleted as new ones are published). */
const KEEP = 3;

export interface CrlPublicationDeps {
  persistence: Persistence;
  authority: CertificateAuthority;
}

/** A CRL needs replacing once less than half its validity is left (or it has none). */
export function isStale(crl: PublishedCrl | undefined, now: Date, validityMs: number): boolean {
  return !crl || crl.nextUpdate.getTime() - now.getTime() < validityMs / 2;
}

/**
 * The CAs that publish a CRL now: every issuing generation whose CA certificate has
 * not been expired for more than one CRL period (RFC 5280 §3.3: a revoked certificate appears on
 * at least one CRL issued after it expires) — retired and revoked generations included — then
 * the root.
 */
export function crlIssuers(ca: CertificateAuthority, now: Date): CaGeneration[] {
  const root = ca.byKid(ca.rootKid)!;
  const live = ca
    .generations()
    .filter((g) => g.ca.notAfter.getTime() + ca.crlValidityMs > now.getTime());
  return [...live, root];
}

/**
 * Adds the revoked leaf certificates, in keyset pages. Entries stay listed until one CRL period
 * after the certificate expires (RFC 5280 §3.3: an entry must appear on at least one CRL
 * issued after the certificate's expiry).
 */
async function addRevokedLeaves(
  s: Stores,
  ca: CertificateAuthority,
  generation: CaGeneration,
  writer: CrlWriter,
  thisUpdate: Date,
): Promise<void> {
  const issuerKid = generation.kid;
  const expiringAfter = new Date(thisUpdate.getTime() - ca.crlValidityMs);
  // The generation's own revocation: the leaves revoked with it carry exactly its time.
  const cascadeAt =
    generation.status === 'revoked'
      ? (await s.revocations.find('key', issuerKid))?.revokedAt.getTime()
      : undefined;
  let after: string | undefined;
  for (;;) {
    const page = await s.certificates.listRevoked({
      issuerKid,
      expiringAfter,
      after,
      limit: PAGE_SIZE,
    });
    for (const e of page)
      if (e.revokedAt.getTime() !== cascadeAt) writer.add(e.serial, e.revokedAt, e.reason);
    if (page.length < PAGE_SIZE) return;
    after = page[page.length - 1]!.serial;
  }
}

/** RFC 5280 §5.3.1: a CA certificate revoked for a compromised key is cACompromise. */
export function caRevocationReason(keyReason: string): RevocationReason {
  if (keyReason === 'keyCompromise' || keyReason === 'cACompromise') return 'cACompromise';
  return keyReason in REASON_CODE ? (keyReason as RevocationReason) : 'unspecified';
}

/**
 * Adds the revoked issuing intermediates to the root's CRL: the serial of each one's certificate,
 * the time and reason of the key's revocation (from the revocation feed), until one CRL period
 * after the intermediate certificate expires.
 */
async function addRevokedIntermediates(
  s: Stores,
  ca: CertificateAuthority,
  writer: CrlWriter,
  thisUpdate: Date,
): Promise<void> {
  const keys = await s.keys.listAll();
  const revoked = keys.filter(
    (k) => k.purpose === 'issuing-ca' && k.status === 'revoked' && k.certificatePem,
  );
  const entries = [];
  for (const k of revoked) {
    const certificate = new x509.X509Certificate(k.certificatePem!);
    if (certificate.notAfter.getTime() + ca.crlValidityMs <= thisUpdate.getTime()) continue;
    const r = await s.revocations.find('key', k.kid);
    entries.push({
      serial: certificate.serialNumber.toLowerCase(),
      revokedAt: r?.revokedAt ?? k.createdAt,
      reason: caRevocationReason(r?.reason ?? 'unspecified'),
    });
  }
  entries.sort((a, b) => (a.serial < b.serial ? -1 : 1));
  for (const e of entries) writer.add(e.serial, e.revokedAt, e.reason);
}

/**
 * Generates, signs and stores a new CRL of the CA `kid` (the root or an issuing generation); with
 * `onlyIfStale`, first returns the newest one when it is still fresh.
 */
export async function publishCrl(
  d: CrlPublicationDeps,
  kid: string,
  o: { onlyIfStale?: boolean } = {},
): Promise<PublishedCrl> {
  const { persistence: p, authority: ca } = d;
  const generation = ca.byKid(kid);
  if (!generation) throw new Error(`no CA ${kid} to publish a CRL for`);
  const signer = generation.ca;
  return p.transact(async (s) => {
    await s.locks.acquire('crl-publication');
    if (o.onlyIfStale) {
      const latest = await s.crls.latestInfo(kid);
      if (latest && !isStale(latest, p.clock.now(), ca.crlValidityMs)) return latest;
    }
    const crlNumber = await s.crls.nextNumber();
    const thisUpdate = new Date(Math.floor(p.clock.now().getTime() / 1000) * 1000);
    const nextUpdate = new Date(thisUpdate.getTime() + ca.crlValidityMs);
    const writer = new CrlWriter();
    if (generation.role === 'issuing')
      await addRevokedLeaves(s, ca, generation, writer, thisUpdate);
    else await addRevokedIntermediates(s, ca, writer, thisUpdate);
    const der = writer.finish({
      issuerNameDer: signer.subjectDer,
      authorityKeyIdentifier: signer.keyIdentifier,
      crlNumber: BigInt(crlNumber),
      thisUpdate,
      nextUpdate,
      privateKey: signer.privateKey,
      signatureAlgorithm: signer.signatureAlgorithm,
    });
    const published: PublishedCrl = {
      crlNumber,
      issuerKid: kid,
      thisUpdate,
      nextUpdate,
      entries: writer.count,
      createdAt: p.clock.now(),
    };
    await s.crls.insert({ ...published, der });
    await s.crls.prune(kid, KEEP);
    return published;
  });
}
