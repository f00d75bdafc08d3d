// "A compromised authority key can be revoked, which revokes everything it signed": inside the
// key revocation's transaction, the key itself goes into the revocation feed, then every passport
// it signed (passport-signing keys) or every certificate it issued (issuing intermediates, through
// the `revokeCertificatesIssuedBy` hook of src/wiring/keys-to-certificates.ts).
import type { Clock } from '../clock.js';
import { REVOCATION_REASONS, type RecordedRevocationReason } from '../passports/passport.js';
import { revokePassportsSignedBy } from '../passports/revoke.js';
import { recordRevocation } from '../revocation/revocation.js';
import type { TxStores } from '../stores.js';
import type { AuthorityKeyRecord } from './authority-key.js';

export interface IssuedByRevocation {
  /** The revoked issuing intermediate's kid. */
  kid: string;
  /** The reason to give each certificate: `cACompromise` when the key was compromised. */
  reason: RecordedRevocationReason;
  at: Date;
  actor: string;
}

/**
 * Hook for X.509: revokes, in the caller's transaction, every certificate the intermediate `kid`
 * issued that is not revoked yet, recording each with `recordRevocation(s, {kind: 'certificate',
 * subject: <serial>, …})` so the feed and webhooks get them; returns how many. Wired by the
 * certificates module through KeyLifecycleContext; without it an intermediate's revocation
 * revokes only the key (its certificates still fail chain validation once clients drop it).
 */
export type RevokeCertificatesIssuedBy = (
  s: TxStores,
  clock: Clock,
  r: IssuedByRevocation,
) => Promise<number>;

/** RFC 5280 §5.3.1: what a compromised issuer's key means for what it signed. */
export function reasonForSigned(keyReason: string): RecordedRevocationReason {
  if (keyReason === 'keyCompromise' || keyReason === 'cACompromise') return 'cACompromise';
  return (REVOCATION_REASONS as readonly string[]).includes(keyReason)
    ? (keyReason as RecordedRevocationReason)
    : 'unspecified';
}

export interface SignedRevocationCounts {
  /** Feed seq of the key's own entry. */
  keySeq: number;
  passports: number;
  /** Null when no certificates hook is wired (or the key is not an intermediate). */
  certificates: number | null;
}

/** Records the key's revocation and revokes what it signed. Call under the authority-keys lock. */
export async function revokeWhatKeySigned(
  s: TxStores,
  clock: Clock,
  key: AuthorityKeyRecord,
  o: {
    reason: string;
    at: Date;
    actor: string;
    revokeCertificatesIssuedBy?: RevokeCertificatesIssuedBy;
  },
): Promise<SignedRevocationCounts> {
  const own = await recordRevocation(s, {
    kind: 'key',
    subject: key.kid,
    reason: o.reason,
    revokedAt: o.at,
    data: { purpose: key.purpose },
  });
  const cascade = { kid: key.kid, reason: reasonForSigned(o.reason), at: o.at, actor: o.actor };
  let passports = 0;
  let certificates: number | null = null;
  if (key.purpose === 'passport-signing')
    passports = (await revokePassportsSignedBy(s, clock, cascade)).count;
  if (key.purpose === 'issuing-ca' && o.revokeCertificatesIssuedBy)
    certificates = await o.revokeCertificatesIssuedBy(s, clock, cascade);
  return { keySeq: own.seq, passports, certificates };
}
