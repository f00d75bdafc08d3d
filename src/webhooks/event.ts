// The webhook event: a JSON body describing one revocation, and its signature header
// `x-mcps-signature: sha256=<hex HMAC-SHA256(secret, raw body)>` (RFC 2104). Receivers verify the
// header over the exact bytes received before parsing, and drop repeats by `id`: delivery is at
// least once (a retry after a lost answer sends the same body again).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { feedEntry, type FeedEntry } from '../revocation/feed.js';
import type { Revocation } from '../revocation/revocation.js';

export const WEBHOOK_EVENT_TYPE = 'mcps.revocation';
export const SIGNATURE_HEADER = 'x-mcps-signature';
export const EVENT_ID_HEADER = 'x-mcps-event-id';

export interface RevocationEvent {
  type: typeof WEBHOOK_EVENT_TYPE;
  /** `evt_<subscription id>_<seq>`: stable across retries. */
  id: string;
  /** The TA's name. */
  issuer: string;
  subscription_id: string;
  revocation: FeedEntry;
}

/** The raw body of the event for one subscription and revocation (same bytes on every retry). */
export function eventBody(o: { issuer: string; subscriptionId: string; revocation: Revocation }): {
  id: string;
  body: Buffer;
} {
  const id = `evt_${o.subscriptionId.slice(4)}_${o.revocation.seq}`;
  const event: RevocationEvent = {
    type: WEBHOOK_EVENT_TYPE,
    id,
    issuer: o.issuer,
    subscription_id: o.subscriptionId,
    revocation: feedEntry(o.revocation),
  };
  return { id, body: Buffer.from(JSON.stringify(event), 'utf8') };
}

/** The signature header value: `sha256=` + hex HMAC-SHA256 over the raw body. */
export function signWebhookBody(secret: string, body: Uint8Array): string {
  return `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex')}`;
}

/** Receiver side: true when `header` is the signature of `body` under `secret` (constant time). */
export function verifyWebhookSignature(
  secret: string,
  body: Uint8Array,
  header: string | null | undefined,
): boolean {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  const expected = Buffer.from(signWebhookBody(secret, body), 'utf8');
  const given = Buffer.from(header, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
