// Re-signing published manifests after an authority key is revoked: the payload (and so the
// digest every client pinned) never changes, only the DSSE envelope does — a new signature by the
// active key replaces the revoked key's, and the old signatures go to the version's history.
// Called by the key lifecycle (src/keys/lifecycle.ts) inside the transaction of the key's state
// change, so a revocation and its re-signing commit together or not at all.
//
// What stays: each tool's `tool_signature` is part of the immutable payload, so after a re-sign
// it is still the revoked key's. The envelope signature by a trusted key covers those bytes; the
// verifier (src/verifier/manifest.ts) accepts them on that basis and says so.
import { appendAuditEvent } from '../audit/append.js';
import type { Clock } from '../clock.js';
import { pae } from '../crypto/dsse.js';
import type { P256Signer } from '../crypto/signer.js';
import type { Stores, TxStores } from '../stores.js';
import { MANIFEST_PAYLOAD_TYPE, type ManifestRecord } from './manifest.js';

export interface ResignManifestsInput {
  /** The active passport-signing key. */
  signer: P256Signer;
  /** kids whose signatures stay valid (active and retiring keys); the signer's is among them. */
  validKids: ReadonlySet<string>;
  /** Revoked kids whose signatures are to be replaced. */
  revokedKids: readonly string[];
  actor: string;
  /** Why, for the history and the audit event. */
  reason: string;
  /** Audit subject, e.g. `authority_key:<kid>`. */
  subject: string;
}

// TODO: listSignedBy scans `manifests.signatures` (no index) once per revoked key; fine for
// thousands of versions, a GIN index on signatures is the next step beyond.

/** Audit events list at most this many digests (the count is always exact). */
const AUDIT_DIGESTS = 1000;

/**
 * The versions that would be re-signed: signed by one of `revokedKids`, by no valid key, and not
 * yanked (a yanked version is revoked itself; it keeps the envelope it had).
 */
export async function manifestsToResign(
  s: Stores,
  validKids: ReadonlySet<string>,
  revokedKids: readonly string[],
): Promise<ManifestRecord[]> {
  const byDigest = new Map<string, ManifestRecord>();
  for (const kid of revokedKids)
    for (const m of await s.manifests.listSignedBy(kid)) byDigest.set(m.digest, m);
  return [...byDigest.values()]
    .filter((m) => m.state !== 'yanked' && !m.signatures.some((sig) => validKids.has(sig.keyid)))
    .sort((a, b) => (a.digest < b.digest ? -1 : 1));
}

/** Re-signs every version manifestsToResign finds, audits it once; returns the digests. */
export async function resignManifests(
  s: TxStores,
  clock: Clock,
  o: ResignManifestsInput,
): Promise<string[]> {
  if (!o.validKids.has(o.signer.kid)) throw new Error('the re-signing key must be a valid key');
  const due = await manifestsToResign(s, o.validKids, o.revokedKids);
  if (due.length === 0) return [];
  const now = clock.now();
  for (const m of due) {
    const message = pae(MANIFEST_PAYLOAD_TYPE, Buffer.from(m.payload, 'utf8'));
    const signatures = [{ keyid: o.signer.kid, sig: o.signer.sign(message).toString('base64') }];
    await s.manifests.replaceSignatures(m.digest, {
      signatures,
      replaced: {
        signatures: m.signatures,
        replaced_at: now.toISOString(),
        replaced_by: o.signer.kid,
        reason: o.reason,
      },
      updatedAt: now,
    });
  }
  const digests = due.map((m) => m.digest);
  await appendAuditEvent(s, clock, {
    actor: o.actor,
    action: 'manifests.re_signed',
    subject: o.subject,
    data: {
      count: digests.length,
      signed_by: o.signer.kid,
      replaced_kids: [...o.revokedKids],
      reason: o.reason,
      digests: digests.slice(0, AUDIT_DIGESTS),
    },
  });
  return digests;
}
