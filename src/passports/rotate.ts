// Key rotation (DESIGN.md §4.1, §7): the OLD key signs a rotation statement naming the new
// key's thumbprint, the NEW key proves possession over the same nonce. The old passport becomes
// superseded by a conditional update, so of concurrent rotations exactly one wins (409 for the
// rest); the new passport records the previous key's RFC 7638 thumbprint.
import { appendAuditEvent } from '../audit/append.js';
import { publicKeyFromJwk } from '../crypto/ecdsa.js';
import { InvalidRequestError } from '../errors.js';
import { actorOf, assertActsFor, type Principal } from '../auth/principal.js';
import { assertKeyUsable } from '../revocation/follow-key.js';
import { consumeNonces } from './challenge.js';
import type { PassportDeps } from './deps.js';
import { assertActive, findPassport, lostRace, recordSupersession } from './lifecycle.js';
import { reSignableOrigin } from './origin-check.js';
import type { PassportRecord, TrustLevel } from './passport.js';
import { verifyPossessionProof, verifyRotationStatement } from './proofs.js';
import { parseSubjectKey } from './public-key.js';
import {
  auditData,
  expiryAfter,
  MAX_TTL_DAYS,
  newPassportId,
  signedRecord,
  storePassport,
  successorOf,
} from './records.js';
import type { DirectoryServer } from './server-directory.js';
import { assignTrustLevel } from './trust-level.js';

export interface RotatePassportInput {
  publicKey: unknown;
  proof: string;
  rotation: string;
  /** Validity of the new passport; default: as long as the old one's. */
  ttlDays?: number | undefined;
}

export async function rotatePassport(
  d: PassportDeps,
  principal: Principal,
  passportId: string,
  input: RotatePassportInput,
): Promise<PassportRecord> {
  const p = d.persistence;
  const old = await findPassport(p.stores, passportId);
  assertActsFor(principal, old.publisherId);
  const now = p.clock.now();
  assertActive(old, now, 'rotate');

  const newKey = parseSubjectKey(input.publicKey, 'body.public_key');
  if (newKey.kid === old.kid)
    throw InvalidRequestError.field('body.public_key', 'must differ from the current key');
  const statement = await verifyRotationStatement(
    input.rotation,
    publicKeyFromJwk(old.document.public_key),
    {
      passportId,
      newKid: newKey.kid,
      now,
      field: 'body.rotation',
    },
  );
  const proof = await verifyPossessionProof(input.proof, newKey.key, {
    audience: d.issuer,
    now,
    field: 'body.proof',
  });
  if (proof.nonce !== statement.nonce)
    throw InvalidRequestError.field('body.proof', 'must sign the nonce of the rotation statement');
  const lineage = await p.stores.passports.listByLineage(old.lineageId);
  if (lineage.some((r) => r.kid === newKey.kid))
    throw InvalidRequestError.field('body.public_key', 'this identity used that key before');

  const lifetimeMs = old.expiresAt.getTime() - old.issuedAt.getTime();
  const ttlDays = input.ttlDays ?? Math.min(MAX_TTL_DAYS, lifetimeMs / 86_400_000);
  const newId = newPassportId();

  const { record: rotated, certificates } = await p.transact(async (s) => {
    // The keys' locks first, in sorted order (a server certificate of the old key, a
    // keyCompromise of the new one, commits before or waits), then the row lock: losers of a
    // concurrent rotation wait there, then find the row no longer active and get 409 before
    // they consume anything.
    if (old.kid < newKey.kid) await s.locks.acquireFor('subject-key', old.kid);
    await assertKeyUsable(s, newKey.kid, 'body.public_key');
    if (old.kid > newKey.kid) await s.locks.acquireFor('subject-key', old.kid);
    if (!(await s.passports.supersede(passportId, { by: newId, at: now })))
      throw lostRace(passportId, 'rotate');
    // The new passport is signed here, after the origin's proof is re-checked in this transaction.
    const current = await reSignableOrigin(s, d, old, 'rotate');
    const next = successorOf(old, {
      passportId: newId,
      publicKey: newKey.jwk,
      kid: newKey.kid,
      trustLevel: rotatedTrustLevel(old, current.server),
      issuedAt: now,
      expiresAt: expiryAfter(now, ttlDays),
      keyRotation: { previousKeyHash: old.kid, rotatedAt: now },
      approvalSeq: old.approvalSeq,
    });
    const record = signedRecord(d, { ...next, fields: { ...next.fields, origin: current.origin } });
    await consumeNonces(s, [statement.nonce], {
      publisherId: old.publisherId,
      byAdmin: principal.role === 'admin',
      now,
      field: 'body.rotation',
    });
    const seq = (await s.chainLinks.listByLineage(old.lineageId)).length;
    await storePassport(s, d, record, {
      seq,
      event: 'rotated',
      previous: { passportId, kid: old.kid },
      at: now,
      rotation: input.rotation,
      proof: input.proof,
    });
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'passport.rotated',
      subject: `passport:${newId}`,
      data: { ...auditData(record), previous_passport_id: passportId, previous_kid: old.kid },
    });
    // The old passport is superseded in every view: an entry in the feed, and its certificates revoked.
    const revoked = await recordSupersession(s, p.clock, actorOf(principal), old, {
      supersededBy: newId,
      at: now,
    });
    return { record, certificates: revoked };
  });
  if (certificates > 0) d.certificatesRevoked?.();
  return rotated;
}

/**
 * A rotation re-checks what can change (a server's proven origin and signed manifest) and keeps
 * an admin approval; a delegated issuer keeps the bound the admin gave it.
 */
function rotatedTrustLevel(old: PassportRecord, server: DirectoryServer | undefined): TrustLevel {
  const assigned = assignTrustLevel({
    subjectType: old.subjectType,
    originVerified: server !== undefined && server.originUnproven === null,
    signedManifest: server?.signedManifest ?? false,
    auditApproved: old.approvalSeq !== null || old.subjectType === 'issuer',
  });
  return (
    old.subjectType === 'issuer' ? Math.min(assigned, old.trustLevel) : assigned
  ) as TrustLevel;
}
