// Audit events and their hash chain (DESIGN.md §8): hash = SHA-256 over JCS of the event's
// fields including the previous event's hash, so changing or removing any event breaks every
// later link.
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

export interface AuditEventInput {
  /** Who did it: `token:<id>`, `admin:<username>`, `cli`, `system` (see actorOf). */
  actor: string;
  action: AuditAction;
  /** What it was done to, e.g. `publisher:pub_…`. */
  subject: string;
  /** Non-secret details; never key material or token secrets. */
  data?: Record<string, unknown>;
}

export interface AuditEvent {
  seq: number;
  occurredAt: Date;
  actor: string;
  action: string;
  subject: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The chain hash of an event: hex SHA-256 of JCS of all its fields but `hash`. */
export function computeEventHash(e: Omit<AuditEvent, 'hash'>): string {
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
