// MCPS status documents (GET /api/verify/{id}) and the signed list of revoked passports
// (GET /api/crl), computed from the rows on every read so a revocation shows at once. A
// superseded (rotated or re-issued) passport reports REVOKED with reason `superseded`: its key
// is no longer the identity's key.
import { signDocument, type Signed } from '../crypto/signed-document.js';
import type { PassportDeps } from './deps.js';
import {
  effectiveState,
  type PassportRecord,
  type RecordedRevocationReason as RevocationReason,
  type TrustLevel,
} from './passport.js';
import { formatUtc } from './times.js';

/** How long a client may rely on a status or list before fetching it again. */
export const STATUS_NEXT_UPDATE_SECONDS = 60;

export type McpsStatus = 'VALID' | 'REVOKED' | 'EXPIRED' | 'UNKNOWN';

export type StatusDocument = Signed<{
  issuer: string;
  passport_id: string;
  status: McpsStatus;
  reason: RevocationReason | null;
  revocation_reason: RevocationReason | null;
  revoked_at: string | null;
  trust_level: TrustLevel | null;
  issued_at: string | null;
  expires_at: string | null;
  checked_at: string;
  next_update: string;
}>;

interface Revocation {
  reason: RevocationReason;
  at: Date;
}

/** Why and when a passport stopped being valid before expiry, if it did. */
export function revocationOf(r: PassportRecord): Revocation | undefined {
  if (r.state === 'revoked')
    return { reason: r.revocationReason ?? 'unspecified', at: r.revokedAt! };
  if (r.state === 'superseded') return { reason: 'superseded', at: r.supersededAt! };
  return undefined;
}

export function mcpsStatusOf(r: PassportRecord | undefined, now: Date): McpsStatus {
  if (!r) return 'UNKNOWN';
  if (revocationOf(r)) return 'REVOKED';
  return effectiveState(r, now) === 'expired' ? 'EXPIRED' : 'VALID';
}

/** The signed status of `passportId` (UNKNOWN when there is no such passport). */
export function statusDocument(
  d: PassportDeps,
  passportId: string,
  r: PassportRecord | undefined,
): StatusDocument {
  const now = d.persistence.clock.now();
  const revocation = r ? revocationOf(r) : undefined;
  return signDocument(
    {
      issuer: d.issuer,
      passport_id: passportId,
      status: mcpsStatusOf(r, now),
      reason: revocation?.reason ?? null,
      revocation_reason: revocation?.reason ?? null,
      revoked_at: revocation ? formatUtc(revocation.at) : null,
      trust_level: r?.trustLevel ?? null,
      issued_at: r ? formatUtc(r.issuedAt) : null,
      expires_at: r ? formatUtc(r.expiresAt) : null,
      checked_at: formatUtc(now),
      next_update: formatUtc(new Date(now.getTime() + STATUS_NEXT_UPDATE_SECONDS * 1000)),
    },
    d.signer,
  );
}

export type RevocationList = Signed<{
  issuer: string;
  this_update: string;
  next_update: string;
  revoked: Array<{
    passport_id: string;
    revoked_at: string;
    reason: RevocationReason;
    revocation_reason: RevocationReason;
  }>;
  /** MCPS draft CRL document: a version that grows with every revocation (the feed's last seq). */
  version: number;
  /** MCPS draft CRL document: when this list was made (= this_update). */
  published_at: string;
  /** MCPS draft CRL document: the same entries in the draft's members. */
  entries: Array<{ passport_id: string; revoked_at: string; reason: RevocationReason }>;
}>;

/**
 * Every revoked or superseded passport that has not expired yet (an expired passport fails
 * verification anyway, so the list stays bounded — as X.509 CRLs drop expired certificates).
 * TODO: built in full on every miss of the signed-read cache (src/signed-reads/cache.ts: after
 * any change to passports, revocations or authority keys), one query over every unexpired revoked
 * passport; at large scale generate-then-serve like the X.509 CRL.
 */
export async function revocationList(d: PassportDeps): Promise<RevocationList> {
  const now = d.persistence.clock.now();
  // The feed's seq is read first: a revocation committing in between raises the next version.
  const version = await d.persistence.stores.revocations.lastSeq();
  const records = await d.persistence.stores.passports.listRevoked(now);
  const revoked = records.map((r) => {
    const rev = revocationOf(r)!;
    return {
      passport_id: r.passportId,
      revoked_at: formatUtc(rev.at),
      reason: rev.reason,
      revocation_reason: rev.reason,
    };
  });
  return signDocument(
    {
      issuer: d.issuer,
      this_update: formatUtc(now),
      next_update: formatUtc(new Date(now.getTime() + STATUS_NEXT_UPDATE_SECONDS * 1000)),
      revoked,
      version,
      published_at: formatUtc(now),
      entries: revoked.map(({ passport_id, revoked_at, reason }) => ({
        passport_id,
        revoked_at,
        reason,
      })),
    },
    d.signer,
  );
}
