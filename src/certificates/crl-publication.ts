// Generate-then-store CRL publication (RFC 5280 §5; STYLE.md: step-ca stores {number,
// thisUpdate, nextUpdate, der} and serves the stored bytes). One publication at a time across
// every app instance: the advisory lock orders them, and the CRL number comes from a database
// sequence taken under that lock, so a higher number never lists fewer revocations.
//
// Two CRLs are published: the issuing CA's (leaf certificates; the CRL distribution point of
// every certificate) and the root CA's (issuing CAs). Verifiers that check the whole chain —
// Node's `crl` option sets OpenSSL's CRL_CHECK_ALL — refuse every leaf without the root's CRL.
import { CrlWriter } from '../crypto/x509/crl-writer.js';
import type { IssuingCa } from '../crypto/x509/issuing-ca.js';
import type { Persistence, Stores } from '../stores.js';
import type { CertificateAuthority } from './authority.js';
import type { PublishedCrl } from './store.js';

/** Revoked entries read per query: memory stays flat however long the CRL is. */
const PAGE_SIZE = 10_000;
/** Stored CRLs kept per issuer (older ones are deleted as new ones are published). */
const KEEP = 3;

/** Which CA's CRL: the issuing CA (leaf certificates) or the root (issuing CAs). */
export type CrlScope = 'issuing' | 'root';

export interface CrlPublicationDeps {
  persistence: Persistence;
  authority: CertificateAuthority;
}

/** A CRL needs replacing once less than half its validity is left (or it has none). */
export function isStale(crl: PublishedCrl | undefined, now: Date, validityMs: number): boolean {
  return !crl || crl.nextUpdate.getTime() - now.getTime() < validityMs / 2;
}

/** The signing CA and its kid for a scope. */
export function crlIssuer(ca: CertificateAuthority, scope: CrlScope): { kid: string; signer: IssuingCa } {
  return scope === 'issuing' ? { kid: ca.issuingKid, signer: ca.issuing } : { kid: ca.rootKid, signer: ca.root };
}

/**
 * Adds the revoked leaf certificates, in keyset pages. Entries stay listed until one CRL period
 * after the certificate expires (RFC 5280 §3.3: an entry must appear on at least one CRL
 * issued after the certificate's expiry).
 */
async function addRevokedLeaves(s: Stores, ca: CertificateAuthority, writer: CrlWriter, thisUpdate: Date): Promise<void> {
  const expiringAfter = new Date(thisUpdate.getTime() - ca.crlValidityMs);
  let after: string | undefined;
  for (;;) {
    const page = await s.certificates.listRevoked({ issuerKid: ca.issuingKid, expiringAfter, after, limit: PAGE_SIZE });
    for (const e of page) writer.add(e.serial, e.revokedAt, e.reason);
    if (page.length < PAGE_SIZE) return;
    after = page[page.length - 1]!.serial;
  }
}

/**
 * Generates, signs and stores a new CRL of `scope`; with `onlyIfStale`, first returns the newest
 * one when it is still fresh.
 */
export async function publishCrl(d: CrlPublicationDeps, scope: CrlScope, o: { onlyIfStale?: boolean } = {}): Promise<PublishedCrl> {
  const { persistence: p, authority: ca } = d;
  const { kid, signer } = crlIssuer(ca, scope);
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
    if (scope === 'issuing') await addRevokedLeaves(s, ca, writer, thisUpdate);
    // TODO: the root CRL lists no entries because issuing CAs cannot be revoked yet (src/keys has
    // no revocation of authority keys); list them here when it does.
    const der = writer.finish({
      issuerNameDer: signer.subjectDer,
      authorityKeyIdentifier: signer.keyIdentifier,
      crlNumber: BigInt(crlNumber),
      thisUpdate,
      nextUpdate,
      privateKey: signer.privateKey,
      signatureAlgorithm: signer.signatureAlgorithm,
    });
    const published: PublishedCrl = { crlNumber, issuerKid: kid, thisUpdate, nextUpdate, entries: writer.count, createdAt: p.clock.now() };
    await s.crls.insert({ ...published, der });
    await s.crls.prune(kid, KEEP);
    return published;
  });
}
