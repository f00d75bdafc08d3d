// When the proof behind servers' origins is lost (their namespace released or revoked), their
// certificates are revoked in the same transaction — server certificates naming them and client
// certificates bound to their (now revoked) passports — each in the revocation feed and audited.
import type { Clock } from '../clock.js';
import type { RevocationReason } from '../crypto/x509/reason-code.js';
import { recordRevoked, type Revoked } from '../revocation/follow-key.js';
import type { TxStores } from '../stores.js';
import type { CertificateRecord } from './certificate.js';

export interface ServerCertificatesRevocation {
  servers: string[];
  /** Passports whose client certificates go too (the servers' passports). */
  passportIds: string[];
  publisherId: string;
  reason: RevocationReason;
  at: Date;
  actor: string;
  /** Why, recorded in each audit event (e.g. `namespace:com.example revoked`). */
  cause: string;
}

/**
 * Inside the caller's transaction: revokes the matching certificates that are not revoked yet and
 * returns those this transaction revoked. The caller asks for a fresh CRL after commit.
 */
export async function revokeServerCertificates(
  s: TxStores,
  clock: Clock,
  r: ServerCertificatesRevocation,
): Promise<CertificateRecord[]> {
  const unrevoked = await s.certificates.listUnrevokedOf({
    publisherId: r.publisherId,
    servers: r.servers,
    passportIds: r.passportIds,
  });
  // Only those this transaction revoked: one revoked concurrently already has its feed entry.
  const revoked: CertificateRecord[] = [];
  for (const c of unrevoked)
    if (await s.certificates.markRevoked(c.serial, r.at, r.reason)) revoked.push(c);
  if (revoked.length === 0) return [];
  const records = revoked.map((c) => ({ ...c, revokedAt: r.at, revocationReason: r.reason }));
  await recordRevoked(
    s,
    clock,
    r.actor,
    records.map((record): Revoked => ({
      kind: 'certificate',
      record,
      reason: r.reason,
      cause: r.cause,
    })),
  );
  return records;
}
