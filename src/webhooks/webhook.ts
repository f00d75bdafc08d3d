// Revocation webhooks: a relying party or publisher registers a URL and a shared secret; every
// revocation is queued for it in the revocation's own transaction (the outbox) and POSTed as an
// event signed with HMAC-SHA256 over the raw body, with retries and backoff (deliverer.ts).
import type { RevocationKind } from '../revocation/revocation.js';

/** `whk_` + 32 lowercase hex. */
export const WEBHOOK_ID_PATTERN = /^whk_[0-9a-f]{32}$/;
export const SECRET_MIN = 32;
export const SECRET_MAX = 256;
export const URL_MAX = 2048;
export const DESCRIPTION_MAX = 200;

export interface WebhookSubscription {
  id: string;
  /** Owner; null for a subscription an admin made for the TA itself. */
  publisherId: string | null;
  url: string;
  /** AES-256-GCM under the KEK (src/crypto/kek.ts), bound to the id: the secret is never returned. */
  sealedSecret: string;
  /** Kinds delivered; empty means every kind. */
  kinds: RevocationKind[];
  description: string | null;
  createdAt: Date;
  /** Audit actor who created it. */
  createdBy: string;
  /** Set when deleted: no new deliveries, pending ones cancelled; history stays readable. */
  deletedAt: Date | null;
}

/** pending: will be (re)tried; delivered: a 2xx answer; failed: gave up; cancelled: subscription deleted. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

export interface WebhookDelivery {
  id: number;
  subscriptionId: string;
  revocationSeq: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  /** HTTP status of the last attempt, null when it got none (refused, timeout, blocked). */
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** The AAD a subscription's sealed secret is bound to. */
export function secretAad(id: string): string {
  return `mcps-ta webhook-secret ${id}`;
}
