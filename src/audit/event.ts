// Audit events (DESIGN.md §8, §11): the standard event document, which is the leaf of the
// transparency log (its JCS bytes), and the older hash chain (hash = SHA-256 over JCS of the
// event's fields including the previous event's hash), still filled for every sequenced event.
import { createHash } from 'node:crypto';
import { canonicalBytes } from '../crypto/jcs.js';

/** Hash that the first event links to. */
export const GENESIS_HASH = '0'.repeat(64);

/** Every kind of state change the TA records. Extend, never rename. */
export type AuditAction =
  | 'authority_key.created'
  | 'authority_key.prepared'
  | 'authority_key.activated'
  | 'authority_key.retired'
  | 'authority_key.revoked'
  | 'trust_anchors.published'
  | 'publisher.created'
  | 'token.created'
  | 'token.revoked'
  | 'agent.created'
  | 'passport.issued'
  | 'passport.rotated'
  | 'passport.revoked'
  | 'passport.approved'
  | 'namespace.claimed'
  | 'namespace.verified'
  | 'namespace.approved'
  | 'namespace.rejected'
  | 'namespace.released'
  | 'namespace.revoked'
  | 'server.registered'
  | 'server.updated'
  | 'server.origin_approved'
  | 'manifest.published'
  | 'registry.mirror_imported'
  | 'registry.mirror_claimed'
  | 'manifest.deprecated'
  | 'manifest.yanked'
  | 'manifests.re_signed'
  | 'passports.revoked_with_authority_key'
  | 'webhook.created'
  | 'webhook.deleted'
  | 'webhook.delivery_retried'
  | 'admin_user.created'
  | 'admin.login'
  | 'admin.logout'
  | 'certificate.issued'
  | 'certificate.renewed'
  | 'certificate.revoked'
  | 'certificates.revoked_with_authority_key'
  | 'credentials.issued';

/** Attempts that were refused and are worth recording (logged with outcome `refused`). */
export type RefusedAction =
  | 'admin.login'
  | 'passport.issued'
  | 'passport.challenge_replayed'
  | 'server.registered'
  | 'server.updated';

export type AuditOutcome = 'success' | 'refused';

export interface AuditEventInput {
  /** Who did it: `token:<id>`, `admin:<username>`, `cli`, `system` (see actorOf). */
  actor: string;
  action: AuditAction | RefusedAction;
  /** What it was done to, e.g. `publisher:pub_…`. */
  subject: string;
  /** Non-secret details; never key material or token secrets. */
  data?: Record<string, unknown>;
  /** Default `success`; `refused` for an attempt that was turned down (src/audit/refused.ts). */
  outcome?: AuditOutcome;
}

/** The request an event was caused by, when there is one (src/audit/request-context.ts). */
export interface AuditRequestInfo {
  requestId: string | null;
  sourceAddress: string | null;
}

/** An event as written by appendAuditEvent, before the sequencer gives it a seq. */
export interface QueuedAuditEvent extends AuditRequestInfo {
  occurredAt: Date;
  actor: string;
  /** The publisher of the actor's token, if the actor is a publisher-bound token. */
  actorPublisherId: string | null;
  action: string;
  subject: string;
  outcome: AuditOutcome;
  data: Record<string, unknown>;
}

/** A sequenced event: a leaf of the log. */
export interface AuditEvent extends QueuedAuditEvent {
  /** Insertion id (not the log order). */
  id: number;
  seq: number;
  prevHash: string;
  hash: string;
}

/** The standard audit event document (DESIGN.md §11); its JCS bytes are the log leaf. */
export interface AuditEventDocument {
  seq: number;
  occurred_at: string;
  actor: { type: string; id: string | null; publisher_id: string | null };
  action: string;
  subject: { type: string; id: string | null };
  outcome: AuditOutcome;
  request_id: string | null;
  source_address: string | null;
  data: Record<string, unknown>;
}

/** `kind:id` → {type, id}; a bare word (`cli`, `system`) has no id. */
function typed(ref: string): { type: string; id: string | null } {
  const colon = ref.indexOf(':');
  return colon < 0
    ? { type: ref, id: null }
    : { type: ref.slice(0, colon), id: ref.slice(colon + 1) };
}

/** The one projection of an event into the standard schema (used by the log and by /v1/audit). */
export function eventDocument(e: Omit<AuditEvent, 'id' | 'prevHash' | 'hash'>): AuditEventDocument {
  return {
    seq: e.seq,
    occurred_at: e.occurredAt.toISOString(),
    actor: { ...typed(e.actor), publisher_id: e.actorPublisherId },
    action: e.action,
    subject: typed(e.subject),
    outcome: e.outcome,
    request_id: e.requestId,
    source_address: e.sourceAddress,
    data: e.data,
  };
}

/** The leaf bytes of an event in the transparency log: JCS of its standard document. */
export function eventLeaf(e: Omit<AuditEvent, 'id' | 'prevHash' | 'hash'>): Buffer {
  return Buffer.from(canonicalBytes(eventDocument(e)));
}

/** The chain hash of an event: hex SHA-256 of JCS of all its fields but `hash`. */
export function computeEventHash(
  e: Pick<AuditEvent, 'seq' | 'occurredAt' | 'actor' | 'action' | 'subject' | 'data' | 'prevHash'>,
): string {
  const body = {
    seq: e.seq,
    occurred_at: e.occurredAt.toISOString(),
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    data: e.data,
    prev_hash: e.prevHash,
  };
  return createHash('sha256').update(canonicalBytes(body)).digest('hex');
}
