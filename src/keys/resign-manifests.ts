// Keeps every published manifest signed by a valid authority key: after a passport-signing key
// is revoked (while another is active) and when a new key is activated, versions whose envelope
// carries only signatures of revoked keys are re-signed by the active key (src/manifests/resign.ts),
// inside the caller's transaction and under the authority-keys lock.
import type { Clock } from '../clock.js';
import { resignManifests } from '../manifests/resign.js';
import type { TxStores } from '../stores.js';
import { signerFor } from './publish-anchors.js';

export interface ResignAfterKeyChange {
  kek: Buffer;
  actor: string;
  reason: string;
  /** Audit subject of the key change, e.g. `authority_key:<kid>`. */
  subject: string;
}

/** Re-signs with the active passport-signing key; returns the digests (none without an active key). */
export async function resignManifestsOfRevokedKeys(
  s: TxStores,
  clock: Clock,
  o: ResignAfterKeyChange,
): Promise<string[]> {
  const keys = (await s.keys.listAll()).filter((k) => k.purpose === 'passport-signing');
  const active = keys.find((k) => k.status === 'active');
  const revokedKids = keys.filter((k) => k.status === 'revoked').map((k) => k.kid);
  if (!active || revokedKids.length === 0) return [];
  const validKids = new Set(
    keys.filter((k) => k.status === 'active' || k.status === 'retiring').map((k) => k.kid),
  );
  return resignManifests(s, clock, {
    signer: signerFor(active, o.kek),
    validKids,
    revokedKids,
    actor: o.actor,
    reason: o.reason,
    subject: o.subject,
  });
}
